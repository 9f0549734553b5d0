"""Which column holds what: guessed from French, Arabic or English headers.

Each kind of import has its fields, and the fields without which no row can be
read.
"""

from django.utils.translation import gettext_lazy as _

from relais.core.names import fold

# field -> (label, header spellings seen in ministry and association sheets)
PEOPLE_FIELDS = {
    "last_name": (
        _("Last name (Latin script)"),
        [
            "nom",
            "nom de famille",
            "last name",
            "last_name",
            "surname",
            "family name",
            "النسب",
            "الاسم العائلي",
        ],
    ),
    "first_name": (
        _("First name (Latin script)"),
        ["prenom", "first name", "first_name", "given name", "الاسم الشخصي", "الاسم"],
    ),
    "last_name_ar": (
        _("Last name (Arabic script)"),
        [
            "nom arabe",
            "nom en arabe",
            "nom (arabe)",
            "last name arabic",
            "last_name_ar",
            "النسب بالعربية",
        ],
    ),
    "first_name_ar": (
        _("First name (Arabic script)"),
        [
            "prenom arabe",
            "prenom en arabe",
            "prenom (arabe)",
            "first name arabic",
            "first_name_ar",
            "الاسم بالعربية",
        ],
    ),
    "sex": (_("Sex"), ["sexe", "sex", "genre", "gender", "الجنس"]),
    "birth_date": (
        _("Birth date"),
        [
            "date de naissance",
            "naissance",
            "birth date",
            "date of birth",
            "birth_date",
            "dob",
            "تاريخ الازدياد",
            "تاريخ الميلاد",
        ],
    ),
    "birth_year": (
        _("Birth year"),
        [
            "annee de naissance",
            "birth year",
            "birth_year",
            "سنة الازدياد",
            "سنة الميلاد",
        ],
    ),
    "cin": (
        _("CIN"),
        [
            "cin",
            "cnie",
            "n cin",
            "numero cin",
            "national id",
            "رقم البطاقة الوطنية",
            "البطاقة الوطنية",
        ],
    ),
    "phone": (
        _("Phone"),
        [
            "telephone",
            "tel",
            "gsm",
            "phone",
            "mobile",
            "portable",
            "الهاتف",
            "رقم الهاتف",
        ],
    ),
    "email": (_("Email"), ["email", "e-mail", "courriel", "mail", "البريد الإلكتروني"]),
    "province": (
        _("Province or prefecture"),
        [
            "province",
            "code province",
            "prefecture",
            "province code",
            "province_code",
            "الإقليم",
            "العمالة",
            "رمز الإقليم",
        ],
    ),
}


# The cascade's records across sessions: each row names a session by its code and
# a person by their CIN.
SESSION = (_("Session code"), ["session", "code session", "session code", "الدورة"])
CIN = (_("CIN"), ["cin", "cnie", "n cin", "رقم البطاقة الوطنية", "البطاقة الوطنية"])
RECORD_FIELDS = {
    "enrolments": {"session": SESSION, "cin": CIN},
    "attendance": {
        "session": SESSION,
        "cin": CIN,
        "date": (_("Day"), ["date", "jour", "day", "التاريخ", "اليوم"]),
        "present": (
            _("Present (1 or 0)"),
            ["present", "presence", "attendance", "الحضور"],
        ),
    },
    "scores": {
        "session": SESSION,
        "cin": CIN,
        "instrument": (
            _("Test (pre_test, post_test, practical, satisfaction)"),
            ["instrument", "test", "epreuve", "الاختبار"],
        ),
        "score": (_("Score"), ["score", "note", "النقطة"]),
    },
}
FIELDS = {"people": PEOPLE_FIELDS, **RECORD_FIELDS}
REQUIRED = {
    "people": ("first_name", "last_name"),
    "enrolments": ("session", "cin"),
    "attendance": ("session", "cin", "date", "present"),
    "scores": ("session", "cin", "instrument", "score"),
}


def missing(kind: str, mapping: dict[str, int]) -> list[str]:
    """The labels of the needed fields that no column goes to."""
    return [str(FIELDS[kind][f][0]) for f in REQUIRED[kind] if f not in mapping]


def _key(text: str) -> str:
    return fold(text).replace("°", "").replace(".", "").replace("_", " ").strip()


def guess(headers: list[str], fields=PEOPLE_FIELDS) -> dict[str, int]:
    """field -> column index, for the columns whose header we recognise."""
    keys = [_key(h) for h in headers]
    mapping: dict[str, int] = {}
    for field, (_label, spellings) in fields.items():
        wanted = [_key(s) for s in spellings]
        for index, key in enumerate(keys):
            if index in mapping.values():
                continue
            if key in wanted:
                mapping[field] = index
                break
    return mapping
