import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from hotline.accounts.models import User
from hotline.audit.models import AuditEvent
from hotline.customers.import_files import FileFormatError, count_data_rows, read_customer_rows
from hotline.customers.importing import import_customer_rows


class Command(BaseCommand):
    help = "Import customers and their lines from a CSV or XLSX file （upsert by 客户编号）."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as",
            dest="username",
            help="the user the audit history names (needs the import "
            "permission); without it, the history names the system",
        )
        parser.add_argument("--errors", type=Path, help="write every bad row to this CSV file")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"no file {path}")
        actor = None
        if options["username"]:
            try:
                actor = User.objects.get(username=options["username"])
            except User.DoesNotExist:
                raise CommandError(f"no user {options['username']!r}") from None
            if not actor.has_perm("customers.import_customers"):
                raise CommandError(f"{actor.username} may not import customers")
        try:
            total = count_data_rows(path)
            with tqdm(total=total, unit="row", disable=options["verbosity"] == 0) as bar:
                report = import_customer_rows(
                    read_customer_rows(path),
                    actor=actor,
                    source=AuditEvent.Source.CLI,
                    note=f"import-customers {path.name}",
                    on_progress=bar.update,
                )
        except FileFormatError as error:
            raise CommandError(str(error)) from None
        for error in report.errors[:50]:
            self.stderr.write(f"row {error['row']}: {error['column']}: {error['message']}")
        if len(report.errors) > 50:
            self.stderr.write(f"... and {len(report.errors) - 50} more bad rows")
        if options["errors"] and report.errors:
            _write_errors(options["errors"], report.errors)
        self.stdout.write(
            f"{report.total_rows} rows: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.errors)} rejected"
        )


def _write_errors(path: Path, errors: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=["row", "column", "message"])
        writer.writeheader()
        writer.writerows(errors)
