"""`relais bench-data --scale national|smoke`: generate data to measure Relais on.

Run it on an empty, migrated database of its own (for example with
RELAIS_VAR_DIR=var/bench, or a DATABASE_URL naming a bench database).
"""

import time

from django.core.management.base import BaseCommand, CommandError

from relais.devtools.bench.datagen import SCALES, generate
from relais.monitoring import summaries
from relais.people.models import Person


class Command(BaseCommand):
    help = "Generate a coherent dataset at national (or smoke) scale with bulk SQL."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="smoke")

    def handle(self, *args, scale, **options):
        if Person.objects.exists():
            raise CommandError(
                "The database already holds people: generate into an empty one."
            )
        started = time.perf_counter()
        counts = generate(scale, progress=self.stdout.write)
        elapsed = time.perf_counter() - started
        rows = sum(counts.values())
        self.stdout.write(f"{rows:,} rows in {elapsed:.1f} s ({scale} scale).")
        started = time.perf_counter()
        made = summaries.rebuild()
        summaries.analyse()
        self.stdout.write(
            f"Dashboard summaries made in {time.perf_counter() - started:.1f} s "
            f"({made['trained']:,} people trained, {made['summary']:,} rows)."
        )
