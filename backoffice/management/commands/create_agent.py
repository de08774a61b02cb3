"""Create an agent (docs/backoffice.md §1): by default an activation code is e-mailed to the
agent's address (the agent chooses a password and enrols a TOTP application at first visit);
it is printed nowhere. With --password and --totp-secret (development, demo) the account is
ready at once."""

from django.core.management.base import BaseCommand, CommandError

from backoffice import agent_accounts, auth
from backoffice.roles import AgentRole
from core.refusals import Refusal


class Command(BaseCommand):
    help = "Create an agent of the back office (assistance, gestion or supervision)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument("--role", required=True, choices=AgentRole.values)
        parser.add_argument("--password", help="set the password now (development only)")
        parser.add_argument("--totp-secret", help="a hex TOTP secret to enrol now (development)")

    def handle(self, *args, **options):
        try:
            agent = agent_accounts.create_agent(
                options["email"], options["first_name"], options["last_name"], options["role"]
            )
        except Refusal as refusal:
            raise CommandError(refusal.message) from refusal
        if options["password"]:
            ready(agent, options["password"], options["totp_secret"])
            device = agent.device
            self.stdout.write(
                f"Agent {agent.email} ready; TOTP secret (base32): {device.base32_key}"
            )
            self.stdout.write(f"  {device.config_url}")
        else:
            self.stdout.write(
                f"Agent {agent.email} created; its activation code is e-mailed to that address."
            )


def ready(agent, password: str, hex_secret: str | None) -> None:
    """Password and confirmed TOTP device at once (the demo's agents)."""
    from django.contrib.auth.hashers import make_password

    agent.password = make_password(password)
    auth.spend_code(agent)
    agent.save()
    auth.new_device(agent, hex_secret, confirmed=True)
