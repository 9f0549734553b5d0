"""`relais bench-pages`: the page benchmark (see bench/pages.py).

Run it on the database `relais bench-data` filled; it adds one user per role.
"""

from django.core.management.base import BaseCommand, CommandError

from relais.devtools.bench.pages import run


class Command(BaseCommand):
    help = "Time every page each role reaches, against a bare view; fail past the goal."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument(
            "--scale",
            choices=["national", "smoke"],
            default="national",
            help="At national scale a page past the goal fails the run.",
        )

    def handle(self, *args, repeat, scale, **options):
        if not run(repeat=repeat, national=scale == "national", out=self.stdout.write):
            raise CommandError("Some pages miss the goal (see above).")
