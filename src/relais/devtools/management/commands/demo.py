"""`relais demo`: load the demo, idempotently, and print one log-in per role."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from relais.devtools.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo data (safe to run again) and print the demo log-ins."

    def handle(self, *args, **options):
        if not settings.RELAIS_DEMO_MODE:
            raise CommandError(
                "The demo is for demo mode only (RELAIS_DEMO_MODE=1): its accounts "
                "share a published password."
            )
        summary = load_demo()
        self.stdout.write(
            f"Demo ready: {summary['organisations']} organisations, "
            f"{summary['people']} people, {summary['sessions']} training sessions, "
            f"{summary['certified']} certified trainers, "
            f"{summary['visits']} hub visits."
        )
        self.stdout.write(f"Demo log-ins (password for all: {summary['password']}):")
        for username, role in summary["logins"]:
            self.stdout.write(f"  {username:<20} {role}")
