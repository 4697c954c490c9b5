"""Approval to live site, end to end, through a real Celery worker process."""

import pytest
from django.db import connection

from tenants.models import Application, Domain, Province
from tests.conftest import HostClient, wait_for

from .test_signup import VALID


@pytest.mark.worker
def test_approval_goes_live_through_a_real_worker(celery_worker, committed_db):
    def cleanup():
        Application.objects.filter(subdomain="quangninh").delete()
        Domain.objects.filter(domain="quangninh.localhost").delete()
        Province.objects.filter(slug="quangninh").delete()
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS quangninh CASCADE")

    committed_db.append(cleanup)
    national = HostClient("localhost")
    national.post(
        "/signup/",
        {
            **VALID,
            "province_code": "22",
            "union_name": "Hội LHPN tỉnh Quảng Ninh",
            "subdomain": "quangninh",
        },
    )
    application = Application.objects.get(subdomain="quangninh")
    national.login_to_admin("quocgia@ketnoi.test")

    national.post(
        "/admin/tenants/application/",
        {"action": "approve", "_selected_action": [str(application.pk)]},
    )

    def is_live():
        status = national.get(f"/signup/{application.pk}/?format=json").json()
        return status["status"] == "live"

    wait_for(is_live, 60, celery_worker.log_path)
    page = HostClient("quangninh.localhost").get("/")
    assert page.status_code == 200
    assert "Hội LHPN tỉnh Quảng Ninh" in page.content.decode()
    status_page = national.get(f"/signup/{application.pk}/").content.decode()
    assert "http://quangninh.localhost:8000/" in status_page
