"""What the cascade dashboards show, read within the viewer's scope.

Every figure comes from the summary tables (models.py) in a fixed number of
queries, whatever the size of the cascade. Where the viewer's scope is narrower
than a province (a commune, or a node of the organisation tree), the summary
cannot be cut to it, so the same figures are counted from `TrainedPerson`,
which carries the session's exact paths.

The sums, shares and projections made from the rows read here are in
figures.py; the labels and headlines that word them, in presenters.py.
"""

import datetime
import hashlib

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    FloatField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from relais.core.dates import add_months, month_start
from relais.core.scoping import Scope, get_or_404
from relais.people.models import Person
from relais.people.policies import PersonPolicy
from relais.territory.models import Territory
from relais.training.models import Certification, Facilitation, Programme, Session

from . import projection, statistics
from .figures import (
    MEASURES,
    PILOT_GENERATION,
    UNKNOWN,
    Figures,
    breakdown,
    coverage_by_region,
    gain_by_generation,
    generation_order,
    project_line,
    target_progress,
    total,
)
from .models import (
    AgeGroup,
    Area,
    ItemSummary,
    SessionSummary,
    Target,
    TrainedPerson,
    TrainerSummary,
    TrainingSummary,
)
from .policies import CascadePolicy, TargetPolicy

DEFAULT_INACTIVE_MONTHS = 6
RATE_SECONDS = 600
LEADING_ROLES = (Facilitation.Role.LEAD, Facilitation.Role.CO_FACILITATOR)


def dashboard_scope(actor) -> Scope:
    return CascadePolicy.scope(actor)


def programme_list() -> list[Programme]:
    """Every programme, for the dashboards' choice of one (none: no dashboard)."""
    return list(Programme.objects.order_by("code"))


def regions_in(scope: Scope) -> list[Territory]:
    """The regions the viewer sees at least part of."""
    return [
        region
        for region in Territory.objects.filter(level=Territory.Level.REGION)
        if scope.covers(territory_path=region.path)
        or any(path.startswith(region.path) for path in scope.territory_paths)
    ]


def _summary_fits(scope: Scope) -> bool:
    """Whether the province-level summary can be cut exactly to this scope."""
    return not scope.organisation_paths and all(
        path.count("/") <= 3 for path in scope.territory_paths
    )


# -- People trained -------------------------------------------------------------


def _fact_measures() -> dict:
    """SUMMARY_COUNTS, counted on TrainedPerson rows."""
    return {
        "people": Count("id"),
        "female": Count("id", filter=Q(sex=Person.Sex.FEMALE)),
        "male": Count("id", filter=Q(sex=Person.Sex.MALE)),
        "sex_unknown": Count("id", filter=Q(sex="")),
        **{
            f"age_{group.value or 'unknown'}": Count("id", filter=Q(age_group=group))
            for group in AgeGroup
        },
        "urban": Count("id", filter=Q(area=Area.URBAN)),
        "rural": Count("id", filter=Q(area=Area.RURAL)),
        "area_unknown": Count("id", filter=Q(area=Area.UNKNOWN)),
        "disability_yes": Count("id", filter=Q(disability=Person.Disability.YES)),
        "disability_no": Count("id", filter=Q(disability=Person.Disability.NO)),
        "disability_unknown": Count("id", filter=Q(disability="")),
        "gain_n": Count("gain"),
        "gain_sum": Sum("gain"),
        "gain_squares": Sum(F("gain") * F("gain"), output_field=FloatField()),
    }


def trained_rows(*, scope: Scope, programme, region: Territory | None = None):
    """People trained, by region, level, audience, generation and month: one query."""
    if _summary_fits(scope):
        rows = TrainingSummary.objects.filter(
            scope.q(territory="province_path", organisation=None),
            programme=programme,
        )
        if region is not None:
            rows = rows.filter(province_path__startswith=region.path)
        rows = rows.annotate(region=Substr("province_path", 4, 2))
        measures = {name: Sum(name) for name in MEASURES}
    else:
        rows = TrainedPerson.objects.filter(
            scope.q(territory="territory_path", organisation="organisation_path"),
            programme=programme,
        )
        if region is not None:
            rows = rows.filter(territory_path__startswith=region.path)
        rows = rows.annotate(region=Substr("province_path", 4, 2))
        measures = _fact_measures()
    return list(
        rows.values("region", "level", "audience", "generation", "month")
        .annotate(**measures)
        .order_by()
    )


