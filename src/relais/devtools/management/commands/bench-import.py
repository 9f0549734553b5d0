"""`relais bench-import --rows 500000`: the import benchmark (see bench/imports.py).

Run it on a database of its own: it writes and then deletes people.
"""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand

from relais.devtools.bench.imports import run


class Command(BaseCommand):
    help = "Time the people import against a raw baseline and django-import-export."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=2_000)
        parser.add_argument("--xlsx", action="store_true")
        parser.add_argument("--sample", type=int, default=50_000)
        parser.add_argument(
            "--repeat", type=int, default=1, help="Keep the best of this many runs."
        )

    def handle(self, *args, rows, xlsx, sample, repeat, **options):
        with tempfile.TemporaryDirectory() as folder:
            run(
                rows,
                Path(folder),
                xlsx=xlsx,
                sample=sample,
                repeat=repeat,
                out=self.stdout.write,
            )
