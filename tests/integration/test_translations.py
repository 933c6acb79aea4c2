"""Both catalogs are complete, compiled, and hold every string the code marks."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import hotline

PACKAGE = Path(hotline.__file__).parent
CATALOGS = {
    language: PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
    for language in ("zh_Hans", "en")
}


@pytest.mark.parametrize("language", list(CATALOGS))
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalog = polib.pofile(str(CATALOGS[language]))
    assert [entry.msgid for entry in catalog.untranslated_entries()] == []
    assert [entry.msgid for entry in catalog.fuzzy_entries()] == []


@pytest.mark.parametrize("language", list(CATALOGS))
def test_the_compiled_catalog_matches_its_source(language):
    source = polib.pofile(str(CATALOGS[language]))
    compiled = polib.mofile(str(CATALOGS[language].with_suffix(".mo")))

    def singular(catalog):
        return {(e.msgid, e.msgstr) for e in catalog if e.msgid and not e.msgid_plural}

    assert singular(compiled) == singular(source.translated_entries())


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs xgettext (Debian: gettext)")
def test_the_catalogs_hold_exactly_the_strings_the_code_marks(tmp_path):
    copy = tmp_path / "hotline"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; settings.configure(USE_I18N=True, LOCALE_PATHS=[]);"
            "import django; django.setup(); from django.core.management import call_command;"
            "call_command('makemessages', locale=['en'], no_obsolete=True, verbosity=0)",
        ],
        cwd=copy,
        check=True,
    )
    extracted = {
        entry.msgid for entry in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))
    }
    committed = {entry.msgid for entry in polib.pofile(str(CATALOGS["en"]))}
    assert extracted - committed == set(), "strings missing from the catalogs: run makemessages"
    assert committed - extracted == set(), "stale strings in the catalogs"
