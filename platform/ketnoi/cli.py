"""The `ketnoi` console script: Django's management commands, project-wide.

`ketnoi stop` stops the embedded development database and needs no Django.
"""

import os
import sys


def main() -> None:
    if sys.argv[1:] == ["stop"]:
        # Before Django: loading the settings would start the server first.
        from ketnoi.database import data_dir, stop_embedded_server

        print(f"Embedded PostgreSQL in {data_dir()}: {stop_embedded_server()}")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ketnoi", *sys.argv[1:]])


if __name__ == "__main__":
    main()
