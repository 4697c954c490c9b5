"""Shared fixtures: two provinces with personas, host-bound clients, a worker.

The test database gets the national tenant, the template schema and two
provinces once per session: Hà Nội (`hanoi`) and Huế (`hue`). Each test runs
in a transaction that is rolled back, schemas it creates included.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from asgiref.local import Local
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.test.utils import setup_databases, teardown_databases
from django.utils.translation import trans_real
from django_tenants.utils import schema_context

from ketnoi.translations import compile_translations
from tenants import roles
from tenants.models import Province
from tenants.services import ensure_platform, provision_province

PASSWORD = "mat-khau-thu-nghiem-2026"
# The name in settings, before pytest-django points the connection at a test one.
_DATABASE_NAME = settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"]
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class ProvinceFixture:
    province: Province
    admin_email: str
    staff_email: str

    @property
    def host(self) -> str:
        return self.province.host

    @property
    def schema(self) -> str:
        return self.province.schema_name


def _make_province(slug: str, name: str, code: int) -> ProvinceFixture:
    admin_email = f"admin@{slug}.test"
    staff_email = f"canbo@{slug}.test"
    province = provision_province(
        slug=slug,
        name=name,
        province_code=code,
        admin_email=admin_email,
        admin_name="Quản trị",
        admin_password=PASSWORD,
    )
    with schema_context(province.schema_name):
        User = get_user_model()
        staff, _created = User.objects.get_or_create(
            username=staff_email, defaults={"email": staff_email}
        )
        staff.set_password(PASSWORD)
        staff.save()
        staff.groups.add(Group.objects.get(name=roles.STAFF))
    return ProvinceFixture(province, admin_email, staff_email)


def pytest_configure(config):
    if compile_translations():
        # Anything that ran gettext before this point holds the old catalogs;
        # forget them so the session reads the freshly compiled ones.
        trans_real._translations = {}
        trans_real._default = None
        trans_real._active = Local()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    own_database = None
    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] == _DATABASE_NAME:
            # pytest-django creates the test database only when a test of the
            # session asks for `db`; a session of `committed_db` tests alone
            # would otherwise write into the real database named in settings.
            own_database = setup_databases(
                verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS}
            )
        ensure_platform()
        User = get_user_model()
        if not User.objects.filter(username="quocgia@ketnoi.test").exists():
            User.objects.create_superuser(
                username="quocgia@ketnoi.test",
                email="quocgia@ketnoi.test",
                password=PASSWORD,
            )
        _make_province("hanoi", "Hội LHPN Thành phố Hà Nội", 1)
        _make_province("hue", "Hội LHPN Thành phố Huế", 46)
        connection.set_schema_to_public()
    yield
    if own_database is not None:
        with django_db_blocker.unblock():
            teardown_databases(own_database, verbosity=0)


@pytest.fixture(autouse=True)
def _public_schema_between_tests():
    connection.set_schema_to_public()
    # Cached pages would outlive the rolled-back data they were rendered from.
    cache.clear()
    yield
    connection.set_schema_to_public()


def _fixture_for(slug: str) -> ProvinceFixture:
    province = Province.objects.get(slug=slug)
    return ProvinceFixture(province, f"admin@{slug}.test", f"canbo@{slug}.test")


@pytest.fixture
def hanoi(db) -> ProvinceFixture:
    return _fixture_for("hanoi")


@pytest.fixture
def hue(db) -> ProvinceFixture:
    return _fixture_for("hue")


class HostClient(Client):
    """A test client bound to one host, leaving the connection's schema as it was."""

    def __init__(self, host: str, **defaults):
        super().__init__(HTTP_HOST=host, **defaults)
        self.host = host

    def request(self, **request):
        tenant = connection.tenant
        try:
            return super().request(**request)
        finally:
            connection.set_tenant(tenant)

    def login_to_admin(self, email: str, password: str = PASSWORD):
        return self.post("/admin/login/", {"username": email, "password": password})


@pytest.fixture
def national_client(db) -> HostClient:
    return HostClient(settings.BASE_DOMAIN)


