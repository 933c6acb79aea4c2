import getpass

from django.core.management.base import BaseCommand, CommandError

from hotline.accounts.roles import ROLE_NAMES
from hotline.accounts.services import UnknownName, create_user


class Command(BaseCommand):
    help = "Create a user with a role and an agent ID (工号)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLE_NAMES)
        parser.add_argument("--agent-id", required=True, help="工号, the ID customers hear")
        parser.add_argument("--name", default="", help="full name (姓名)")
        parser.add_argument(
            "--region",
            action="append",
            default=[],
            help="a region the user may see (name or code); repeatable",
        )
        parser.add_argument("--team", help="team name")
        parser.add_argument("--skill-group", action="append", default=[], help="skill group code")
        parser.add_argument("--password", help="password; asked for when omitted")

    def handle(self, *args, **options):
        password = options["password"] or getpass.getpass("Password: ")
        try:
            user = create_user(
                username=options["username"],
                password=password,
                role=options["role"],
                agent_id=options["agent_id"],
                full_name=options["name"],
                regions=options["region"],
                team=options["team"],
                skill_groups=options["skill_group"],
            )
        except UnknownName as error:
            raise CommandError(f"unknown {error}") from None
        self.stdout.write(f"created {user.username} ({user.agent_id}, {options['role']})")
