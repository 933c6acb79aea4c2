from django.core.management.base import BaseCommand, CommandError

from hotline.accounts.models import User
from hotline.accounts.services import api_token


class Command(BaseCommand):
    help = "Print the API token of a user (made on first use): Authorization: Token <key>."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"no user {options['username']!r}") from None
        self.stdout.write(api_token(user))
