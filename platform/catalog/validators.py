"""Checks of uploaded files: what a scan or photo may be."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_SCAN_BYTES = 5 * 1024 * 1024

# The first bytes of each accepted format: the name's extension alone proves
# nothing about what a file is.
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),
}


def _head(upload, size: int = 16) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(size)
    upload.seek(position)
    return head


def validate_scan(upload) -> None:
    """A certificate scan is a PDF or a JPEG/PNG/WebP image of at most 5 MB."""
    if upload is None or not getattr(upload, "name", ""):
        return
    if upload.size > MAX_SCAN_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_SCAN_BYTES),
            },
            code="too_large",
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    signatures = _SIGNATURES.get(extension)
    head = _head(upload)
    matches = signatures and any(head.startswith(sig) for sig in signatures)
    if extension == "webp":
        matches = matches and head[8:12] == b"WEBP"
    if not matches:
        raise ValidationError(
            _("Upload a PDF or an image (JPEG, PNG or WebP)."), code="bad_type"
        )
