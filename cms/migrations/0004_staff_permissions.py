from django.db import migrations

# The union staff group edits the site, its images and documents, and the
# events; province administrators are superusers and need none of this.
STAFF_GROUP = "Cán bộ Hội"
PAGE_PERMISSIONS = ["add", "change", "publish", "lock", "unlock"]
COLLECTION_PERMISSIONS = {
    ("wagtailimages", "image"): ["add", "change", "choose"],
    ("wagtaildocs", "document"): ["add", "change", "choose"],
}
MODEL_PERMISSIONS = {
    ("events", "fair"): ["add", "change", "delete", "view"],
    ("events", "livestream"): ["add", "change", "delete", "view"],
}


def _permission(apps, app_label, model, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(
        app_label=app_label, model=model
    )
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_{model}",
        defaults={"name": f"Can {action} {model}"},
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )

    staff, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    staff.permissions.add(_permission(apps, "wagtailadmin", "admin", "access"))
    for (app_label, model), actions in MODEL_PERMISSIONS.items():
        for action in actions:
            staff.permissions.add(_permission(apps, app_label, model, action))

    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for action in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=staff,
                page=root_page,
                permission=_permission(apps, "wagtailcore", "page", action),
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for (app_label, model), actions in COLLECTION_PERMISSIONS.items():
            for action in actions:
                GroupCollectionPermission.objects.get_or_create(
                    group=staff,
                    collection=root_collection,
                    permission=_permission(apps, app_label, model, action),
                )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_site_pages"),
        ("events", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
