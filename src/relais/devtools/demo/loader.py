"""Build the demo through the same services users go through, so it obeys every rule.

Everything is keyed on natural keys (organisation codes, CINs, user names) and
drawn from a seeded random generator: running it again changes nothing.
"""

import datetime
import random

from django.db import transaction

from relais.accounts.models import RoleMembership, User
from relais.core import protected
from relais.core.roles import Role
from relais.organisations.models import Organisation
from relais.organisations.services import organisation_create
from relais.people.models import Person
from relais.people.services import person_create
from relais.territory.models import Territory
from relais.territory.reference import load_reference

from . import names
from .cascade import load_cascade
from .hub import load_hubs
from .users import DEMO_PASSWORD

SEED = 2026

# Where each region's delegation and coordination sit (its capital's prefecture).
REGION_SEATS = {
    "01": "01.511",
    "02": "02.411",
    "03": "03.231",
    "04": "04.421",
    "05": "05.091",
    "06": "06.141",
    "07": "07.351",
    "08": "08.201",
    "09": "09.001",
    "10": "10.261",
    "11": "11.321",
    "12": "12.391",
}
# (code, province, French name, Arabic name); Dakhla-Oued Ed-Dahab, where the GISR
# pilot started, has several.
CENTRES = [
    (
        "CS-DAK-01",
        "12.391",
        "Centre social Al Wahda, Dakhla",
        "المركز الاجتماعي الوحدة، الداخلة",
    ),
    (
        "CS-DAK-02",
        "12.391",
        "Espace multifonctionnel pour femmes, Dakhla",
        "الفضاء متعدد الوظائف للنساء، الداخلة",
    ),
    (
        "CS-DAK-03",
        "12.391",
        "Centre d'accueil Hay Al Massira, Dakhla",
        "مركز الاستقبال حي المسيرة، الداخلة",
    ),
    ("CS-DAK-04", "12.066", "Centre social d'Aousserd", "المركز الاجتماعي أوسرد"),
    (
        "CS-DAK-05",
        "12.391",
        "Centre d'éducation et de formation Bir Anzarane",
        "مركز التربية والتكوين بئر أنزران",
    ),
]
CENTRE_KINDS = [
    ("Centre social", "المركز الاجتماعي"),
    ("Espace multifonctionnel pour femmes", "الفضاء متعدد الوظائف للنساء"),
    ("Centre d'éducation et de formation", "مركز التربية والتكوين"),
    ("Maison de jeunes et de la solidarité", "دار الشباب والتضامن"),
]
ASSOCIATION_NAMES = [
    ("Association Al Amal pour le développement", "جمعية الأمل للتنمية"),
    (
        "Association Annour pour les personnes en situation de handicap",
        "جمعية النور للأشخاص في وضعية إعاقة",
    ),
    ("Association Tadamoun des femmes", "جمعية التضامن النسائية"),
    ("Association Al Karama pour l'insertion", "جمعية الكرامة للإدماج"),
    ("Association Assafaa pour l'enfance", "جمعية الصفاء للطفولة"),
    ("Association Ennakhil pour les jeunes", "جمعية النخيل للشباب"),
    ("Association Al Baraka pour les personnes âgées", "جمعية البركة للمسنين"),
]
PEOPLE_COUNT = 300
MOBILE_PREFIXES = ["61", "62", "66", "67", "70", "77"]


def _territories() -> dict[str, Territory]:
    return {
        t.code: t
        for t in Territory.objects.filter(level__in=["country", "region", "province"])
    }


def _organisation(
    admin, code, kind, name_fr, name_ar, territory, parent=None
) -> Organisation:
    existing = Organisation.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return organisation_create(
        actor=admin,
        code=code,
        kind=kind,
        name_fr=name_fr,
        name_ar=name_ar,
        territory=territory,
        parent=parent,
    )


