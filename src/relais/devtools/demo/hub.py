"""The hub desk in the demo: Dakhla, where the GISR pilot started, and three other
regions, with three months of visits, listening notes and referrals in every state.

Records go through the services; only their dates are then moved back to the day
they stand for, since a service stamps what it writes with the present time.
"""

import datetime
import random

from django.utils import timezone

from relais.accounts.models import User
from relais.core.roles import Role
from relais.hub import dataprotection, jobs, services
from relais.hub.models import (
    DataRequest,
    ListeningNote,
    Need,
    Referral,
    Service,
    SupervisorDesignation,
    Visit,
)
from relais.organisations.models import Organisation
from relais.people.models import Person

from .names import FEMALE_FIRST, LAST, MALE_FIRST
from .users import demo_user

FIRST_NAMES = FEMALE_FIRST + MALE_FIRST
LAST_NAMES = LAST

# centre code -> the agent who works its front desk
HUBS = {
    "CS-DAK-01": "agent.dakhla",
    "CS-DAK-02": "agent.dakhla2",
    "CS-09-01": "agent.agadir",
    "CS-02-01": "agent.oujda",
    "CS-06-01": "agent.casablanca",
}
CENTRE_SERVICES = [
    (
        "Aide aux démarches en ligne",
        "المساعدة في المساطر الإلكترونية",
        ["digital", "admin"],
        True,
        40,
    ),
    (
        "Écoute et orientation",
        "الإنصات والتوجيه",
        ["listening", "violence", "child"],
        False,
        25,
    ),
    (
        "Inscription aux programmes d'aide sociale",
        "التسجيل في برامج الدعم الاجتماعي",
        ["social_aid", "elderly", "disability"],
        True,
        30,
    ),
]
ASSOCIATION_SERVICES = [
    (
        "Accompagnement juridique des femmes",
        "المواكبة القانونية للنساء",
        ["violence", "listening"],
        False,
        12,
    ),
    (
        "Insertion professionnelle des jeunes",
        "الإدماج المهني للشباب",
        ["employment", "training"],
        False,
        20,
    ),
    (
        "Soutien aux personnes en situation de handicap",
        "دعم الأشخاص في وضعية إعاقة",
        ["disability", "health"],
        False,
        10,
    ),
]
NOTES = [
    "Personne venue pour une aide au dossier; situation familiale difficile.",
    "Demande d'écoute; exprime une grande fatigue, à revoir dans quinze jours.",
    "Souhaite un accompagnement pour l'inscription de son enfant.",
    "Signale des difficultés financières depuis la perte d'emploi du conjoint.",
]
START = datetime.date(2026, 9, 1)
END = datetime.date(2026, 11, 27)


def _at(day: datetime.date, rng) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(
            day, datetime.time(rng.randrange(8, 17), rng.randrange(60))
        )
    )


def _catalogue(admin, needs) -> dict[str, list[Service]]:
    by_centre = {}
    for code in HUBS:
        centre = Organisation.objects.get(code=code)
        by_centre[code] = [
            Service.objects.filter(provider=centre, label_fr=fr).first()
            or services.service_save(
                actor=admin,
                provider=centre,
                needs=[needs[n] for n in need_codes],
                label_fr=fr,
                label_ar=ar,
                online=online,
                capacity_per_week=capacity,
                opening_hours="Lun–Ven 8h30–16h30",
                languages=["ar", "fr", "zgh", "mey"][:3],
            )
            for fr, ar, need_codes, online, capacity in CENTRE_SERVICES
        ]
    for association in Organisation.objects.filter(
        kind=Organisation.Kind.ASSOCIATION,
        territory_path__regex=r"^MA/(12|09|02|06)/",
    ):
        for fr, ar, need_codes, online, capacity in ASSOCIATION_SERVICES[
            : 1 + association.pk % 3
        ]:
            if not Service.objects.filter(provider=association, label_fr=fr).exists():
                services.service_save(
                    actor=admin,
                    provider=association,
                    needs=[needs[n] for n in need_codes],
                    label_fr=fr,
                    label_ar=ar,
                    online=online,
                    capacity_per_week=capacity,
                    opening_hours="Mar, Jeu 9h–13h",
                    languages=["ar", "fr"],
                )
    return by_centre


def load_hubs(admin) -> dict:
    if Visit.objects.exists():
        return {"visits": Visit.objects.count()}
    needs = {n.code: n for n in Need.objects.all()}
    by_centre = _catalogue(admin, needs)
    manager = User.objects.get(username="manager.dakhla")
    dakhla = Organisation.objects.get(code="CS-DAK-01")
    SupervisorDesignation.objects.get_or_create(centre=dakhla, user=manager)
    for code, username in HUBS.items():
        centre = Organisation.objects.get(code=code)
        agent = demo_user(username, Role.HUB_AGENT, organisation=centre)
        _three_months(
            admin,
            agent,
            manager if code == "CS-DAK-01" else None,
            centre,
            by_centre,
            needs,
            random.Random(f"hub:{code}"),
        )
    jobs.reminders_send()
    _data_requests(admin)
    return {"visits": Visit.objects.count()}


