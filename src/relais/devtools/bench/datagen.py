"""A coherent national dataset, written with bulk SQL (COPY on PostgreSQL).

At national scale: 500,000 beneficiaries, 50,000 staff and association members,
a six-generation cascade of about 20,000 trainers, 100,000 sessions with
5,000,000 attendance rows (and their scores), and 2,000,000 hub visits and
referrals. The `smoke` scale is the same shape, a thousand times smaller.

The data obeys Relais's rules where the dashboards read them: a trainee's
generation is the lowest generation of the trainers who trained them plus one,
so `relais lineage check` holds on the generated data.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from relais.accounts.models import User
from relais.core import names, protected
from relais.core.bulk import insert, next_id, reset_sequences
from relais.devtools.demo import names as demo_names
from relais.hub.models import Need, Service
from relais.people import bulk as bulk_people
from relais.territory.models import Territory
from relais.training.models import CurriculumKit, Instrument, Programme


@dataclass(frozen=True)
class Scale:
    beneficiaries: int
    staff: int
    # Trainers per generation, masters (generation 0) first.
    generations: tuple[int, ...]
    sessions: int
    days_per_session: int
    seats: int
    visits: int
    referrals: int
    centres_per_region: int
    associations_per_region: int


SCALES = {
    "national": Scale(
        beneficiaries=500_000,
        staff=50_000,
        generations=(12, 100, 700, 2_400, 6_800, 10_000),
        sessions=100_000,
        days_per_session=2,
        seats=25,
        visits=1_500_000,
        referrals=500_000,
        centres_per_region=40,
        associations_per_region=30,
    ),
    "smoke": Scale(
        beneficiaries=500,
        staff=120,
        generations=(2, 4, 8, 12, 16, 20),
        sessions=100,
        days_per_session=2,
        seats=25,
        visits=1_500,
        referrals=500,
        centres_per_region=2,
        associations_per_region=1,
    ),
}

DAY0 = datetime.date(2025, 12, 1)
LEVELS = ("tot", "relay", "end_user")


def generate(scale_name: str, progress=print, seed: int = 2026) -> dict[str, int]:
    """Fill an empty, migrated database. Returns row counts per table."""
    scale = SCALES[scale_name]
    rng = random.Random(seed)
    now = timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        organisations = _organisations(scale, now, counts)
        progress(f"organisations: {counts['organisations']}")
        staff, beneficiaries, staff_provinces = _people(
            scale, organisations, rng, now, counts
        )
        progress(f"people: {counts['people']}")
        _cascade(
            scale,
            organisations,
            staff,
            staff_provinces,
            beneficiaries,
            rng,
            now,
            counts,
            progress,
        )
        _hub(scale, organisations, beneficiaries, rng, now, counts)
        progress(f"hub visits and referrals: {counts['visits'] + counts['referrals']}")
        reset_sequences(
            "organisations_organisation",
            "people_person",
            "people_affiliation",
            "training_session",
            "training_facilitation",
            "training_enrolment",
            "training_attendance",
            "training_result",
            "training_lineage",
            "training_traininglink",
            "training_certification",
            "hub_visit",
            "hub_visit_needs",
            "hub_referral",
        )
    return counts


def _organisations(scale, now, counts):
    """Per region: a delegation, an Entraide Nationale coordination with its
    centres, and partner associations, spread over the region's provinces."""
    provinces = {}
    for province in Territory.objects.filter(level="province").exclude(
        kind="prefecture_of_arrondissements"
    ):
        provinces.setdefault(province.path.split("/")[1], []).append(province)
    first = next_id("organisations_organisation")
    rows, by_kind = [], {"centre": [], "association": [], "office": []}
    oid = first
    for region, region_provinces in sorted(provinces.items()):
        seat = region_provinces[0]
        coordination = oid
        for kind, code, parent, province in [
            ("regional_delegation", f"B-DR-{region}", None, seat),
            ("en_coordination", f"B-EN-{region}", None, seat),
        ]:
            rows.append(_org(oid, now, code, kind, parent, province, f"{oid}/"))
            by_kind["office"].append((oid, province))
            coordination = oid
            oid += 1
        for n in range(scale.centres_per_region):
            province = region_provinces[n % len(region_provinces)]
            rows.append(
                _org(
                    oid,
                    now,
                    f"B-CS-{region}-{n}",
                    "social_centre",
                    coordination,
                    province,
                    f"{coordination}/{oid}/",
                )
            )
            by_kind["centre"].append((oid, province))
            oid += 1
        for n in range(scale.associations_per_region):
            province = region_provinces[n % len(region_provinces)]
            rows.append(
                _org(
                    oid,
                    now,
                    f"B-AS-{region}-{n}",
                    "association",
                    None,
                    province,
                    f"{oid}/",
                )
            )
            by_kind["association"].append((oid, province))
            oid += 1
    counts["organisations"] = insert(
        "organisations_organisation",
        [
            "id",
            "created_at",
            "updated_at",
            "code",
            "kind",
            "name_fr",
            "name_ar",
            "parent_id",
            "territory_id",
            "address",
            "phone",
            "is_active",
            "path",
            "territory_path",
        ],
        rows,
    )
    return by_kind


