from wagtail import hooks

from .cache import purge_province_pages


# Moving or deleting a page changes other pages' menus and links; the
# publish signals do not cover these, so the admin hooks do.
@hooks.register("after_delete_page")
def purge_after_delete(request, page) -> None:
    purge_province_pages()


@hooks.register("after_move_page")
def purge_after_move(request, page) -> None:
    purge_province_pages()
