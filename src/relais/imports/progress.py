"""Where an import from the web stands, as its worker tells it: the half the
pages read. The worker writes it (see tasks.py); reading it writes nothing."""

import datetime

from django.core.cache import cache
from django.utils import timezone

# How long the worker's last word is kept.
PROGRESS_SECONDS = 24 * 3600
# A dry run or an import silent for this long lost its worker (killed, restarted):
# both beat every few thousand rows, and the longest takes a few minutes.
STALE_AFTER = datetime.timedelta(minutes=30)


def progress_key(job_id: int) -> str:
    return f"relais:imports:{job_id}:progress"


def progress_of(job) -> dict:
    """{"stage": "checking" | "writing", "done": n, "total": n, "at": t}, or {}.

    "at" is when the worker last said where it stands (seconds since the epoch).
    """
    return cache.get(progress_key(job.pk)) or {}


def last_sign_of_life(job) -> datetime.datetime:
    """The latest of the job's last change and its worker's last progress."""
    latest = max(d for d in (job.updated_at, job.started_at) if d is not None)
    beat = progress_of(job).get("at")
    if beat:
        latest = max(latest, datetime.datetime.fromtimestamp(beat, datetime.UTC))
    return latest


def stalled(job) -> bool:
    """Whether a dry run or an import in progress lost its worker: a page
    watching it says so and stops waiting, and the next sweep fails it."""
    return job.is_working and last_sign_of_life(job) < timezone.now() - STALE_AFTER
