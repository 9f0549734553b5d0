"""The cascade in the demo: four master trainers, two pilot phases, relay sessions
in every region, end-user sessions, and what is coming in December 2026.

Everything goes through the services, as a coordinator would do it: sessions are
planned, staffed, filled, attended, scored and closed, and trainers are certified
when the programme's criteria are met. Each session draws from its own seeded
generator and is skipped when its code exists, so running the demo again changes
nothing.
"""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from relais.accounts.models import User
from relais.core import protected
from relais.core.errors import ApplicationError
from relais.monitoring import summaries
from relais.monitoring.models import Target
from relais.monitoring.services import target_save
from relais.organisations.models import Organisation
from relais.people.models import Person
from relais.people.services import person_create
from relais.territory.models import Territory
from relais.training import services
from relais.training.models import (
    Certification,
    CurriculumKit,
    Enrolment,
    Facilitation,
    ItemScore,
    Module,
    Programme,
    Result,
    Session,
)

from . import names

SEED = 2026
F = Facilitation.Role
L = Session.Level
A = Session.Audience
D = datetime.date

MASTERS = [
    ("Latifa", "لطيفة", "Benjelloun", "بنجلون", "F", "MSISF-UGP"),
    ("Abdelaziz", "عبد العزيز", "Kabbaj", "القباج", "M", "MSISF-UGP"),
    ("Souad", "سعاد", "Sefrioui", "الصفريوي", "F", "EN"),
    ("Driss", "ادريس", "Lamrabet", "لمرابط", "M", "EN"),
]
MODULES = [
    (
        "NUM-1",
        Module.Domain.DIGITAL,
        "Outils numériques du quotidien",
        "الأدوات الرقمية اليومية",
        6,
    ),
    (
        "NUM-2",
        Module.Domain.DIGITAL,
        "Démarches en ligne et e-services",
        "المساطر والخدمات الإلكترونية",
        6,
    ),
    (
        "MGT-1",
        Module.Domain.MANAGEMENT,
        "Animer une équipe et une réunion",
        "تنشيط فريق العمل والاجتماعات",
        4,
    ),
    (
        "SUI-1",
        Module.Domain.PROJECT_MONITORING,
        "Indicateurs, cibles et suivi",
        "المؤشرات والأهداف والتتبع",
        5,
    ),
    (
        "GISR-1",
        Module.Domain.GISR,
        "Accueil, écoute et orientation",
        "الاستقبال والإنصات والتوجيه",
        5,
    ),
]


def _rng(key: str) -> random.Random:
    return random.Random(f"{SEED}:{key}")


def _person(admin, organisation, rng, *, female=None, cin_prefix="CS"):
    female = rng.random() < 0.55 if female is None else female
    first, first_ar = rng.choice(names.FEMALE_FIRST if female else names.MALE_FIRST)
    last, last_ar = rng.choice(names.LAST)
    cin = f"{cin_prefix}{rng.randrange(100_000, 999_999)}"
    year = rng.randrange(1965, 2003)
    existing = Person.objects.filter(cin_digest=protected.digest(cin)).first()
    if existing is not None:
        return existing
    return person_create(
        actor=admin,
        organisation=organisation,
        cin=cin,
        first_name=first,
        last_name=last,
        first_name_ar=first_ar,
        last_name_ar=last_ar,
        sex="F" if female else "M",
        birth_year=year,
    )


