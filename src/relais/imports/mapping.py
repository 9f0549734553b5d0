"""Which column holds what: guessed from French, Arabic or English headers.

Each kind of import has its fields, and the fields without which no row can be
read.
"""

import re

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
            "province ou prefecture",
            "prefecture ou province",
            "province/prefecture",
            "الإقليم",
            "العمالة",
            "الإقليم أو العمالة",
            "العمالة أو الإقليم",
            "رمز الإقليم",
        ],
    ),
    "commune": (
        _("Commune"),
        ["commune", "code commune", "commune code", "الجماعة", "الجماعة الترابية"],
    ),
    "region": (_("Region"), ["region", "code region", "region code", "الجهة"]),
    # Each row's structure, when a file gathers several: the import's own
    # organisation for the rows that name none.
    "organisation": (
        _("Structure"),
        [
            "structure",
            "organisation",
            "organization",
            "etablissement",
            "centre",
            "association",
            "code structure",
            "المؤسسة",
            "الجمعية",
            "المركز",
            "الهيئة",
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
    # "Date de naissance (jj/mm/aaaa)": what is said in brackets is a hint.
    text = re.sub(r"\(.*?\)|\[.*?\]", "", text)
    return fold(text).replace("°", "").replace(".", "").replace("_", " ").strip()


# A header lies within the first rows of a sheet, under its titles.
HEADER_SEARCH_ROWS = 30


def find_header(rows: list[list[str]], fields=PEOPLE_FIELDS) -> int:
    """The index of the row that most looks like the header: the one whose
    cells name the most fields, the first of them if several do; failing
    that, the first row with two cells filled (a title row has one)."""
    best, best_score = None, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = len(guess(row, fields))
        if score > best_score:
            best, best_score = index, score
    if best is not None:
        return best
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in row if cell.strip()) >= 2:
            return index
    return 0


def _keys(header: str) -> set[str]:
    """The header's key, and those of its parts when it says the same thing in
    two languages ("Nom / النسب", "Prénom - الاسم")."""
    parts = re.split(r"\s*(?:/|\||\n| - | – )\s*", header)
    return {_key(header), *(_key(part) for part in parts if part.strip())}


def guess(headers: list[str], fields=PEOPLE_FIELDS) -> dict[str, int]:
    """field -> column index, for the columns whose header we recognise."""
    keys = [_keys(h) for h in headers]
    mapping: dict[str, int] = {}
    for field, (_label, spellings) in fields.items():
        wanted = {_key(s) for s in spellings}
        for index, key in enumerate(keys):
            if index in mapping.values():
                continue
            if key & wanted:
                mapping[field] = index
                break
    return mapping