def refreshed_at(programme) -> datetime.datetime | None:
    return TrainingSummary.objects.filter(programme=programme).aggregate(
        at=Max("refreshed_at")
    )["at"]


# -- Trainers ---------------------------------------------------------------------


def trainer_activity(*, scope: Scope, programme, months: int, today=None):
    """Certified and active trainers by region: one query.

    A trainer is active when they led or co-facilitated a session that started
    within the last `months` months (and was not cancelled).
    """
    today = today or timezone.localdate()
    since = add_months(today, -months)
    rows = (
        _with_last_delivery(
            certified_trainers(scope=scope, programme=programme, today=today),
            programme,
            today,
        )
        .annotate(region=Substr("territory_path", 4, 2))
        .values("region")
        .annotate(
            certified=Count("id"),
            active_count=Count("id", filter=Q(last_delivery__gte=since)),
        )
        .order_by()
    )
    return {row["region"]: row for row in rows}


def _with_last_delivery(certifications, programme, today):
    """Annotate certified trainers with `last_delivery`, the start of the last
    session they led or co-facilitated by `today` (see TrainerActivity): one
    join, where a look-up per trainer cost a tenth of a second nationally."""
    activity = FilteredRelation(
        "person__trainer_activity",
        condition=Q(person__trainer_activity__programme=programme),
    )
    return certifications.annotate(activity=activity).annotate(
        last_delivery=Case(
            When(activity__next_delivery__lte=today, then=F("activity__next_delivery")),
            default=F("activity__last_delivery"),
        )
    )


def certified_trainers(*, scope: Scope, programme, today=None):
    today = today or timezone.localdate()
    return Certification.objects.valid_on(today).filter(
        scope.q(territory="territory_path", organisation=None), programme=programme
    )


def trainees_by_region(*, scope: Scope, programme) -> dict[str, int]:
    """People trained by the trainers who trained in each region: one query."""
    rows = (
        TrainerSummary.objects.filter(
            scope.q(territory="province_path", organisation=None), programme=programme
        )
        .annotate(region=Substr("province_path", 4, 2))
        .values("region")
        .annotate(trainees=Sum("trainees"))
        .order_by()
    )
    return {row["region"]: row["trainees"] for row in rows}


# -- Sessions ---------------------------------------------------------------------


def sessions_by_region(*, scope: Scope, programme, region=None) -> dict:
    """Sessions held (closed) and planned (not yet closed), by region: one query."""
    sessions = Session.objects.filter(
        scope.q(territory="territory_path", organisation="organisation_path"),
        programme=programme,
    ).exclude(status=Session.Status.CANCELLED)
    if region is not None:
        sessions = sessions.filter(territory_path__startswith=region.path)
    rows = (
        sessions.annotate(region=Substr("territory_path", 4, 2))
        .values("region")
        .annotate(
            held=Count("id", filter=Q(status=Session.Status.CLOSED)),
            planned=Count("id", filter=~Q(status=Session.Status.CLOSED)),
        )
        .order_by()
    )
    return {row["region"]: row for row in rows}


# -- Targets ----------------------------------------------------------------------


def target_territories(*, actor):
    """The country or the regions the actor may set targets for."""
    return Territory.objects.filter(
        TargetPolicy.territories(actor),
        level__in=[Territory.Level.COUNTRY, Territory.Level.REGION],
    ).order_by("path")


def target_get_managed(*, actor, pk) -> Target:
    """A target the actor may change: any other is not found."""
    return get_or_404(
        Target.objects.filter(
            territory__in=target_territories(actor=actor)
        ).select_related("territory"),
        pk=pk,
    )


def targets_in(*, scope: Scope, programme, region=None):
    targets = Target.objects.filter(
        scope.q(territory="territory__path", organisation=None), programme=programme
    ).select_related("territory")
    if region is not None:
        targets = targets.filter(territory__path__startswith=region.path)
    return targets


# -- Dilution ---------------------------------------------------------------------


def trainer_gains(*, scope: Scope, programme, region=None):
    """Each trainer's trainees and their gains (sufficient statistics): one query."""
    rows = TrainerSummary.objects.filter(
        scope.q(territory="province_path", organisation=None), programme=programme
    )
    if region is not None:
        rows = rows.filter(province_path__startswith=region.path)
    return list(
        rows.values("trainer_id")
        .annotate(
            trainees=Sum("trainees"),
            gain_n=Sum("gain_n"),
            gain_sum=Sum("gain_sum"),
            gain_squares=Sum("gain_squares"),
        )
        .order_by()
    )