def _org(oid, now, code, kind, parent, province, path):
    return (
        oid,
        now,
        now,
        code,
        kind,
        f"{kind} {code}",
        "",
        parent,
        province.pk,
        "",
        "",
        True,
        path,
        province.path,
    )


def _person_rows(count, first_id, rng, now, *, with_cin, home=lambda offset: None):
    """People; `home(offset)` gives the commune each one lives in (or None)."""
    for offset in range(count):
        pid = first_id + offset
        female = rng.random() < 0.55
        first, first_ar = rng.choice(
            demo_names.FEMALE_FIRST if female else demo_names.MALE_FIRST
        )
        last, last_ar = rng.choice(demo_names.LAST)
        # Two letters and six digits, like a real CIN (BA000001…), one per id.
        cin = f"B{chr(65 + pid // 10**6)}{pid % 10**6:06d}" if with_cin else ""
        year = rng.randrange(1950, 2008)
        yield (
            pid,
            now,
            now,
            first,
            last,
            first_ar,
            last_ar,
            "F" if female else "M",
            None,
            year,
            protected.encrypt(cin) if cin else "",
            protected.digest(cin) if cin else None,
            protected.mask(cin) if cin else "",
            "",
            "",
            names.search_key(first, last, first_ar, last_ar),
            home(offset),
            rng.choices(DISABILITY, weights=[3, 60, 37])[0],
        )


# With a disability, without, and not known.
DISABILITY = ["yes", "no", ""]


PERSON_COLUMNS = [*bulk_people.PERSON_COLUMNS, "disability"]


def _people(scale, organisations, rng, now, counts):
    """Staff and beneficiaries, each affiliated to a workplace or a centre and
    living (four times in five) in a commune of its province."""
    first = next_id("people_person")
    total = scale.staff + scale.beneficiaries
    workplaces = (
        organisations["office"] + organisations["centre"] + organisations["association"]
    )
    centres = organisations["centre"]
    communes: dict[str, list[int]] = {}
    for pk, path in Territory.objects.filter(level="commune").values_list("pk", "path"):
        communes.setdefault(path[:13], []).append(pk)

    def province(offset):
        if offset < scale.staff:
            return workplaces[offset % len(workplaces)][1]
        return centres[(offset - scale.staff) % len(centres)][1]

    def home(offset):
        if offset % 5 == 4:
            return None
        choices = communes.get(province(offset).path[:13])
        return choices[offset % len(choices)] if choices else None

    counts["people"] = insert(
        "people_person",
        PERSON_COLUMNS,
        _person_rows(total, first, rng, now, with_cin=True, home=home),
    )
    staff = list(range(first, first + scale.staff))
    beneficiaries = list(range(first + scale.staff, first + total))
    staff_provinces = {pid: province(pid - first).path for pid in staff}
    affiliation = next_id("people_affiliation")

    def rows():
        for n, pid in enumerate(staff):
            yield (
                affiliation + n,
                now,
                now,
                pid,
                workplaces[n % len(workplaces)][0],
                "Cadre",
                None,
            )
        for n, pid in enumerate(beneficiaries):
            yield (
                affiliation + len(staff) + n,
                now,
                now,
                pid,
                centres[n % len(centres)][0],
                "Bénéficiaire",
                None,
            )

    counts["affiliations"] = insert(
        "people_affiliation",
        [
            "id",
            "created_at",
            "updated_at",
            "person_id",
            "organisation_id",
            "function",
            "start_date",
        ],
        rows(),
    )
    return staff, beneficiaries, staff_provinces


