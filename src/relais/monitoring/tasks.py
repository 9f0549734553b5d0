"""Background work of the monitoring: making a programme's summaries again."""

from django_tasks import task

from . import summaries


@task()
def summarise(programme_ids: list[int]) -> None:
    summaries.summarise(programme_ids)
