"""Scheduled work of the hub desk: reminders before deadlines, and retention.

Both are safe to run as often as one likes: a reminder is recorded once per
referral and deadline, and retention only touches what has outlived its purpose.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from relais.core.audit import audit

from .models import DataCategory, HubSettings, ListeningNote, Referral, Reminder, Visit

R = Referral.Status

# The categories of personal data the hub keeps, with their purpose, legal basis
# and retention; loaded by a data migration, adjustable by the programme unit.
ANONYMOUS_VISIT = "anonymous_visit"
LISTENING_NOTE = "listening_note"
REFERRAL = "referral"


@transaction.atomic
def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the receiving side of answers and completions due soon."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=HubSettings.current().remind_hours_before)
    due = [
        (r, Reminder.Kind.ANSWER_DUE, r.accept_by)
        for r in Referral.objects.filter(status=R.SENT, accept_by__lte=horizon)
    ] + [
        (r, Reminder.Kind.COMPLETION_DUE, r.complete_by)
        for r in Referral.objects.filter(
            status__in=[R.ACCEPTED, R.IN_PROGRESS], complete_by__lte=horizon
        )
    ]
    before = Reminder.objects.count()
    Reminder.objects.bulk_create(
        [
            Reminder(referral=r, kind=kind, due_at=due_at, sent_at=now)
            for r, kind, due_at in due
        ],
        ignore_conflicts=True,
    )
    new = Reminder.objects.count() - before
    if new:
        audit(None, "referral.remind", details={"reminders": new})
    return new


def _expired(code: str, now) -> datetime.datetime:
    category = DataCategory.objects.get(code=code)
    return now - datetime.timedelta(days=category.retention_days)


@transaction.atomic
def retention_run(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Anonymise what has outlived its purpose; say what was done."""
    now = now or timezone.now()
    visits = Visit.objects.filter(
        person__isnull=True,
        purged_at__isnull=True,
        created_at__lt=_expired(ANONYMOUS_VISIT, now),
    )
    # What could single out an anonymous visitor goes; counts of needs and
    # channels stay for the statistics.
    report = {
        "anonymous_visits": visits.update(
            sex="", age_group="", commune=None, purged_at=now
        )
    }
    notes = ListeningNote.objects.filter(
        purged_at__isnull=True, created_at__lt=_expired(LISTENING_NOTE, now)
    )
    report["listening_notes"] = notes.update(text_encrypted="", purged_at=now)
    referrals = Referral.objects.filter(
        status__in=[R.COMPLETED, R.CLOSED, R.DECLINED],
        finished_at__lt=_expired(REFERRAL, now),
    ).exclude(reason="", closure_note="")
    report["referrals"] = referrals.update(reason="", closure_note="")
    audit(None, "retention.run", details=report)
    return report