def _cascade(
    scale,
    organisations,
    staff,
    staff_provinces,
    beneficiaries,
    rng,
    now,
    counts,
    progress,
):
    programme, _ = Programme.objects.get_or_create(
        code="BENCH", defaults={"title_fr": "Programme national (données générées)"}
    )
    kit, _ = CurriculumKit.objects.get_or_create(
        programme=programme, version="1", defaults={"released_on": DAY0}
    )
    instruments = {}
    for kind in ("pre_test", "post_test"):
        instruments[kind], _ = Instrument.objects.get_or_create(
            programme=programme, kind=kind
        )
    # Trainers by generation, drawn from the staff.
    trainers, cursor = [], 0
    for size in scale.generations:
        trainers.append(staff[cursor : cursor + size])
        cursor += size
    generation = {p: g for g, people in enumerate(trainers) for p in people}
    centres = organisations["centre"]
    session_id = next_id("training_session")
    enrolment_id = next_id("training_enrolment")
    sessions, facilitations, enrolments, links = [], [], [], []
    # Each trainer of generation g >= 1 completes one session led by generation g-1.
    trainee_queue = [(g, p) for g in range(1, len(trainers)) for p in trainers[g]]
    others = staff[cursor:] + beneficiaries
    for n in range(scale.sessions):
        sid = session_id + n
        lead_generation = min(n % (len(trainers) - 1), len(trainers) - 2)
        lead = trainers[lead_generation][n % len(trainers[lead_generation])]
        level = "tot" if lead_generation == 0 else ("relay" if n % 3 else "end_user")
        venue, province = centres[n % len(centres)]
        start = DAY0 + datetime.timedelta(days=(n * 7) % 360)
        sessions.append(
            (
                sid,
                now,
                now,
                programme.pk,
                kit.pk,
                f"B-{sid}",
                "Session",
                level,
                "beneficiaries" if level == "end_user" else "cadres",
                "",
                venue,
                start,
                start + datetime.timedelta(days=scale.days_per_session - 1),
                scale.seats,
                False,
                "closed",
                now,
                province.path,
                f"{venue}/",
            )
        )
        facilitations.append((sid, lead, "lead"))
        seated = []
        while (
            trainee_queue
            and trainee_queue[0][0] == lead_generation + 1
            and len(seated) < scale.seats // 2
        ):
            seated.append(trainee_queue.pop(0)[1])
        while len(seated) < scale.seats:
            seated.append(others[rng.randrange(len(others))])
        for person in dict.fromkeys(seated):
            completed = person in generation or rng.random() < 0.85
            enrolments.append((enrolment_id, sid, person, completed, start))
            if completed:
                links.append((lead, person, sid))
                candidate = generation[lead] + 1
                if person not in generation or candidate < generation[person]:
                    generation[person] = candidate
            enrolment_id += 1
    counts["sessions"] = insert(
        "training_session",
        [
            "id",
            "created_at",
            "updated_at",
            "programme_id",
            "kit_id",
            "code",
            "title",
            "level",
            "audience",
            "phase",
            "venue_id",
            "start_date",
            "end_date",
            "capacity",
            "requires_approval",
            "status",
            "closed_at",
            "territory_path",
            "organisation_path",
        ],
        sessions,
    )
    facilitation = next_id("training_facilitation")
    insert(
        "training_facilitation",
        ["id", "session_id", "person_id", "role"],
        ((facilitation + i, s, p, r) for i, (s, p, r) in enumerate(facilitations)),
    )
    counts["enrolments"] = insert(
        "training_enrolment",
        [
            "id",
            "created_at",
            "updated_at",
            "session_id",
            "person_id",
            "status",
            "outcome",
        ],
        (
            (e, now, now, s, p, "completed" if done else "failed", "{}")
            for e, s, p, done, _ in enrolments
        ),
    )
    progress(f"sessions: {counts['sessions']}, enrolments: {counts['enrolments']}")
    attendance = next_id("training_attendance")

    def attendance_rows():
        aid = attendance
        for e, _s, _p, done, start in enrolments:
            for day in range(scale.days_per_session):
                present = done or rng.random() < 0.6
                yield (aid, e, start + datetime.timedelta(days=day), present, now)
                aid += 1

    counts["attendance"] = insert(
        "training_attendance",
        ["id", "enrolment_id", "date", "present", "recorded_at"],
        attendance_rows(),
    )
    progress(f"attendance: {counts['attendance']}")
    result = next_id("training_result")

    def result_rows():
        rid = result
        for e, _s, p, done, _ in enrolments:
            pre = round(rng.uniform(4, 14), 1)
            # Learning thins out a little with each generation: the dilution signal.
            gain = rng.uniform(3, 8) - 0.5 * generation.get(p, 1)
            post = min(20.0, max(pre, pre + gain)) if done else round(pre + 1, 1)
            yield (rid, e, instruments["pre_test"].pk, pre, now)
            yield (rid + 1, e, instruments["post_test"].pk, round(post, 1), now)
            rid += 2

    counts["results"] = insert(
        "training_result",
        ["id", "enrolment_id", "instrument_id", "score", "recorded_at"],
        result_rows(),
    )
    if trainee_queue:
        raise ValueError("Too few sessions to train every generation of trainers.")
    link_base = next_id("training_traininglink")
    counts["links"] = insert(
        "training_traininglink",
        ["id", "trainer_id", "trainee_id", "session_id"],
        ((link_base + i, *link) for i, link in enumerate(dict.fromkeys(links))),
    )
    lineage_base = next_id("training_lineage")
    counts["lineage"] = insert(
        "training_lineage",
        ["id", "person_id", "generation"],
        (
            (lineage_base + i, p, g)
            for i, (p, g) in enumerate(sorted(generation.items()))
        ),
    )
    certification = next_id("training_certification")
    counts["certifications"] = insert(
        "training_certification",
        [
            "id",
            "created_at",
            "updated_at",
            "person_id",
            "programme_id",
            "level",
            "status",
            "certified_on",
            "expires_on",
            "reason",
            "territory_path",
        ],
        (
            (
                certification + i,
                now,
                now,
                p,
                programme.pk,
                "master_trainer" if g == 0 else "relay_trainer",
                "certified",
                DAY0,
                DAY0 + datetime.timedelta(days=730),
                "",
                staff_provinces[p],  # trainers belong to their workplace's region
            )
            for i, (g, p) in enumerate(
                (g, p) for g, people in enumerate(trainers) for p in people
            )
        ),
    )


