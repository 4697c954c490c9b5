from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Product catalog")

    def ready(self) -> None:
        # The producer import registers itself with the network's import screen.
        from . import importers  # noqa: F401
