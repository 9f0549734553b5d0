"""`relais lineage rebuild`: derive who trained whom again from the facts.

`relais lineage check` compares the stored lineage with a fresh derivation and
fails if they differ, without changing anything.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from relais.training import lineage
from relais.training.signals import lineage_rebuilt


class Command(BaseCommand):
    help = "Rebuild (or check) the stored cascade lineage from completions."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "check"])

    def handle(self, *args, action, **options):
        if action == "rebuild":
            counts = lineage.rebuild()
            lineage_rebuilt.send(sender=self.__class__)
            self.stdout.write(
                f"Lineage rebuilt: {counts['links']} links, {counts['people']} people."
            )
            return
        stored = lineage.snapshot()
        with transaction.atomic():
            lineage.rebuild()
            derived = lineage.snapshot()
            transaction.set_rollback(True)
        if stored != derived:
            raise CommandError("The stored lineage differs from the facts: rebuild it.")
        self.stdout.write("The stored lineage matches the facts.")
