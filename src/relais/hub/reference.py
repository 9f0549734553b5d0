"""The shared list of needs and the categories of personal data the hub keeps.

Loaded by a data migration so that every database has them; the programme unit
may refine labels and retention periods afterwards.
"""

NEEDS = [
    ("admin", "Démarches administratives", "المساطر الإدارية"),
    ("digital", "Démarches en ligne", "المساطر عبر الإنترنت"),
    ("disability", "Handicap", "الإعاقة"),
    ("elderly", "Personnes âgées", "الأشخاص المسنون"),
    ("child", "Protection de l'enfance", "حماية الطفولة"),
    ("violence", "Violence faite aux femmes", "العنف ضد النساء"),
    ("employment", "Emploi et insertion", "الشغل والإدماج"),
    ("training", "Formation professionnelle", "التكوين المهني"),
    ("health", "Santé", "الصحة"),
    ("education", "Scolarité", "التمدرس"),
    ("social_aid", "Aide sociale", "الدعم الاجتماعي"),
    ("listening", "Écoute et soutien", "الإنصات والدعم"),
]

DATA_CATEGORIES = [
    (
        "anonymous_visit",
        "Visite anonyme",
        "زيارة مجهولة الهوية",
        "Compter l'accueil et orienter sans identifier la personne.",
        "public_mission",
        365,
    ),
    (
        "listening_note",
        "Note d'écoute",
        "مذكرة الإنصات",
        "Assurer la continuité de l'accompagnement de la personne.",
        "consent",
        3 * 365,
    ),
    (
        "referral",
        "Orientation",
        "التوجيه",
        "Orienter la personne vers un service et suivre l'orientation jusqu'à sa "
        "clôture.",
        "consent",
        3 * 365,
    ),
    (
        "person",
        "Dossier de la personne",
        "ملف الشخص",
        "Identifier la personne suivie ou formée, une seule fois.",
        "public_mission",
        5 * 365,
    ),
    (
        "training",
        "Parcours de formation",
        "المسار التكويني",
        "Organiser les formations, certifier les formateurs et suivre la cascade.",
        "public_mission",
        10 * 365,
    ),
]


def load(need_model, category_model) -> None:
    for code, fr, ar in NEEDS:
        need_model.objects.get_or_create(
            code=code, defaults={"label_fr": fr, "label_ar": ar}
        )
    for code, fr, ar, purpose, basis, days in DATA_CATEGORIES:
        category_model.objects.get_or_create(
            code=code,
            defaults={
                "label_fr": fr,
                "label_ar": ar,
                "purpose": purpose,
                "legal_basis": basis,
                "retention_days": days,
            },
        )
