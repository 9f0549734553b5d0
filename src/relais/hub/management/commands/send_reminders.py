"""`relais send_reminders`: run every hour; reminds of referral deadlines once."""

from django.core.management.base import BaseCommand

from relais.hub.jobs import reminders_send


class Command(BaseCommand):
    help = "Remind receiving sides of referral answers and completions due soon."

    def handle(self, *args, **options):
        self.stdout.write(f"{reminders_send()} reminder(s) sent.")
