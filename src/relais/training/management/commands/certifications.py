"""`relais certifications expire`: the daily job that expires overdue trainers."""

from django.core.management.base import BaseCommand

from relais.training.services import certifications_expire


class Command(BaseCommand):
    help = "Mark as expired the trainer certifications past their renewal date."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["expire"])

    def handle(self, *args, action, **options):
        count = certifications_expire()
        self.stdout.write(f"{count} certification(s) expired.")
