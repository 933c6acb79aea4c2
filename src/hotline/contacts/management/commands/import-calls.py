from hotline.contacts.import_command import ImportCommand
from hotline.contacts.importers import IMPORTERS


class Command(ImportCommand):
    help = "Import telephony files with a registered importer (calls_csv, queue_log)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--importer", choices=sorted(IMPORTERS), default="calls_csv")

    def handle(self, *args, **options):
        self.importer = options["importer"]
        super().handle(*args, **options)
