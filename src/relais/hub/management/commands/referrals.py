"""`relais referrals remind`: run every hour; reminds of referral deadlines once."""

from django.core.management.base import BaseCommand

from relais.hub.jobs import reminders_send


class Command(BaseCommand):
    help = "Remind receiving sides of referral answers and completions due soon."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind"])

    def handle(self, *args, action, **options):
        self.stdout.write(f"{reminders_send()} reminder(s) sent.")
