"""`relais bench-load`: the load benchmark (see bench/load.py).

Run it on the database `relais bench-data` filled; loopback only.
"""

from django.core.management.base import BaseCommand, CommandError

from relais.devtools.bench.load import GOAL_P99_MS, run


class Command(BaseCommand):
    help = "Load gunicorn with mixes of the roles (Locust), next to a bare view."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--seconds", type=int, default=40)
        parser.add_argument(
            "--pause",
            type=float,
            default=5,
            help="The paced mixes' longest pause between pages, in seconds.",
        )

    def handle(self, *args, users, seconds, pause, **options):
        missed = run(users=users, seconds=seconds, pause=pause, out=self.stdout.write)
        if missed:
            raise CommandError(
                f"Past the goal (an error, or a 99th percentile over {GOAL_P99_MS}"
                f" ms): {', '.join(missed)}."
            )
