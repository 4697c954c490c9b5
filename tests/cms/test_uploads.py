from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from wagtail.images import get_image_model

from tests.cms.conftest import png_bytes


def _upload(client, name: str, content: bytes, content_type: str):
    return client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile(name, content, content_type=content_type)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )


def test_a_real_image_uploads(hanoi, hanoi_staff_client):
    response = _upload(hanoi_staff_client, "rau.png", png_bytes(), "image/png")

    assert response.json()["success"] is True
    with schema_context(hanoi.schema):
        assert get_image_model().objects.count() == 1


def test_a_file_that_is_not_an_image_is_refused_in_vietnamese(
    hanoi, hanoi_staff_client
):
    response = _upload(
        hanoi_staff_client, "danh-sach.png", b"not an image at all", "image/png"
    )

    body = response.json()
    assert body["success"] is False
    assert "ảnh" in body["error_message"]
    with schema_context(hanoi.schema):
        assert not get_image_model().objects.exists()


def test_a_huge_image_is_refused_in_vietnamese(hanoi, hanoi_staff_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    big = png_bytes(600, 600, (10, 200, 30)) + b"\0" * 2048

    response = _upload(hanoi_staff_client, "to.png", big, "image/png")

    body = response.json()
    assert body["success"] is False
    assert "Tệp quá lớn" in body["error_message"]
    with schema_context(hanoi.schema):
        assert not get_image_model().objects.exists()


def test_uploaded_images_stay_in_their_provinces_storage(
    hanoi, hue, hanoi_staff_client
):
    _upload(hanoi_staff_client, "rau.png", png_bytes(), "image/png")

    with schema_context(hanoi.schema):
        path = get_image_model().objects.get().file.path
    with schema_context(hue.schema):
        assert not get_image_model().objects.exists()
    assert "/hanoi/" in path
