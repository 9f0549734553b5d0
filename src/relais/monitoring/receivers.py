"""What the dashboards do when the cascade moves (training.signals)."""

from django.db import transaction
from django.dispatch import receiver

from relais.training.models import Programme
from relais.training.signals import (
    deliveries_changed,
    lineage_rebuilt,
    session_closed,
)

from . import summaries, tasks


@receiver(session_closed)
def summarise_closed_session(sender, session, **kwargs):
    """A closing adds its completers at once, in its own transaction; the
    summaries are made again as a whole after the commit, by the task worker,
    since generations may have moved further down the cascade."""
    summaries.record_session(session)
    transaction.on_commit(lambda: tasks.summarise.enqueue([session.programme_id]))


@receiver(lineage_rebuilt)
def summarise_rebuilt_lineage(sender, **kwargs):
    """The dashboards count people by generation: make them all again."""
    summaries.summarise(list(Programme.objects.values_list("pk", flat=True)))


@receiver(deliveries_changed)
def follow_deliveries(sender, session, people, **kwargs):
    """The activation lists follow the trainers at once, in the same transaction."""
    summaries.record_deliveries(session.programme_id, people)
