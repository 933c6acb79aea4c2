from hotline.contacts.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import Asterisk queue_log files: calls, agent states, unknown events kept; "
        "importing a file twice, or overlapping files, adds nothing twice."
    )
    importer = "queue_log"
