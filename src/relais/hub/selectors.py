"""Reads of the hub desk, within the reader's scope; the dashboards' figures."""

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from relais.accounts.models import RoleMembership
from relais.core.roles import Permission, Role
from relais.core.scoping import Scope, get_or_404, has_permission
from relais.core.subqueries import count_of
from relais.organisations.models import Organisation
from relais.training.models import Certification

from .models import ListeningNote, Need, Referral, Reminder, Service, Visit
from .policies import DashboardPolicy, ReferralPolicy, VisitPolicy


def visit_list(*, actor, centre=None) -> QuerySet:
    qs = Visit.objects.filter(VisitPolicy.readable_by(actor))
    if centre is not None:
        qs = qs.filter(centre=centre)
    return (
        qs.select_related("centre", "person", "commune", "recorded_by")
        .prefetch_related("needs")
        .annotate(note_count=count_of(ListeningNote.objects.all(), "visit"))
        .order_by("-created_at", "-id")
    )


def visit_get(*, actor, pk) -> Visit:
    return get_or_404(
        Visit.objects.filter(VisitPolicy.readable_by(actor)).select_related(
            "centre", "person", "commune"
        ),
        pk=pk,
    )


def visit_notes(visit: Visit):
    """The visit's notes without their text: who wrote, when, status."""
    return visit.listening_notes.select_related("author", "cosigned_by").defer(
        "text_encrypted"
    )


def referral_list(*, actor, box="", status="") -> QuerySet:
    if box == "sent":
        qs = Referral.objects.filter(ReferralPolicy.sender_q(actor))
    elif box == "received":
        qs = Referral.objects.filter(ReferralPolicy.receiver_q(actor))
    else:
        qs = Referral.objects.filter(ReferralPolicy.readable_by(actor))
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("service__provider", "visit__centre", "person", "need")
        .annotate(reminders_sent=count_of(Reminder.objects.all(), "referral"))
        .order_by("-created_at", "-id")
    )


def referrals_awaiting_answer(*, actor) -> int:
    """Referrals sent to the actor's side that wait for an answer."""
    if not has_permission(actor, Permission.REFERRAL_RECEIVE):
        return 0
    return Referral.objects.filter(
        ReferralPolicy.receiver_q(actor), status=Referral.Status.SENT
    ).count()


def referral_get(*, actor, pk) -> Referral:
    qs = Referral.objects.filter(ReferralPolicy.readable_by(actor)).select_related(
        "service__provider", "visit__centre", "person", "need", "consent"
    )
    return get_or_404(
        qs.prefetch_related(Prefetch("follow_ups"), Prefetch("reminders")), pk=pk
    )


def service_search(*, need=None, territory=None, language="", online=None, q=""):
    """The shared catalogue: by need, place and language."""
    qs = Service.objects.filter(is_active=True)
    if need is not None:
        qs = qs.filter(needs=need)
    if territory is not None:
        qs = qs.filter(territory_path__startswith=territory.path)
    if online is not None:
        qs = qs.filter(online=online)
    if q:
        qs = qs.filter(Q(label_fr__icontains=q) | Q(label_ar__icontains=q))
    results = qs.select_related("provider__territory").prefetch_related("needs")
    # Languages are a short JSON list: filtered after the page is cut would skew
    # pagination, so match them in SQL as text.
    if language:
        results = results.filter(languages__icontains=f'"{language}"')
    return results.order_by("provider__path", "label_fr").distinct()


# -- Dashboards -------------------------------------------------------------------


def dashboard_scope(actor) -> Scope:
    territory_paths, organisation_paths = DashboardPolicy.scope(actor)
    return Scope(tuple(set(territory_paths)), tuple(set(organisation_paths)))


def dashboard(*, actor, territory=None, centre=None, since=None) -> dict:
    """Figures for a centre, a region or the country, within the viewer's scope.

    A fixed number of aggregate queries, whatever the number of visits.
    """
    scope = dashboard_scope(actor)
    visits = Visit.objects.filter(
        scope.q(territory="territory_path", organisation="organisation_path")
    )
    referrals = Referral.objects.filter(
        scope.q(territory="territory_path", organisation="organisation_path")
    )
    centres = Organisation.objects.filter(
        scope.q(territory="territory_path", organisation="path"),
        kind=Organisation.Kind.SOCIAL_CENTRE,
    )
    if centre is not None:
        visits = visits.filter(centre=centre)
        referrals = referrals.filter(visit__centre=centre)
        centres = centres.filter(pk=centre.pk)
    elif territory is not None:
        visits = visits.filter(territory_path__startswith=territory.path)
        referrals = referrals.filter(territory_path__startswith=territory.path)
        centres = centres.filter(territory_path__startswith=territory.path)
    if since is not None:
        visits = visits.filter(created_at__gte=since)
        referrals = referrals.filter(created_at__gte=since)
    totals = visits.aggregate(
        visits=Count("id"),
        digital=Count("id", filter=Q(digital_assisted=True)),
        anonymous=Count("id", filter=Q(person__isnull=True)),
    )
    by_status = dict(referrals.values_list("status").annotate(n=Count("id")).order_by())
    delays = referrals.aggregate(
        to_accept=Avg(
            ExpressionWrapper(
                F("accepted_at") - F("sent_at"), output_field=DurationField()
            )
        ),
        to_complete=Avg(
            ExpressionWrapper(
                F("finished_at") - F("sent_at"), output_field=DurationField()
            ),
            filter=Q(status=Referral.Status.COMPLETED),
        ),
    )
    needs = (
        Need.objects.filter(visit__in=visits)
        .annotate(n=Count("visit"))
        .order_by("-n", "code")[:8]
    )
    return {
        **totals,
        "referrals": sum(by_status.values()),
        "by_status": [
            (label, by_status.get(value, 0)) for value, label in Referral.Status.choices
        ],
        "hours_to_accept": _hours(delays["to_accept"]),
        "days_to_complete": _days(delays["to_complete"]),
        "needs": list(needs),
        "centres": centre_certification_shares(centres),
    }


def _hours(delay) -> float | None:
    return None if delay is None else delay.total_seconds() / 3600


def _days(delay) -> float | None:
    return None if delay is None else delay.total_seconds() / 86400


def centre_certification_shares(centres) -> list[dict]:
    """For each centre, its hub agents and how many hold a valid certification."""
    today = timezone.localdate()
    agents = RoleMembership.objects.filter(
        role=Role.HUB_AGENT, organisation__in=centres
    ).values_list("organisation_id", "user__person_id")
    certified_people = set(
        Certification.objects.valid_on(today)
        .filter(person_id__in=[p for _, p in agents if p])
        .values_list("person_id", flat=True)
    )
    counts: dict[int, list[int]] = {}
    for organisation_id, person_id in agents:
        total, certified = counts.get(organisation_id, [0, 0])
        counts[organisation_id] = [
            total + 1,
            certified + (person_id in certified_people),
        ]
    return [
        {
            "centre": c,
            "agents": counts.get(c.pk, [0, 0])[0],
            "certified": counts.get(c.pk, [0, 0])[1],
        }
        for c in centres.order_by("path")[:200]
    ]