def item_rows(*, scope: Scope, programme, region=None):
    rows = ItemSummary.objects.filter(
        scope.q(territory="province_path", organisation=None), programme=programme
    )
    if region is not None:
        rows = rows.filter(province_path__startswith=region.path)
    return [
        (row["item"], row["generation"], row["n"], row["score"], row["max"])
        for row in rows.values("item", "generation")
        .annotate(
            n=Sum("answers"),
            score=Cast(Sum("score_sum"), FloatField()),
            max=Cast(Sum("max_sum"), FloatField()),
        )
        .order_by()
    ]


# -- Projection parameters ----------------------------------------------------------


def session_rates(*, scope: Scope, programme, since: datetime.date) -> dict:
    """Closed sessions since a date: sessions, enrolled, completed: one query."""
    return SessionSummary.objects.filter(
        scope.q(territory="province_path", organisation=None),
        programme=programme,
        month__gte=since.replace(day=1),
    ).aggregate(
        sessions=Sum("sessions"), enrolled=Sum("enrolled"), completed=Sum("completed")
    )


def deliveries_since(*, scope: Scope, programme, since, today) -> int:
    """Sessions led or co-facilitated by trainers since a date: one query, kept
    RATE_SECONDS (it counts a year of sessions, a twentieth of a second
    nationally, for a rate that moves little within minutes)."""
    asked = hashlib.sha256(repr((scope, programme.pk, since, today)).encode())
    return cache.get_or_set(
        f"monitoring:deliveries:{asked.hexdigest()}",
        lambda: (
            Facilitation.objects.filter(
                scope.q(
                    territory="session__territory_path",
                    organisation="session__organisation_path",
                ),
                role__in=LEADING_ROLES,
                session__programme=programme,
                session__start_date__gte=since,
                session__start_date__lte=today,
            )
            .exclude(session__status=Session.Status.CANCELLED)
            .count()
        ),
        RATE_SECONDS,
    )


def certification_flows(*, scope: Scope, programme, since) -> dict:
    """Trainers certified since a date, and certifications that ended: one query."""
    ended = [
        Certification.Status.EXPIRED,
        Certification.Status.REVOKED,
        Certification.Status.SUSPENDED,
    ]
    return Certification.objects.filter(
        scope.q(territory="territory_path", organisation=None), programme=programme
    ).aggregate(
        newly_certified=Count(
            "id",
            filter=Q(certified_on__gte=since, level=Certification.Level.RELAY_TRAINER),
        ),
        ended=Count("id", filter=Q(status__in=ended, updated_at__date__gte=since)),
        ever=Count("id", filter=Q(certified_on__isnull=False)),
    )


# -- The pages ----------------------------------------------------------------------


def dashboard(
    *,
    actor,
    programme,
    region=None,
    months=DEFAULT_INACTIVE_MONTHS,
    today=None,
    count_sessions=True,
):
    """Every figure of the national or regional dashboard, in a bounded number of
    queries (see the query-count tests). Without `count_sessions`, the sessions
    held and planned are left at 0 (counting them reads every session of the
    programme: a third of the projection page's time nationally, for figures it
    does not show)."""
    scope = dashboard_scope(actor)
    regions = regions_in(scope)
    if region is not None:
        regions = [r for r in regions if r.pk == region.pk]
    rows = trained_rows(scope=scope, programme=programme, region=region)
    today = today or timezone.localdate()
    trainers = trainer_activity(
        scope=scope, programme=programme, months=months, today=today
    )
    trainees = trainees_by_region(scope=scope, programme=programme)
    sessions = (
        sessions_by_region(scope=scope, programme=programme, region=region)
        if count_sessions
        else {}
    )
    progress = target_progress(
        targets_in(scope=scope, programme=programme, region=region), rows
    )
    by_region = breakdown(rows, "region", MEASURES)
    region_rows = []
    for territory in regions:
        code = territory.code
        certified = trainers.get(code, {}).get("certified", 0)
        region_rows.append(
            {
                "region": territory,
                "figures": by_region.get(code, Figures()),
                "certified": certified,
                "active": trainers.get(code, {}).get("active_count", 0),
                "factor": (trainees.get(code, 0) / certified) if certified else None,
                "held": sessions.get(code, {}).get("held", 0),
                "planned": sessions.get(code, {}).get("planned", 0),
            }
        )
    generations = breakdown(rows, "generation")
    return {
        "total": total(rows),
        "regions": region_rows,
        "national_trainers": trainers.get("", {}),
        "certified": sum(row["certified"] for row in trainers.values()),
        "active": sum(row["active_count"] for row in trainers.values()),
        "held": sum(row["held"] for row in sessions.values()),
        "planned": sum(row["planned"] for row in sessions.values()),
        "by_level": breakdown(rows, "level"),
        "by_audience": breakdown(rows, "audience"),
        "by_generation": dict(sorted(generations.items(), key=generation_order)),
        "by_month": dict(sorted(breakdown(rows, "month").items())),
        "targets": progress,
        "coverage": coverage_by_region(progress, today),
        "refreshed_at": refreshed_at(programme),
        "months": months,
        "rows": rows,
    }