def _three_months(admin, agent, supervisor, centre, by_centre, needs, rng):
    region = centre.territory_path.split("/")[1]
    partners = list(
        Service.objects.filter(territory_path__startswith=f"MA/{region}/")
        .exclude(provider=centre)
        .select_related("provider")
    )
    day = START
    states = [
        "draft",
        "sent",
        "accepted",
        "declined",
        "in_progress",
        "completed",
        "closed",
    ]
    while day <= END:
        if day.weekday() < 5:
            for _ in range(rng.randrange(1, 5)):
                visit = services.visit_record(
                    actor=agent,
                    centre=centre,
                    channel=rng.choices(["walk_in", "phone", "outreach"], [6, 3, 1])[0],
                    needs=rng.sample(list(needs.values()), rng.choice([1, 1, 2])),
                    minutes=rng.choice([5, 10, 15, 20, 30]),
                    digital_assisted=rng.random() < 0.3,
                    sex=rng.choice(["F", "F", "M", ""]),
                    age_group=rng.choice(["18-29", "30-44", "45-59", "60+", ""]),
                )
                when = _at(day, rng)
                Visit.objects.filter(pk=visit.pk).update(
                    created_at=when, updated_at=when
                )
                if rng.random() < 0.08:
                    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                    visit = services.visit_open_file(
                        actor=agent,
                        visit=visit,
                        first_name=first[0],
                        first_name_ar=first[1],
                        last_name=last[0],
                        last_name_ar=last[1],
                    )
                if rng.random() < 0.3:
                    note = services.note_write(
                        actor=agent, visit=visit, text=rng.choice(NOTES)
                    )
                    ListeningNote.objects.filter(pk=note.pk).update(created_at=when)
                    if supervisor and note.supervised and rng.random() < 0.7:
                        services.note_cosign(actor=supervisor, note=note)
                if rng.random() < 0.25 and partners:
                    _referral(
                        admin,
                        agent,
                        visit,
                        rng.choice(partners + by_centre[centre.code]),
                        rng.choice(states),
                        when,
                        rng,
                    )
        day += datetime.timedelta(days=1)


def _referral(admin, agent, visit, service, state, when, rng):
    referral = services.referral_create(
        actor=agent,
        visit=visit,
        service=service,
        need=visit.needs.first(),
        reason="Orientation après entretien d'accueil.",
    )
    if state != "draft":
        consent = None
        if service.provider_id != visit.centre_id:
            if rng.random() < 0.1:
                referral = services.referral_send(
                    actor=admin,
                    referral=referral,
                    override_reason="Danger: envoi sans attendre le consentement.",
                )
            else:
                consent = services.consent_record(
                    actor=agent,
                    visit=visit,
                    recipient=service.provider,
                    purpose="Orientation vers le service et suivi",
                )
        if referral.status == Referral.Status.DRAFT:
            referral = services.referral_send(
                actor=agent, referral=referral, consent=consent
            )
    if state in ("accepted", "in_progress", "completed"):
        referral = services.referral_accept(actor=admin, referral=referral)
    if state == "in_progress":
        referral = services.referral_start(actor=admin, referral=referral)
    if state == "completed":
        referral = services.referral_complete(actor=admin, referral=referral)
    if state == "declined":
        referral = services.referral_decline(
            actor=admin, referral=referral, reason="Hors du champ du service"
        )
    if state == "closed":
        referral = services.referral_close(
            actor=admin,
            referral=referral,
            reason=rng.choice(Referral.ClosureReason.values[:-1]),
        )
    # Move the life cycle back to the visit's day, keeping its durations plausible.
    shift = timezone.now() - when
    delay = datetime.timedelta(hours=rng.randrange(4, 70))
    updates = {"created_at": when}
    for field in ("sent_at", "accept_by", "complete_by"):
        if getattr(referral, field):
            updates[field] = getattr(referral, field) - shift
    if referral.accepted_at:
        updates["accepted_at"] = updates.get("sent_at", when) + delay
    if referral.finished_at:
        updates["finished_at"] = updates.get("sent_at", when) + delay * rng.randrange(
            2, 8
        )
    Referral.objects.filter(pk=referral.pk).update(**updates)


def _data_requests(admin):
    """An access request answered with the person's file, two still open."""
    people = Person.objects.filter(visits__isnull=False).distinct().order_by("pk")[:3]
    kinds = ["access", "rectification", "opposition"]
    for person, kind in zip(people, kinds, strict=False):
        if DataRequest.objects.filter(person=person).exists():
            continue
        data_request = dataprotection.request_create(
            actor=admin,
            person=person,
            kind=kind,
            received_on=datetime.date(2026, 11, 2),
        )
        if kind == "access":
            dataprotection.request_answer(
                actor=admin,
                data_request=data_request,
                status=DataRequest.Status.ANSWERED,
                answer="Dossier remis en main propre le 6 novembre 2026.",
            )
