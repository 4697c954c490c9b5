"""The deployment files parse and describe the stack the platform needs."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import crossplane
import yaml

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"


def _compose() -> dict:
    return yaml.safe_load((INFRA / "compose.yaml").read_text())


def test_compose_runs_postgres_redis_web_worker_and_beat():
    services = _compose()["services"]

    assert {"postgres", "redis", "web", "worker", "beat", "nginx"} <= set(services)
    assert services["web"]["command"][0] == "gunicorn"
    assert "ketnoi.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "ketnoi", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "ketnoi", "beat"]


def test_app_containers_run_in_production_mode_against_real_services():
    services = _compose()["services"]

    for name in ("web", "worker", "beat", "migrate"):
        environment = services[name]["environment"]
        assert environment["KETNOI_ENV"] == "production"
        assert environment["DATABASE_URL"].startswith("postgresql://")
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert services[name]["env_file"] == [".env"]


def test_web_waits_for_migrations_and_healthy_databases():
    services = _compose()["services"]

    assert services["migrate"]["command"] == ["ketnoi", "prepare"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert services["web"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_compose_volumes_are_declared():
    compose = _compose()
    declared = set(compose["volumes"])
    used = set()
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/", "$")):
                used.add(source)

    assert used <= declared


def _nginx_directives(tmp_path_factory=None) -> list[dict]:
    # The file is mounted into conf.d, so nginx reads it inside `http { }`:
    # parse it there, so directives in the wrong context fail.
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        main = Path(folder) / "nginx.conf"
        site = INFRA / "nginx" / "ketnoi.conf"
        main.write_text(f"events {{}}\nhttp {{\n    include {site};\n}}\n")
        parsed = crossplane.parse(str(main))
    assert parsed["status"] == "ok", parsed["errors"]
    included = next(c for c in parsed["config"] if c["file"] == str(site))
    return included["parsed"]


def _find(block: list[dict], name: str) -> list[dict]:
    return [directive for directive in block if directive["directive"] == name]


def test_nginx_proxies_every_host_to_gunicorn_with_the_host_header():
    directives = _nginx_directives()
    upstream = _find(directives, "upstream")[0]
    servers = _find(directives, "server")
    tls_server = next(
        s
        for s in servers
        if ["443", "ssl", "default_server"] == _find(s["block"], "listen")[0]["args"]
    )
    locations = {
        tuple(loc["args"]): loc["block"]
        for loc in _find(tls_server["block"], "location")
    }

    assert _find(upstream["block"], "server")[0]["args"] == ["web:8000"]
    assert _find(tls_server["block"], "server_name")[0]["args"] == ["_"]
    proxy = locations[("/",)]
    assert _find(proxy, "proxy_pass")[0]["args"] == ["http://ketnoi_web"]
    headers = {tuple(d["args"]) for d in _find(proxy, "proxy_set_header")}
    assert ("Host", "$host") in headers
    assert ("X-Forwarded-Proto", "$scheme") in headers
    assert ("/static/",) in locations and ("/media/",) in locations


def test_nginx_redirects_plain_http_to_https():
    servers = _find(_nginx_directives(), "server")
    plain = next(
        s for s in servers if _find(s["block"], "listen")[0]["args"][0] == "80"
    )
    root = next(
        loc for loc in _find(plain["block"], "location") if loc["args"] == ["/"]
    )

    assert _find(root["block"], "return")[0]["args"] == [
        "301",
        "https://$host$request_uri",
    ]


def test_gunicorn_config_is_valid_python_that_binds_the_compose_port():
    source = (INFRA / "gunicorn.conf.py").read_text()
    ast.parse(source)
    namespace: dict = {}
    exec(compile(source, "gunicorn.conf.py", "exec"), namespace)

    assert namespace["bind"] == "0.0.0.0:8000"
    assert namespace["workers"] >= 1


def _run_settings(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ketnoi.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            "PATH": os.environ["PATH"],
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
            **env,
        },
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_settings(
        {"KETNOI_ENV": "production", "DATABASE_URL": "postgresql://x@127.0.0.1/x"},
        "check",
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = _run_settings(
        {
            "KETNOI_ENV": "production",
            "SECRET_KEY": "p" * 30 + "-a-long-random-production-key-9f8e7d6c5b4a",
            "DATABASE_URL": "postgresql://x@127.0.0.1/x",
            "BASE_DOMAIN": "ketnoi.vn",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert result.returncode == 0, result.stdout + result.stderr