def parameters_from_data(
    *, scope: Scope, programme, active: int, certified: int, today=None
) -> projection.Parameters:
    """The projection's rates as the last twelve months of the cascade show them."""
    today = today or timezone.localdate()
    since = add_months(today, -12)
    rates = session_rates(scope=scope, programme=programme, since=since)
    sessions, enrolled = rates["sessions"] or 0, rates["enrolled"] or 0
    completed = rates["completed"] or 0
    deliveries = deliveries_since(
        scope=scope, programme=programme, since=since, today=today
    )
    flows = certification_flows(scope=scope, programme=programme, since=since)
    return projection.Parameters(
        sessions_per_trainer_per_quarter=round(deliveries / active / 4, 2)
        if active
        else 0.0,
        seats_per_session=round(enrolled / sessions, 1) if sessions else 0.0,
        completion_rate=round(completed / enrolled, 3) if enrolled else 0.0,
        certification_rate=round(min(flows["newly_certified"] / completed, 1), 3)
        if completed
        else 0.0,
        activation_rate=round(min(active / certified, 1), 3) if certified else 0.0,
        attrition_per_quarter=round(min(flows["ended"] / flows["ever"] / 4, 1), 3)
        if flows["ever"]
        else 0.0,
    )


def projections(
    *, actor, programme, region=None, parameters=None, today=None, base=None
):
    """Month by month and region by region: when each target is reached, if ever.

    The projection starts next month from the people trained within each
    target's period and from the region's active trainers; the rates come from
    the data unless `parameters` (a what-if) replaces them. `base` is the
    dashboard's figures, when the caller has them already.
    """
    today = today or timezone.localdate()
    base = base or dashboard(
        actor=actor,
        programme=programme,
        region=region,
        today=today,
        count_sessions=False,
    )
    scope = dashboard_scope(actor)
    from_data = parameters_from_data(
        scope=scope,
        programme=programme,
        active=base["active"],
        certified=base["certified"],
        today=today,
    )
    parameters = parameters or from_data
    start = month_start(today, 1)
    rows = base["rows"]
    lines = []
    for row in base["regions"]:
        code = row["region"].code
        targets = [
            item
            for item in base["targets"]
            if item["target"].territory.level == Territory.Level.REGION
            and item["target"].territory.code == code
        ]
        lines.append(
            project_line(
                row["region"],
                targets,
                row["active"],
                rows,
                code,
                parameters,
                start,
                today,
            )
        )
    national = [
        item
        for item in base["targets"]
        if item["target"].territory.level == Territory.Level.COUNTRY
    ]
    overall = None
    if region is None:
        overall = project_line(
            None, national, base["active"], rows, None, parameters, start, today
        )
    return {
        "parameters": parameters,
        "from_data": from_data,
        "lines": lines,
        "overall": overall,
        "start": start,
        "explanation": projection.explanation(parameters),
    }


def dilution(*, actor, programme, region=None) -> dict:
    """Whether learning holds up down the cascade: gain by generation against the
    pilot group, each trainer's effect (shrunk), and the questions that lose most."""
    scope = dashboard_scope(actor)
    rows = trained_rows(scope=scope, programme=programme, region=region)
    by_generation = gain_by_generation(rows)
    pilot = dict(by_generation).get(PILOT_GENERATION)
    grand_mean, effects = statistics.trainer_effects(
        [
            (row["trainer_id"], row["gain_n"], row["gain_sum"], row["gain_squares"])
            for row in trainer_gains(scope=scope, programme=programme, region=region)
        ]
    )
    flagged = sorted(
        (effect for effect in effects if effect.flag),
        key=lambda effect: effect.shrunk_mean,
    )
    # Named only where the viewer may see the person; the figures stay.
    people = Person.objects.filter(PersonPolicy.readable(actor)).in_bulk(
        [effect.key for effect in flagged]
    )
    return {
        "by_generation": by_generation,
        "pilot": pilot,
        "grand_mean": grand_mean,
        "trainers": len(effects),
        "flagged": [(people.get(effect.key), effect) for effect in flagged],
        "items": statistics.item_losses(
            item_rows(scope=scope, programme=programme, region=region)
        ),
    }


