"""Settings come from the environment, and a bad value stops the start."""

import os
import subprocess
import sys


def start(tmp_path, **environment):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.DATABASES['default']['ENGINE'], settings.TIME_ZONE, settings.DEBUG)",
        ],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "HOTLINE_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "hotline.settings",
            **environment,
        },
    )


def test_with_nothing_set_hotline_uses_sqlite_in_the_data_directory(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.DATABASES['default']['NAME'])",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={
            **environment,
            "HOTLINE_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "hotline.settings",
        },
    )
    assert result.stdout.strip() == str(tmp_path / "hotline.sqlite3")
    assert (tmp_path / "secret_key").exists()


def test_a_postgres_url_selects_postgresql(tmp_path):
    result = start(tmp_path, DATABASE_URL="postgres://u@db.example:5432/hotline")
    assert result.stdout.split()[:2] == ["django.db.backends.postgresql", "Asia/Shanghai"]


def test_a_bad_boolean_stops_the_start_with_its_name(tmp_path):
    result = start(tmp_path, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
