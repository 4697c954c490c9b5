"""The development database: started on demand, stopped by `ketnoi stop`."""

import os
import subprocess
import sys

from tests.conftest import ROOT


def _ketnoi(*args: str, data_dir) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["KETNOI_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "platform")])
    return subprocess.run(
        [sys.executable, "-m", "ketnoi.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ketnoi_stop_stops_the_embedded_server_and_keeps_its_data(tmp_path):
    started = _ketnoi("check", data_dir=tmp_path)
    pid_file = tmp_path / "pgdata" / "postmaster.pid"
    try:
        assert started.returncode == 0, started.stderr
        assert pid_file.exists()

        stopped = _ketnoi("stop", data_dir=tmp_path)
        again = _ketnoi("stop", data_dir=tmp_path)
    finally:
        _ketnoi("stop", data_dir=tmp_path)

    assert "stopped" in stopped.stdout and not pid_file.exists()
    assert "not running" in again.stdout
    assert (tmp_path / "pgdata" / "PG_VERSION").exists()