# -- Drill-down lists -----------------------------------------------------------------
#
# The figures of the drill-downs follow the dashboard's scope; the names in them
# follow the people's: a name (and the link to the person) is shown only where
# PersonPolicy lets the viewer see that person. Viewers who may see nobody get
# the counts alone (see CascadePolicy.sees_people and views.py).


def mark_people_visible(rows, actor) -> list:
    """Set `person_visible` on the rows of a page: may the viewer see its person?
    One query for the page's people, whatever the length of the list."""
    rows = list(rows)
    visible = set(
        Person.objects.filter(
            PersonPolicy.readable(actor), pk__in={row.person_id for row in rows}
        ).values_list("pk", flat=True)
    )
    for row in rows:
        row.person_visible = row.person_id in visible
    return rows


def trained_people(*, actor, programme, region=None, filters: dict):
    """The people behind a figure of the dashboard, within the viewer's scope."""
    scope = dashboard_scope(actor)
    people = TrainedPerson.objects.filter(
        scope.q(territory="territory_path", organisation="organisation_path"),
        programme=programme,
    )
    if region is not None:
        people = people.filter(territory_path__startswith=region.path)
    for name in ("level", "audience", "month", "generation"):
        if filters.get(name) not in (None, ""):
            people = people.filter(**{name: filters[name]})
    # The form names unknown values UNKNOWN; the table holds them empty.
    for name, column in (
        ("sex", "sex"),
        ("age", "age_group"),
        ("area", "area"),
        ("disability", "disability"),
    ):
        if filters.get(name):
            value = filters[name]
            people = people.filter(**{column: "" if value == UNKNOWN else value})
    return people.select_related("person", "session").order_by(
        "last_name", "first_name", "person_id"
    )


def drill_sessions(*, actor, programme, region=None, state: str = ""):
    """The sessions behind 'held' (closed) or 'planned' (not yet closed)."""
    scope = dashboard_scope(actor)
    sessions = Session.objects.filter(
        scope.q(territory="territory_path", organisation="organisation_path"),
        programme=programme,
    ).exclude(status=Session.Status.CANCELLED)
    if region is not None:
        sessions = sessions.filter(territory_path__startswith=region.path)
    if state == "held":
        sessions = sessions.filter(status=Session.Status.CLOSED)
    elif state == "planned":
        sessions = sessions.exclude(status=Session.Status.CLOSED)
    return sessions.select_related("venue").order_by("-start_date", "code")


def trainers_list(
    *, actor, programme, region=None, months: int, inactive: bool, today=None
):
    """Certified trainers with their last delivery and the people they trained;
    `inactive` keeps those who delivered nothing within `months` months."""
    today = today or timezone.localdate()
    scope = dashboard_scope(actor)
    trainers = certified_trainers(scope=scope, programme=programme, today=today)
    if region is not None:
        trainers = trainers.filter(territory_path__startswith=region.path)
    delivered = (
        Facilitation.objects.filter(
            person=OuterRef("person"),
            role__in=LEADING_ROLES,
            session__programme=programme,
            session__start_date__lte=today,
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .values("person")
        .annotate(n=Count("id"))
        .values("n")
    )
    trained = (
        TrainerSummary.objects.filter(trainer=OuterRef("person"), programme=programme)
        .values("trainer")
        .annotate(n=Sum("trainees"))
        .values("n")
    )
    trainers = _with_last_delivery(trainers, programme, today).annotate(
        delivered=Subquery(delivered), trained=Subquery(trained)
    )
    if inactive:
        since = add_months(today, -months)
        trainers = trainers.filter(
            Q(last_delivery__isnull=True) | Q(last_delivery__lt=since)
        )
    return trainers.select_related("person").order_by(
        F("last_delivery").asc(nulls_first=True), "person__last_name", "pk"
    )
