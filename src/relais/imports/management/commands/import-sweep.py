"""`relais import-sweep`: fail the imports whose worker stopped, and delete the
files uploaded and never imported (see relais.imports.jobs.import_jobs_sweep).

The imports pages do the same when they are opened; run this from cron (say
hourly) so that it happens even when no one looks.
"""

from django.core.management.base import BaseCommand

from relais.imports.jobs import import_jobs_sweep


class Command(BaseCommand):
    help = "Fail stopped imports and delete files uploaded and never imported."

    def handle(self, *args, **options):
        swept = import_jobs_sweep()
        self.stdout.write(
            f"Stopped imports marked failed: {swept['stopped']}; "
            f"uploads deleted: {swept['expired']}."
        )
