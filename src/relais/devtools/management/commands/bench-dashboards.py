"""`relais bench-dashboards`: the dashboard benchmark (see bench/dashboards.py).

Run it on the database `relais bench-data` filled.
"""

from django.core.management.base import BaseCommand

from relais.devtools.bench.dashboards import run


class Command(BaseCommand):
    help = "Time the cascade dashboards and drill-down lists against hand-written SQL."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, repeat, **options):
        run(repeat=repeat, out=self.stdout.write)