def _programme(admin) -> tuple[Programme, list[CurriculumKit]]:
    programme = Programme.objects.filter(code="PS-NUM-2026").first()
    if programme is None:
        programme = services.programme_create(
            actor=admin,
            code="PS-NUM-2026",
            title_fr="Transformation numérique et pilotage du Pôle social",
            title_ar="التحول الرقمي وقيادة القطب الاجتماعي",
            description=(
                "Compétences numériques, management et suivi de projets pour les "
                "cadres du Pôle social, démultipliées dans les 12 régions."
            ),
            min_attendance_percent=80,
            min_post_test_percent=60,
            min_fidelity_percent=75,
            certification_months=24,
        )
        modules = [
            services.module_create(
                actor=admin,
                programme=programme,
                code=code,
                domain=domain,
                title_fr=fr,
                title_ar=ar,
                hours=hours,
                position=index,
            )
            for index, (code, domain, fr, ar, hours) in enumerate(MODULES)
        ]
        services.kit_release(
            actor=admin,
            programme=programme,
            version="1.0",
            released_on=D(2026, 6, 20),
            modules=modules[:4],
            notes="Version des phases pilotes.",
        )
        services.kit_release(
            actor=admin,
            programme=programme,
            version="1.1",
            released_on=D(2026, 9, 28),
            modules=modules,
            notes="Ajout du module GISR pour les centres sociaux.",
        )
    return programme, {kit.version: kit for kit in programme.kits.all()}


def _masters(admin, programme) -> list[Person]:
    masters = []
    for index, (first, first_ar, last, last_ar, sex, org) in enumerate(MASTERS):
        person = Person.objects.filter(
            cin_digest=protected.digest(f"MT{index + 100}")
        ).first() or person_create(
            actor=admin,
            organisation=Organisation.objects.get(code=org),
            cin=f"MT{index + 100}",
            first_name=first,
            first_name_ar=first_ar,
            last_name=last,
            last_name_ar=last_ar,
            sex=sex,
        )
        if not person.certifications.filter(level="master_trainer").exists():
            services.master_trainer_certify(
                actor=admin,
                person=person,
                programme=programme,
                certified_on=D(2026, 6, 15),
            )
        masters.append(person)
    return masters


def _run(
    admin,
    programme,
    kit,
    *,
    code,
    title,
    level,
    audience,
    venue,
    start,
    days,
    lead,
    participants,
    rng,
    phase="",
    co=(),
    observer=None,
    fidelity=None,
    close=True,
    capacity=None,
):
    """Plan, staff, fill, attend, score and close one session (if it is new)."""
    existing = Session.objects.filter(code=code).first()
    if existing is not None:
        return existing
    session = services.session_create(
        actor=admin,
        programme=programme,
        kit=kit,
        code=code,
        venue=venue,
        title=title,
        level=level,
        audience=audience,
        phase=phase,
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
        capacity=capacity or max(len(participants), 1),
    )
    services.session_set_status(actor=admin, session=session, status="open")
    services.facilitation_assign(actor=admin, session=session, person=lead, role=F.LEAD)
    for person in co:
        facilitation = services.facilitation_assign(
            actor=admin, session=session, person=person, role=F.CO_FACILITATOR
        )
        if observer is not None and fidelity is not None:
            services.fidelity_record(
                actor=admin, facilitation=facilitation, percent=fidelity(person)
            )
    if observer is not None:
        services.facilitation_assign(
            actor=admin, session=session, person=observer, role=F.OBSERVER
        )
    enrolments = []
    for person in participants:
        try:
            enrolments.append(
                services.enrolment_create(actor=admin, session=session, person=person)
            )
        except ApplicationError:  # already booked elsewhere those days
            continue
    if not close:
        return session
    services.session_set_status(actor=admin, session=session, status="running")
    diligence = {e.pk: rng.random() for e in enrolments}
    for day in session.days:
        absent = {
            pk for pk, d in diligence.items() if rng.random() < 0.12 * (1 - d) ** 2
        }
        services.attendance_save(actor=admin, session=session, day=day, absent=absent)
    values = {}
    for enrolment in enrolments:
        pre = max(2.0, min(19.0, rng.gauss(9.5, 2.2)))
        post = max(pre, min(20.0, pre + rng.gauss(6.5 - (level == L.END_USER), 2.2)))
        values[enrolment.pk, "pre_test"] = f"{pre:.1f}"
        values[enrolment.pk, "post_test"] = f"{post:.1f}"
        values[enrolment.pk, "satisfaction"] = f"{min(20.0, rng.gauss(16, 2)):.1f}"
    services.results_save(actor=admin, session=session, values=values)
    _item_scores(session, level, rng)
    services.session_close(
        actor=admin, session=session, on=session.end_date + datetime.timedelta(days=3)
    )
    return session