def _hub(scale, organisations, beneficiaries, rng, now, counts):
    agent, _ = User.objects.get_or_create(username="bench.agent")
    needs = list(Need.objects.values_list("pk", flat=True))
    centres = organisations["centre"]
    services = []
    for oid, province in organisations["association"][: max(12, len(centres) // 4)]:
        services.append(
            Service.objects.create(
                provider_id=oid,
                label_fr=f"Service {oid}",
                territory_path=province.path,
                organisation_path=f"{oid}/",
            )
        )
    first = next_id("hub_visit")
    visits = []

    def visit_rows():
        for n in range(scale.visits):
            centre, province = centres[n % len(centres)]
            when = now - datetime.timedelta(minutes=rng.randrange(365 * 24 * 60))
            person = (
                beneficiaries[rng.randrange(len(beneficiaries))] if n % 4 == 0 else None
            )
            visits.append((first + n, centre, province, when))
            yield (
                first + n,
                when,
                when,
                centre,
                agent.pk,
                rng.choice(["walk_in", "walk_in", "phone", "outreach"]),
                rng.choice([5, 10, 15, 30]),
                rng.random() < 0.3,
                person,
                rng.choice(["F", "M", ""]),
                rng.choice(["18-29", "30-44", "60+", ""]),
                None,
                None,
                province.path,
                f"{centre}/",
            )

    counts["visits"] = insert(
        "hub_visit",
        [
            "id",
            "created_at",
            "updated_at",
            "centre_id",
            "recorded_by_id",
            "channel",
            "minutes",
            "digital_assisted",
            "person_id",
            "sex",
            "age_group",
            "commune_id",
            "purged_at",
            "territory_path",
            "organisation_path",
        ],
        visit_rows(),
    )
    insert(
        "hub_visit_needs",
        ["id", "visit_id", "need_id"],
        ((first + i, v[0], needs[i % len(needs)]) for i, v in enumerate(visits)),
    )
    referral = next_id("hub_referral")
    statuses = ["sent", "accepted", "declined", "in_progress", "completed", "closed"]

    def referral_rows():
        for n in range(scale.referrals):
            vid, centre, province, when = visits[(n * 3) % len(visits)]
            service = services[n % len(services)]
            status = statuses[n % len(statuses)]
            accepted = when + datetime.timedelta(hours=rng.randrange(2, 96))
            finished = accepted + datetime.timedelta(days=rng.randrange(1, 30))
            yield (
                referral + n,
                when,
                when,
                vid,
                None,
                service.pk,
                None,
                "",
                status,
                agent.pk,
                None,
                "",
                None,
                "",
                "",
                "",
                when,
                when + datetime.timedelta(hours=72),
                accepted if status not in ("sent", "declined") else None,
                None,
                finished if status in ("completed", "closed", "declined") else None,
                province.path,
                f"{centre}/",
                service.territory_path,
                service.organisation_path,
            )

    counts["referrals"] = insert(
        "hub_referral",
        [
            "id",
            "created_at",
            "updated_at",
            "visit_id",
            "person_id",
            "service_id",
            "need_id",
            "reason",
            "status",
            "created_by_id",
            "consent_id",
            "override_reason",
            "overridden_by_id",
            "decline_reason",
            "closure_reason",
            "closure_note",
            "sent_at",
            "accept_by",
            "accepted_at",
            "complete_by",
            "finished_at",
            "territory_path",
            "organisation_path",
            "to_territory_path",
            "to_organisation_path",
        ],
        referral_rows(),
    )