def _organisations(admin, t) -> dict[str, list[Organisation]]:
    K = Organisation.Kind
    rabat = t["04.421"]
    ministry = _organisation(
        admin,
        "MSISF",
        K.CENTRAL_SERVICE,
        "Ministère de la Solidarité, de l'Insertion Sociale et de la Famille",
        "وزارة التضامن والإدماج الاجتماعي والأسرة",
        rabat,
    )
    _organisation(
        admin,
        "MSISF-UGP",
        K.CENTRAL_SERVICE,
        "Unité de gestion du programme — Pôle social",
        "وحدة تدبير البرنامج — القطب الاجتماعي",
        rabat,
        ministry,
    )
    _organisation(
        admin,
        "MSISF-DSI",
        K.CENTRAL_SERVICE,
        "Direction des systèmes d'information",
        "مديرية نظم المعلومات",
        rabat,
        ministry,
    )
    entraide = _organisation(
        admin, "EN", K.CENTRAL_SERVICE, "Entraide Nationale", "التعاون الوطني", rabat
    )
    _organisation(
        admin,
        "ADS",
        K.CENTRAL_SERVICE,
        "Agence de Développement Social",
        "وكالة التنمية الاجتماعية",
        rabat,
    )
    rng = random.Random(SEED)
    built = {"delegations": [], "coordinations": [], "centres": [], "associations": []}
    for region_code, seat in REGION_SEATS.items():
        region = t[region_code]
        built["delegations"].append(
            _organisation(
                admin,
                f"DR-{region_code}",
                K.REGIONAL_DELEGATION,
                f"Délégation régionale — {region.name_fr}",
                f"المندوبية الجهوية — {region.name_ar}",
                t[seat],
                ministry,
            )
        )
        coordination = _organisation(
            admin,
            f"EN-{region_code}",
            K.EN_COORDINATION,
            f"Coordination régionale de l'Entraide Nationale — {region.name_fr}",
            f"المنسقية الجهوية للتعاون الوطني — {region.name_ar}",
            t[seat],
            entraide,
        )
        built["coordinations"].append(coordination)
        if region_code == "12":
            for code, province, fr, ar in CENTRES:
                built["centres"].append(
                    _organisation(
                        admin, code, K.SOCIAL_CENTRE, fr, ar, t[province], coordination
                    )
                )
            continue
        provinces = sorted(
            (
                p
                for p in t.values()
                if p.level == "province"
                and p.path.startswith(region.path)
                and p.kind != "prefecture_of_arrondissements"
            ),
            key=lambda p: p.code,
        )
        for index in range(4 if region_code in ("06", "09", "04") else 3):
            province = provinces[index % len(provinces)]
            kind_fr, kind_ar = CENTRE_KINDS[rng.randrange(len(CENTRE_KINDS))]
            built["centres"].append(
                _organisation(
                    admin,
                    f"CS-{region_code}-{index + 1:02d}",
                    K.SOCIAL_CENTRE,
                    f"{kind_fr}, {province.name_fr}",
                    f"{kind_ar}، {province.name_ar}",
                    province,
                    coordination,
                )
            )
    provinces = sorted(
        (p for p in t.values() if p.level == "province"), key=lambda p: p.code
    )
    for index in range(24):
        region_code = f"{index % 12 + 1:02d}"
        candidates = [p for p in provinces if p.code.startswith(region_code)]
        province = candidates[(index // 12) % len(candidates)]
        base_fr, base_ar = ASSOCIATION_NAMES[index % len(ASSOCIATION_NAMES)]
        built["associations"].append(
            _organisation(
                admin,
                f"ASSO-{index + 1:02d}",
                K.ASSOCIATION,
                f"{base_fr} — {province.name_fr}",
                f"{base_ar} — {province.name_ar}",
                province,
            )
        )
    return built


def _people(admin, orgs) -> list[Person]:
    rng = random.Random(SEED + 1)
    letters = "ABCDEFGHJKLMNPQRSTUWXYZ"
    functions = {
        "delegations": ["Chef de service", "Cadre", "Chargée de projets"],
        "coordinations": ["Coordinateur", "Cadre", "Assistante sociale"],
        "centres": [
            "Directrice de centre",
            "Éducatrice",
            "Agent d'accueil",
            "Bénéficiaire",
            "Bénéficiaire",
        ],
        "associations": ["Président", "Animatrice", "Membre"],
    }
    pools = [(group, org) for group, items in orgs.items() for org in items]
    people = []
    for index in range(PEOPLE_COUNT):
        # Draw everything first: the sequence must not depend on what already exists.
        female = rng.random() < 0.55
        first, first_ar = rng.choice(names.FEMALE_FIRST if female else names.MALE_FIRST)
        last, last_ar = rng.choice(names.LAST)
        cin = "".join(rng.choices(letters, k=2)) + str(rng.randrange(10_000, 999_999))
        year = rng.randrange(1962, 2004)
        birth_date = datetime.date(year, rng.randrange(1, 13), rng.randrange(1, 29))
        group, org = pools[index % len(pools)]
        function = rng.choice(functions[group])
        phone = f"0{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**6, 10**7)}"
        people.append(
            _person(
                admin,
                org,
                function=function,
                cin=cin,
                first_name=first,
                last_name=last,
                first_name_ar=first_ar,
                last_name_ar=last_ar,
                sex="F" if female else "M",
                # Some people only know their birth year.
                birth_date=None if index % 7 == 0 else birth_date,
                birth_year=year if index % 7 == 0 else None,
                phone=phone,
            )
        )
    return people


def _person(admin, organisation, *, cin: str, **fields) -> Person:
    existing = Person.objects.filter(cin_digest=protected.digest(cin)).first()
    if existing is not None:
        return existing
    return person_create(actor=admin, organisation=organisation, cin=cin, **fields)


DEMO_USERS = [
    # user name, first name (Latin, Arabic), last name (Latin, Arabic), sex, role,
    # node (territory or organisation code), organisation the person works for
    (
        "admin.national",
        ("Nadia", "نادية"),
        ("Berrada", "برادة"),
        "F",
        Role.NATIONAL_ADMIN,
        "MA",
        "MSISF-UGP",
    ),
    (
        "coord.souss",
        ("Youssef", "يوسف"),
        ("Amzil", "أمزيل"),
        "M",
        Role.REGIONAL_COORDINATOR,
        "09",
        "DR-09",
    ),
    (
        "coord.oriental",
        ("Meryem", "مريم"),
        ("Lahlou", "لحلو"),
        "F",
        Role.REGIONAL_COORDINATOR,
        "02",
        "DR-02",
    ),
    (
        "manager.dakhla",
        ("Khadija", "خديجة"),
        ("Ould Sidi", "ولد سيدي"),
        "F",
        Role.CENTRE_MANAGER,
        "CS-DAK-01",
        "CS-DAK-01",
    ),
    (
        "trainer.agadir",
        ("Hassan", "حسن"),
        ("Ait Baha", "آيت باها"),
        "M",
        Role.TRAINER,
        "CS-09-01",
        "CS-09-01",
    ),
    (
        "agent.dakhla",
        ("Salma", "سلمى"),
        ("El Ouali", "الوالي"),
        "F",
        Role.HUB_AGENT,
        "CS-DAK-01",
        "CS-DAK-01",
    ),
    (
        "focal.association",
        ("Rachid", "رشيد"),
        ("Bouazza", "بوعزة"),
        "M",
        Role.ASSOCIATION_FOCAL_POINT,
        "ASSO-09",
        "ASSO-09",
    ),
    (
        "me.national",
        ("Imane", "إيمان"),
        ("Tazi", "التازي"),
        "F",
        Role.ME_OFFICER,
        "MA",
        "MSISF-UGP",
    ),
    (
        "auditor.national",
        ("Omar", "عمر"),
        ("Naciri", "الناصري"),
        "M",
        Role.AUDITOR,
        "MA",
        "MSISF",
    ),
]


def _admin() -> User:
    """The national administrator comes first: the demo is built in their name."""
    admin, created = User.objects.get_or_create(
        username="admin.national", defaults={"is_demo": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    RoleMembership.objects.get_or_create(
        user=admin, role=Role.NATIONAL_ADMIN, territory=Territory.objects.get(code="MA")
    )
    return admin


def _users(admin) -> list[tuple[str, str]]:
    logins = []
    for index, row in enumerate(DEMO_USERS):
        username, (first, first_ar), (last, last_ar), sex, role, node, works_for = row
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_demo": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        territory = Territory.objects.filter(code=node).first()
        organisation = None if territory else Organisation.objects.get(code=node)
        RoleMembership.objects.get_or_create(
            user=user, role=role, territory=territory, organisation=organisation
        )
        user.first_name, user.last_name = first, last
        user.person = _person(
            admin,
            Organisation.objects.get(code=works_for),
            cin=f"DM{1000 + index}",
            first_name=first,
            last_name=last,
            first_name_ar=first_ar,
            last_name_ar=last_ar,
            sex=sex,
        )
        user.save()
        logins.append((username, role.label))
    return logins


@transaction.atomic
def load_demo() -> dict:
    """Load (or complete) the demo; returns what the terminal should print."""
    load_reference(Territory)
    admin = _admin()
    orgs = _organisations(admin, _territories())
    _people(admin, orgs)
    logins = _users(admin)
    cascade = load_cascade(admin)
    hubs = load_hubs(admin)
    return {
        **cascade,
        **hubs,
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "logins": logins,
        "password": DEMO_PASSWORD,
    }