def _staff(organisations, exclude_functions=("Bénéficiaire",)):
    return list(
        Person.objects.filter(affiliations__organisation__in=organisations)
        .exclude(affiliations__function__in=exclude_functions)
        .exclude(user__isnull=False)
        .distinct()
        .order_by("pk")
    )


def _certify_observed(admin, candidates, on):
    certified = []
    for person in candidates:
        certification = Certification.objects.filter(
            person=person, level="relay_trainer"
        ).first()
        if certification is None or certification.status == "certified":
            if certification is not None:
                certified.append(person)
            continue
        if all(c["met"] for c in services.criteria(certification, on=on)):
            services.certification_certify(
                actor=admin, certification=certification, on=on
            )
            certified.append(person)
    return certified


def load_cascade(admin) -> dict:
    programme, kits = _programme(admin)
    masters = _masters(admin, programme)
    orgs = {o.code: o for o in Organisation.objects.all()}
    regions = sorted({code[3:5] for code in orgs if code.startswith("DR-")})
    centres = {
        r: [o for c, o in orgs.items() if c.startswith(f"CS-{r}-")] for r in regions
    }
    centres["12"] = [o for c, o in orgs.items() if c.startswith("CS-DAK")]
    central = [o for c, o in orgs.items() if c.startswith(("MSISF", "DR-", "ADS"))]
    en_side = [o for c, o in orgs.items() if c.startswith(("EN-", "CS-"))]

    # Phase 1, July: cadres of the central Pôle social and of the regions.
    phase1 = _staff(central)[:50]
    _run(
        admin,
        programme,
        kits["1.0"],
        code="TOT-2026-P1",
        title="Formation de formateurs — phase 1",
        level=L.TRAINING_OF_TRAINERS,
        audience=A.CADRES,
        phase="Phase 1",
        venue=orgs["CS-04-01"],
        start=D(2026, 7, 13),
        days=4,
        lead=masters[0],
        co=[masters[1]],
        participants=phase1,
        rng=_rng("P1"),
    )
    # Phase 2, September: Entraide Nationale cadres.
    # The demo's trainer of Agadir is one of the pilot group.
    agadir = Person.objects.filter(user__username="trainer.agadir")
    phase2 = list(agadir) + _staff(en_side)[:49]
    _run(
        admin,
        programme,
        kits["1.0"],
        code="TOT-2026-P2",
        title="Formation de formateurs — phase 2",
        level=L.TRAINING_OF_TRAINERS,
        audience=A.CADRES,
        phase="Phase 2",
        venue=orgs["CS-04-02"],
        start=D(2026, 9, 14),
        days=4,
        lead=masters[2],
        co=[masters[3]],
        participants=phase2,
        rng=_rng("P2"),
    )

    pilots = list(
        Person.objects.filter(
            certifications__level="relay_trainer",
            certifications__source_enrolment__session__code__startswith="TOT-2026",
        ).order_by("pk")
    )
    by_region = {r: [] for r in regions}
    for pilot in pilots:
        territory = pilot.affiliations.first().organisation.territory_path
        region = territory.split("/")[1]
        by_region.setdefault(region, []).append(pilot)

    # Round 1, early October: masters lead one relay session per region; the
    # region's pilots co-facilitate and another master observes their fidelity.
    round_two_leads = {}
    for index, region in enumerate(regions):
        rng = _rng(f"R1-{region}")
        # Pilots with a demo log-in come first, so that their pages tell the story.
        local = sorted(
            by_region.get(region) or pilots[index::12],
            key=lambda p: (not hasattr(p, "user"), p.pk),
        )
        venue = centres[region][0]
        trainees = [_person(admin, venue, rng, cin_prefix="RL") for _ in range(10)]
        _run(
            admin,
            programme,
            kits["1.1"],
            code=f"REL-{region}-01",
            title="Session relais — compétences numériques",
            level=L.RELAY,
            audience=A.CADRES,
            venue=venue,
            start=D(2026, 10, 5) + datetime.timedelta(days=index % 3),
            days=2,
            lead=masters[index % 4],
            co=local[:4],
            observer=masters[(index + 1) % 4],
            # The demo's trainer of Agadir passes; the others as chance has it.
            fidelity=lambda p, rng=rng: (
                Decimal("88")
                if hasattr(p, "user")
                else Decimal(str(round(rng.uniform(62, 96), 1)))
            ),
            participants=trainees,
            rng=rng,
        )
        round_two_leads[region] = _certify_observed(
            admin, local[:4], on=D(2026, 10, 12)
        )

    # Round 2, mid-October to November: certified pilots lead relay sessions
    # (generation 2); a generation-2 cadre co-facilitates and is observed.
    relay_sessions = []
    for index, region in enumerate(regions):
        leads = round_two_leads[region] or [masters[index % 4]]
        for number in range(2, 6):
            rng = _rng(f"R2-{region}-{number}")
            venue = centres[region][number % len(centres[region])]
            start = D(2026, 10, 19) + datetime.timedelta(
                days=7 * (number - 2) + index % 3
            )
            previous = Session.objects.filter(
                code=f"REL-{region}-{number - 1:02d}"
            ).first()
            observed = []
            if previous is not None:
                observed = list(
                    Person.objects.filter(
                        enrolments__session=previous,
                        enrolments__status=Enrolment.Status.COMPLETED,
                    ).order_by("pk")[:1]
                )
            trainees = [
                _person(admin, venue, rng, cin_prefix="RL")
                for _ in range(rng.randrange(8, 13))
            ]
            lead = leads[number % len(leads)]
            session = _run(
                admin,
                programme,
                kits["1.1"],
                code=f"REL-{region}-{number:02d}",
                title="Session relais — numérique et suivi",
                level=L.RELAY,
                audience=A.ASSOCIATION_STAFF if number % 2 else A.CADRES,
                venue=venue,
                start=start,
                days=2,
                lead=lead,
                co=observed,
                observer=next(m for m in masters if m != lead) if observed else None,
                fidelity=lambda p, rng=rng: Decimal(str(round(rng.uniform(70, 97), 1))),
                participants=trainees,
                rng=rng,
                close=start < D(2026, 11, 23),
            )
            relay_sessions.append(session)
            _certify_observed(admin, observed, on=start + datetime.timedelta(days=4))

    # End-user sessions in November, led by certified generation-2 trainers
    # (generation 3): beneficiaries of the centres and association staff.
    second_generation = list(
        Person.objects.filter(
            lineage__generation=2,
            certifications__level="relay_trainer",
            certifications__status="certified",
        ).order_by("pk")
    )
    for number, trainer in enumerate(second_generation[:10], start=1):
        rng = _rng(f"EU-{number}")
        venue = trainer.affiliations.first().organisation
        beneficiaries = [
            _person(admin, venue, rng, cin_prefix="BN")
            for _ in range(rng.randrange(10, 16))
        ]
        _run(
            admin,
            programme,
            kits["1.1"],
            code=f"EU-2026-{number:02d}",
            title="Atelier e-services pour les bénéficiaires",
            level=L.END_USER,
            audience=A.BENEFICIARIES,
            venue=venue,
            start=D(2026, 11, 9) + datetime.timedelta(days=number % 8),
            days=1,
            lead=trainer,
            participants=beneficiaries,
            rng=rng,
        )

    _upcoming(admin, programme, kits["1.1"], orgs, masters, round_two_leads)
    _profiles()
    _targets(admin, programme)
    # The task worker may not be running yet: make the summaries here.
    summaries.rebuild()
    return {
        "sessions": Session.objects.count(),
        "certified": Certification.objects.filter(status="certified").count(),
    }


