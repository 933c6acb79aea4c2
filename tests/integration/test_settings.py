"""Settings come from the environment, and a bad value stops the start."""

import os
import subprocess
import sys

ENGINE_ZONE_DEBUG = "settings.DATABASES['default']['ENGINE'], settings.TIME_ZONE, settings.DEBUG"


def start(tmp_path, shown: str = ENGINE_ZONE_DEBUG, *, inherited=None, **environment):
    """Start Django with the settings of this environment (the tests' own, or `inherited`)
    and print `shown`, an expression of `settings`."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({shown})",
        ],
        capture_output=True,
        text=True,
        env={
            **(os.environ if inherited is None else inherited),
            "HOTLINE_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "hotline.settings",
            **environment,
        },
    )


def test_with_nothing_set_hotline_uses_sqlite_in_the_data_directory(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = start(tmp_path, "settings.DATABASES['default']['NAME']", inherited=environment)
    assert result.stdout.strip() == str(tmp_path / "hotline.sqlite3")
    assert (tmp_path / "secret_key").exists()


def test_a_postgres_url_selects_postgresql(tmp_path):
    result = start(tmp_path, DATABASE_URL="postgres://u@db.example:5432/hotline")
    assert result.stdout.split()[:2] == ["django.db.backends.postgresql", "Asia/Shanghai"]


def test_a_bad_boolean_stops_the_start_with_its_name(tmp_path):
    result = start(tmp_path, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_postgresql_prepares_repeated_statements_unless_turned_off(tmp_path):
    url = "postgres://u@db.example:5432/hotline"
    options = "sorted(settings.DATABASES['default'].get('OPTIONS', {}).items())"
    prepared = start(tmp_path, options, DATABASE_URL=url)
    assert prepared.stdout.strip() == str(
        [
            ("options", "-c plan_cache_mode=force_custom_plan"),
            ("prepare_threshold", 5),
            ("server_side_binding", True),
        ]
    )
    unprepared = start(tmp_path, options, DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false")
    assert unprepared.stdout.strip() == "[]"
