"""Admin screens of the import: upload, preview with every row's problems, commit."""

import logging
import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketnoi.access import is_staff, require

from . import importing

logger = logging.getLogger(__name__)

SESSION_KEY = "network_imports"
PREVIEW_LIMIT = 200
LIST_URLS = {
    "members": "network_member:index",
    "units": "network_orgunit:index",
    "producers": "catalog_producers:index",
}


def may_import(user: Any) -> bool:
    return is_staff(user)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("List"), choices=())
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("Excel (.xlsx) or CSV, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = importing.importer_choices()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d MB.")
                % {"size": importing.MAX_BYTES // 2**20},
                code="too_large",
            )
        return upload


def _stored_path(token: str) -> str:
    return f"network-imports/{token}"


def _pending(request, token: str) -> dict[str, str]:
    pending = request.session.get(SESSION_KEY, {}).get(token)
    # Only the user who uploaded a file may see or commit it.
    if pending is None or not default_storage.exists(_stored_path(token)):
        raise Http404
    return pending


def upload(request):
    require(may_import(request.user))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            # Reading once here refuses a broken file before anything is kept.
            importing.read_table(data, upload.name)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            token = secrets.token_urlsafe(16)
            default_storage.save(_stored_path(token), ContentFile(data))
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = {"kind": form.cleaned_data["kind"], "name": upload.name}
            request.session[SESSION_KEY] = pending
            return redirect("network_import_preview", token=token)
    return TemplateResponse(
        request,
        "network/import_upload.html",
        {"form": form, "kinds": importing.importer_choices()},
    )


def preview(request, token: str):
    require(may_import(request.user))
    pending = _pending(request, token)
    importer_class = importing.REGISTRY.get(pending["kind"])
    require(importer_class is not None)
    importer = importer_class(actor=request.user)
    with default_storage.open(_stored_path(token)) as stored:
        data = stored.read()

    if request.method == "POST":
        mode = request.POST.get("mode")
        if mode not in (importing.Mode.VALID_ROWS, importing.Mode.ALL_OR_NOTHING):
            mode = importing.Mode.ALL_OR_NOTHING
        try:
            result = importing.commit(importer, data, pending["name"], mode=mode)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("network_import")
        if result.refused:
            messages.error(
                request,
                _("Nothing was imported: some rows have problems."),
            )
            return redirect("network_import_preview", token=token)
        _forget(request, token)
        logger.info(
            "Import %s by user %s wrote %s rows",
            pending["kind"],
            request.user.pk,
            result.written,
        )
        messages.success(
            request,
            _("%(written)s rows imported, %(skipped)s rows skipped.")
            % {"written": result.written, "skipped": result.skipped},
        )
        return redirect(LIST_URLS.get(pending["kind"], "network_import"))

    try:
        checked = importing.preview(importer, data, pending["name"])
    except ValidationError as error:
        _forget(request, token)
        messages.error(request, " ".join(error.messages))
        return redirect("network_import")
    bad = checked.bad_rows
    shown = bad[:PREVIEW_LIMIT] + checked.valid_rows[: max(0, 50 - len(bad))]
    shown.sort(key=lambda row: row.number)
    return TemplateResponse(
        request,
        "network/import_preview.html",
        {
            "token": token,
            "file_name": pending["name"],
            "kind_label": importer_class.label,
            "preview": checked,
            "columns": checked.columns,
            "shown_rows": [
                (row, [row.raw.get(column.name, "") for column in checked.columns])
                for row in shown
            ],
            "total": len(checked.rows),
            "valid_count": len(checked.valid_rows),
            "bad_count": len(bad),
            "more_problems": max(0, len(bad) - PREVIEW_LIMIT),
        },
    )


def _forget(request, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    default_storage.delete(_stored_path(token))


def template(request, kind: str):
    require(may_import(request.user))
    importer_class = importing.REGISTRY.get(kind)
    require(importer_class is not None)
    response = HttpResponse(
        importing.template_workbook(importer_class),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mau-{kind}.xlsx"'
    return response
