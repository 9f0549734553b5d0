"""`relais retention apply`: run daily; anonymises what has outlived its purpose."""

from django.core.management.base import BaseCommand

from relais.hub.jobs import retention_run


class Command(BaseCommand):
    help = "Anonymise hub data past its retention period and report what was done."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["apply"])

    def handle(self, *args, action, **options):
        report = retention_run()
        for category, count in report.items():
            self.stdout.write(f"{category}: {count} anonymised")
