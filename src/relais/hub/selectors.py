"""Reads of the hub desk, within the reader's scope; the dashboards' figures."""

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone

from relais.accounts.models import RoleMembership, User
from relais.core.roles import Permission, Role
from relais.core.scoping import get_or_404, has_permission
from relais.core.subqueries import count_of
from relais.organisations.models import Organisation
from relais.people.models import Person
from relais.people.policies import PersonPolicy
from relais.territory.models import Territory
from relais.training.models import Certification

from .models import (
    Consent,
    DataCategory,
    DataRequest,
    HubSettings,
    ListeningNote,
    Need,
    Referral,
    Reminder,
    Service,
    SupervisorDesignation,
    Visit,
)
from .policies import (
    DashboardPolicy,
    DataRequestPolicy,
    NotePolicy,
    ReferralPolicy,
    ServicePolicy,
    VisitPolicy,
    dashboard_scope,
)


def hub_settings() -> HubSettings:
    return HubSettings.current()


# -- Reception --------------------------------------------------------------------


def desk_centres(*, actor) -> QuerySet:
    """The social centres whose desk the actor keeps."""
    return Organisation.objects.filter(
        VisitPolicy.where(actor, "record"), kind=Organisation.Kind.SOCIAL_CENTRE
    ).order_by("path")


def desk_centre_get(*, actor, pk) -> Organisation:
    return get_or_404(desk_centres(actor=actor), pk=pk)


def visit_list(*, actor, centre=None, day=None) -> QuerySet:
    """Visits the actor reads, newest first; at one centre, on one day if asked."""
    qs = Visit.objects.filter(VisitPolicy.readable(actor))
    if centre is not None:
        qs = qs.filter(centre=centre)
    if day is not None:
        qs = qs.filter(created_at__date=day)
    return (
        qs.select_related("centre", "person", "commune", "recorded_by")
        .prefetch_related("needs")
        .annotate(note_count=count_of(ListeningNote.objects.all(), "visit"))
        .order_by("-created_at", "-id")
    )


def visit_get(*, actor, pk) -> Visit:
    return get_or_404(
        Visit.objects.filter(VisitPolicy.readable(actor)).select_related(
            "centre", "person", "commune"
        ),
        pk=pk,
    )


def visit_notes(*, actor, visit: Visit) -> QuerySet:
    """The visit's notes without their text: who wrote, when, status, and
    whether the actor may read the text (`readable`)."""
    return (
        visit.listening_notes.select_related("author", "cosigned_by")
        .defer("text_encrypted")
        .annotate(
            readable=ExpressionWrapper(
                NotePolicy.where(actor, "read_text"), output_field=BooleanField()
            )
        )
    )


def visit_consents(visit: Visit) -> QuerySet:
    return visit.consents.select_related("recipient", "recorded_by")


def visit_referrals(visit: Visit) -> QuerySet:
    return visit.referrals.select_related("service__provider")


def visit_referral_find(*, visit: Visit, pk: int | None) -> Referral | None:
    """One of the visit's referrals, or None for another visit's or none at all."""
    return visit.referrals.filter(pk=pk).first() if pk else None


def consent_get(*, visit: Visit, pk) -> Consent:
    return get_or_404(visit.consents.all(), pk=pk)


def note_get(*, actor, pk) -> ListeningNote:
    """A note of a visit the actor reads (its text is `services.note_read`'s)."""
    return get_or_404(
        ListeningNote.objects.filter(
            visit__in=Visit.objects.filter(VisitPolicy.readable(actor))
        ).select_related("visit__centre", "author"),
        pk=pk,
    )


def referral_list(*, actor, box="", status="") -> QuerySet:
    if box == "sent":
        qs = Referral.objects.filter(ReferralPolicy.readable_as_sender(actor))
    elif box == "received":
        qs = Referral.objects.filter(ReferralPolicy.readable_as_receiver(actor))
    else:
        qs = Referral.objects.filter(ReferralPolicy.readable(actor))
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("service__provider", "visit__centre", "person", "need")
        .annotate(reminders_sent=count_of(Reminder.objects.all(), "referral"))
        .order_by("-created_at", "-id")
    )


# A badge counts up to this many, then says "99+": nationally tens of thousands
# of referrals wait, and counting them all on every home page costs more than
# the number tells.
BADGE_MOST = 99