# The post-test's questions (maximum 4 points each) and how much each loses
# per level down the cascade: question 4 (data protection) thins out most.
QUESTIONS = {"Q1": 0.0, "Q2": 0.02, "Q3": 0.03, "Q4": 0.15, "Q5": 0.05}
LEVEL_DEPTH = {L.TRAINING_OF_TRAINERS: 0, L.RELAY: 1, L.END_USER: 2}


def _item_scores(session, level, rng) -> None:
    """Score the post-test question by question, as a paper test is marked."""
    items = []
    for result in Result.objects.filter(
        enrolment__session=session, instrument__kind="post_test"
    ):
        success = float(result.score) / 20
        for item, loss in QUESTIONS.items():
            chance = success - loss * LEVEL_DEPTH[level] + rng.gauss(0, 0.1)
            points = round(4 * min(1.0, max(0.0, chance)))
            items.append(ItemScore(result=result, item=item, score=points, max_score=4))
    ItemScore.objects.bulk_create(items)


def _profiles() -> None:
    """Where people live and whether they live with a disability, for the
    dashboards' breakdowns; about one person in five is left unknown, as in
    real registers. Decided per person, so that loading again changes nothing."""
    communes = defaultdict(list)
    for pk, path in Territory.objects.filter(level="commune").values_list("pk", "path"):
        communes[summaries.province_of(path)].append(pk)
    people = Person.objects.filter(residence__isnull=True).prefetch_related(
        "affiliations__organisation"
    )
    profiled = []
    for person in people:
        rng = _rng(f"profile-{person.pk}")
        affiliation = next(iter(person.affiliations.all()), None)
        if affiliation is None or rng.random() < 0.2:
            continue
        options = communes.get(
            summaries.province_of(affiliation.organisation.territory_path)
        )
        if not options:
            continue
        person.residence_id = rng.choice(sorted(options))
        person.disability = rng.choices(["yes", "no", ""], weights=[5, 70, 25])[0]
        profiled.append(person)
    Person.objects.bulk_update(profiled, ["residence", "disability"])


