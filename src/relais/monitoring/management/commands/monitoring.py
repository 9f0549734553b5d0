"""`relais monitoring refresh`: derive the dashboards' summaries again from the facts.

Closing a session keeps them current; run this after data was changed outside
Relais's services (a restored backup, a bulk correction), and nightly to take in
people's corrected sex, age or residence and to refresh the database's
statistics.
"""

import time

from django.core.management.base import BaseCommand

from relais.monitoring import summaries


class Command(BaseCommand):
    help = "Rebuild the summary tables of the cascade dashboards from the facts."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh"])

    def handle(self, *args, action, **options):
        started = time.perf_counter()
        counts = summaries.rebuild()
        summaries.analyse()
        self.stdout.write(
            f"Summaries rebuilt in {time.perf_counter() - started:.1f} s: "
            f"{counts['trained']} people trained, {counts['summary']} summary rows."
        )