@pytest.fixture
def national_staff_client(national_client) -> HostClient:
    national_client.login_to_admin("quocgia@ketnoi.test")
    return national_client


@pytest.fixture
def hanoi_client(hanoi) -> HostClient:
    return HostClient(hanoi.host)


@pytest.fixture
def hue_client(hue) -> HostClient:
    return HostClient(hue.host)


# --- committed data and a real Celery worker ---------------------------------


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    """Database access outside the per-test transaction, for other processes.

    The test must clean up what it commits: `cleanup` collects callables.
    """
    cleanup: list = []
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        try:
            yield cleanup
        finally:
            connection.set_schema_to_public()
            for step in reversed(cleanup):
                step()


def database_url() -> str:
    db = connection.settings_dict
    host = quote(db["HOST"] or "localhost", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgresql://{db['USER']}{password}@{host}{port}/{db['NAME']}"


@pytest.fixture
def celery_worker(committed_db, tmp_path):
    """A real Celery worker process on a real broker, for the test database.

    The broker is KETNOI_TEST_BROKER_URL (Redis or RabbitMQ in CI) or, on a
    machine without one, Kombu's filesystem transport in a temporary folder.
    """
    from ketnoi.celery import app

    broker = os.environ.get("KETNOI_TEST_BROKER_URL") or "filesystem://"
    queue = f"test-{uuid.uuid4().hex[:10]}"
    folder = tmp_path / "broker"
    folder.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_QUEUE": queue,
        "CELERY_FILESYSTEM_FOLDER": str(folder),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
    }
    log_path = tmp_path / "worker.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ketnoi",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    saved = {
        key: app.conf.get(key)
        for key in (
            "task_always_eager",
            "broker_url",
            "task_default_queue",
            "broker_transport_options",
        )
    }
    app.conf.update(
        task_always_eager=False,
        broker_url=broker,
        task_default_queue=queue,
        broker_transport_options=(
            {
                "data_folder_in": str(folder),
                "data_folder_out": str(folder),
                "control_folder": str(folder / "control"),
            }
            if broker.startswith("filesystem")
            else {}
        ),
    )
    _forget_connections(app)
    try:
        _wait_for(lambda: "ready" in log_path.read_text(), 60, log_path)
        process.log_path = log_path
        yield process
    finally:
        app.conf.update(saved)
        _forget_connections(app)
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _forget_connections(app) -> None:
    # Celery caches its routing and connection pool from the configuration it
    # first saw; drop both so the changed broker and queue take effect.
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.__dict__.pop("amqp", None)
    # Kombu keeps producer pools per broker URL for the whole process: a second
    # worker test on the same broker would get the pool closed above.
    from kombu import pools

    pools.reset()


def _wait_for(condition, seconds: float, log_path: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    detail = log_path.read_text()[-3000:] if log_path else ""
    raise AssertionError(f"Timed out after {seconds}s.\n{detail}")


wait_for = _wait_for


# --- a live server for browser tests ------------------------------------------


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


class ClosingHandler(WSGIHandler):
    # Each request runs in a fresh server thread; close its connection so the
    # test database can be dropped at the end of the session.
    def __call__(self, environ, start_response):
        try:
            return super().__call__(environ, start_response)
        finally:
            connections.close_all()


@pytest.fixture
def hanoi_live(committed_db):
    # Not the `hanoi` fixture: that one wraps the test in a transaction the
    # server's threads could not see into.
    return _fixture_for("hanoi")


@pytest.fixture
def site_server(committed_db, hanoi_live):
    hanoi = hanoi_live
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(ClosingHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{hanoi.host}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def admin_desk(browser, server: str, email: str):
    """A desktop page signed in to the Wagtail admin at `server` as `email`."""
    desk = browser.new_page(locale="vi-VN")
    # Generous limits: CI machines are sometimes busy with other work.
    desk.set_default_timeout(90_000)
    desk.goto(f"{server}/admin/login/")
    desk.fill("input[name=username]", email)
    desk.fill("input[name=password]", PASSWORD)
    desk.click("button[type=submit]")
    desk.wait_for_url(f"{server}/admin/")
    return desk
