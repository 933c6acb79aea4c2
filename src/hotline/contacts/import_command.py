"""What the telephony import commands share: files, progress, and the report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from hotline.contacts.models import BadTelephonyLine, TelephonyImport
from hotline.contacts.telephony_import import import_telephony_files
from hotline.core.call_csv import HeaderError

SHOWN_BAD_LINES = 50


class ImportCommand(BaseCommand):
    importer = ""

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, **options):
        paths = options["files"]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"no file {path}")
        quiet = options["verbosity"] == 0
        bars: dict[Path, tqdm] = {}

        def progress(path: Path, lines: int) -> None:
            if path not in bars:
                bars[path] = tqdm(desc=path.name, unit=" lines", unit_scale=True, disable=quiet)
            bars[path].update(lines - bars[path].n)

        try:
            runs = import_telephony_files(paths, self.importer, progress=progress)
        except HeaderError as error:
            raise CommandError(str(error)) from None
        finally:
            for bar in bars.values():
                bar.close()
        for run in runs:
            self._report(run)

    def _report(self, run: TelephonyImport) -> None:
        path = run.file_name
        for bad in BadTelephonyLine.objects.filter(telephony_import=run)[:SHOWN_BAD_LINES]:
            self.stderr.write(f"{path}:{bad.line_number}: {bad.reason}")
        if run.bad_lines > SHOWN_BAD_LINES:
            self.stderr.write(f"... and {run.bad_lines - SHOWN_BAD_LINES:,} more lines not used")
        self.stdout.write(
            f"{path}: {run.lines_read:,} lines: {run.calls:,} calls, "
            f"{run.state_intervals:,} agent states, {run.unknown_events:,} unknown events kept, "
            f"{run.bad_lines:,} lines not used"
        )
