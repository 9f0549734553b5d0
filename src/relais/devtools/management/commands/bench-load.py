"""`relais bench-load`: the load benchmark (see bench/load.py).

Run it on the database `relais bench-data` filled; loopback only.
"""

from django.core.management.base import BaseCommand

from relais.devtools.bench.load import run


class Command(BaseCommand):
    help = "Load gunicorn with mixes of the roles (Locust), next to a bare view."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--seconds", type=int, default=40)

    def handle(self, *args, users, seconds, **options):
        run(users=users, seconds=seconds, out=self.stdout.write)