def _targets(admin, programme) -> None:
    """The programme unit's targets for the first year: each region, and the
    country as a whole."""
    year = {"period_start": D(2026, 7, 1), "period_end": D(2027, 6, 30)}
    for territory in Territory.objects.filter(level__in=["country", "region"]):
        people = 1_500 if territory.level == "country" else 120
        if not Target.objects.filter(
            programme=programme, territory=territory, **year
        ).exists():
            target_save(
                actor=admin,
                programme=programme,
                territory=territory,
                audience="",
                people=people,
                **year,
            )


def _upcoming(admin, programme, kit, orgs, masters, leads_by_region):
    """December 2026: open sessions, one full with a waiting list, one awaiting
    approval, and planned ones without trainees yet."""
    plans = [
        ("DEC-09-01", "09", "CS-09-01", D(2026, 12, 7), "open", 6, False, 9),
        ("DEC-12-01", "12", "CS-DAK-01", D(2026, 12, 8), "open", 12, True, 5),
        ("DEC-02-01", "02", "CS-02-01", D(2026, 12, 14), "open", 15, False, 4),
        ("DEC-06-01", "06", "CS-06-01", D(2026, 12, 15), "planned", 15, False, 0),
        ("DEC-01-01", "01", "CS-01-01", D(2026, 12, 21), "planned", 15, False, 0),
    ]
    for code, region, venue_code, start, status, capacity, approval, enrol in plans:
        if Session.objects.filter(code=code).exists():
            continue
        rng = _rng(code)
        venue = orgs[venue_code]
        session = services.session_create(
            actor=admin,
            programme=programme,
            kit=kit,
            code=code,
            venue=venue,
            title="Session relais — décembre",
            level=L.RELAY,
            audience=A.CADRES,
            start_date=start,
            end_date=start + datetime.timedelta(days=1),
            capacity=capacity,
            requires_approval=approval,
        )
        leads = leads_by_region.get(region) or masters
        services.facilitation_assign(
            actor=admin, session=session, person=leads[0], role=F.LEAD
        )
        if status == "open":
            services.session_set_status(actor=admin, session=session, status="open")
            # Where approval is required, the centre's manager registers people and
            # the registrations wait for the coordinator.
            actor = User.objects.get(username="manager.dakhla") if approval else admin
            for _ in range(enrol):
                person = _person(admin, venue, rng, cin_prefix="DC")
                services.enrolment_create(actor=actor, session=session, person=person)