def referrals_awaiting_answer(*, actor) -> int:
    """Referrals sent to the actor's side that wait for an answer, counted up
    to one past BADGE_MOST."""
    if not has_permission(actor, Permission.REFERRAL_RECEIVE):
        return 0
    waiting = Referral.objects.filter(
        ReferralPolicy.readable_as_receiver(actor), status=Referral.Status.SENT
    )
    return waiting[: BADGE_MOST + 1].count()


def referral_get(*, actor, pk) -> Referral:
    qs = Referral.objects.filter(ReferralPolicy.readable(actor)).select_related(
        "service__provider", "visit__centre", "person", "need", "consent"
    )
    return get_or_404(
        qs.prefetch_related(Prefetch("follow_ups"), Prefetch("reminders")), pk=pk
    )


def referral_consents(referral: Referral) -> QuerySet:
    """The visit's consents in force to share with the referral's recipient."""
    return referral.visit.consents.filter(
        withdrawn_at__isnull=True, recipient=referral.service.provider
    )


# -- Catalogue --------------------------------------------------------------------


def need_list() -> QuerySet:
    return Need.objects.all()


def need_find(pk: int | None) -> Need | None:
    return Need.objects.filter(pk=pk).first() if pk else None


def place_find(code: str) -> Territory | None:
    """The region or province the catalogue is filtered by, from its code."""
    return Territory.objects.filter(code=code).first()


def catalogue_places() -> QuerySet:
    return Territory.objects.filter(level__in=["region", "province"])


def provider_list(*, actor) -> QuerySet:
    """The organisations whose services (and supervisors) the actor manages."""
    return Organisation.objects.filter(ServicePolicy.where(actor, "edit")).order_by(
        "path"
    )


def provider_get(*, actor, pk) -> Organisation:
    return get_or_404(provider_list(actor=actor), pk=pk)


def service_get_editable(*, actor, pk) -> Service:
    """A service the actor may edit; missing and out of reach are both a 404."""
    service = get_or_404(Service.objects.select_related("provider"), pk=pk)
    if not ServicePolicy.can(actor, "edit", service.provider):
        raise Http404
    return service


def centre_staff(centre: Organisation) -> QuerySet:
    return User.objects.filter(memberships__organisation=centre).distinct()


def centre_staff_get(*, centre: Organisation, pk) -> User:
    return get_or_404(centre_staff(centre), pk=pk)


def centre_supervisors(centre: Organisation) -> QuerySet:
    return centre.supervisors.select_related("user")


def supervisor_designation_get(*, centre: Organisation, pk) -> SupervisorDesignation:
    return get_or_404(centre.supervisors.all(), pk=pk)


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


def dashboard_centre_get(*, actor, pk) -> Organisation:
    """An organisation within the actor's dashboards."""
    return get_or_404(
        Organisation.objects.filter(
            dashboard_scope(actor).q(territory="territory_path", organisation="path")
        ),
        pk=pk,
    )


def dashboard_regions(*, actor) -> list[Territory]:
    scope = dashboard_scope(actor)
    return [
        region
        for region in Territory.objects.filter(level="region")
        if scope.covers(territory_path=region.path)
    ]


def dashboard_region_get(*, actor, code) -> Territory:
    region = get_or_404(Territory.objects.filter(level="region"), code=code)
    if not dashboard_scope(actor).covers(territory_path=region.path):
        raise Http404
    return region


def dashboard(*, actor, territory=None, centre=None, since=None) -> dict:
    """Figures for a centre, a region or the country, within the viewer's scope.

    A fixed number of aggregate queries, whatever the number of visits.
    """
    visits = Visit.objects.filter(DashboardPolicy.readable(actor))
    referrals = Referral.objects.filter(DashboardPolicy.readable(actor))
    centres = Organisation.objects.filter(
        dashboard_scope(actor).q(territory="territory_path", organisation="path"),
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


# -- Data protection --------------------------------------------------------------


def data_request_list(*, actor) -> QuerySet:
    return DataRequest.objects.filter(DataRequestPolicy.readable(actor)).select_related(
        "person"
    )


def data_request_get(*, actor, pk) -> DataRequest:
    return get_or_404(data_request_list(actor=actor), pk=pk)


def data_request_person_find(*, actor, pk) -> Person | None:
    """The person a request is about, if the actor reads them."""
    return Person.objects.filter(PersonPolicy.readable(actor), pk=pk).first()


def data_category_list() -> QuerySet:
    return DataCategory.objects.all()
