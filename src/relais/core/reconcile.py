"""Recognising a reference entry (a province, a commune, an organisation) in
what people type: its code, or its name in French or Arabic, written their way.

"Fès", "FES", "Préfecture de Fès" and "فاس" are one prefecture; "Oued Eddahab"
and "Oued Ed-Dahab", "Tanger" and "Tanger-Assilah" one province. A key drops
case, accents, Arabic diacritics and the variants of alef, hyphens, spaces and
apostrophes, and the words that only say what kind of place it is ("province
de", "préfecture d'", "إقليم"…). A name made of parts ("Agadir-Ida-Ou-Tanane")
is also known by each long-enough part that no other entry shares, and by its
consonant skeleton (relais.core.names) when no other entry shares it:
"Taroudant" is Taroudannt. A key that several entries share is ambiguous: it
finds nothing, unless the caller says where to look (a commune within its
province). What is not found may get a suggestion (the closest name, when it
is close), never an answer.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .names import fold, variants

# Words that say what kind of place or body a name is, not which one.
KIND_WORDS = re.compile(
    r"^(?:(?:la |le |l )?(?:prefecture|province|region|wilaya|commune|"
    r"municipalite|cercle|arrondissements?|centre|cr|cu)"
    r"(?: (?:urbaine|rurale|des|d|de|du|l|la|of))*\s+)+"
    r"|^(?:(?:ال)?(?:إقليم|اقليم|عمالة|جهة|جماعة|الجماعة|مقاطعات|الترابية)\s+)+"
)
ARABIC_VARIANTS = str.maketrans({"ة": "ه", "ى": "ي", "أ": "ا", "إ": "ا", "آ": "ا"})
# Parts of a name shorter than this say too little to stand for it alone.
MIN_PART = 4
SUGGEST_SCORE = 80


def _words(text: str) -> str:
    """The name's words, folded, without the words that say what kind it is."""
    return KIND_WORDS.sub("", fold(text) + " ").strip().translate(ARABIC_VARIANTS)


def reference_key(text: str) -> str:
    """What two spellings of one name have in common."""
    return _words(text).replace(" ", "")


def _parts(name: str) -> list[str]:
    return [
        key
        for part in re.split(r"[-–]", name)
        if len(key := reference_key(part)) >= MIN_PART
    ]


def _skeleton(text: str) -> str:
    """The consonants of the name, without its articles (el, al, ال)."""
    return min(variants(_words(text)) or {""}, key=len)


@dataclass
class Reference:
    """Entries to recognise: their codes, name keys and skeletons, labels and
    paths in the tree."""

    codes: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    keys: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    skeletons: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[int, str] = field(default_factory=dict)
    paths: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Iterable[tuple[int, str, list[str], list[str], str]]):
        """`entries`: (id, label, codes, names, path) for each entry."""
        reference = cls()
        parts = defaultdict(set)
        for pk, label, codes, names, path in entries:
            reference.labels[pk] = label
            reference.paths[pk] = path
            for code in codes:
                reference.codes[code.lower()].add(pk)
            for name in names:
                if key := reference_key(name):
                    reference.keys[key].add(pk)
                    reference.skeletons[_skeleton(name)].add(pk)
                for part in _parts(name):
                    parts[part].add(pk)
        # A part stands for its entry only where no name and no other entry
        # already say it.
        for key, ids in parts.items():
            if key not in reference.keys and len(ids) == 1:
                reference.keys[key] = ids
        return reference

    def find(self, text: str, within: str = "") -> tuple[int | None, str]:
        """(id, "code" or "name") of the one entry `text` names, under the
        path `within` if given; (None, "") when none or several do."""
        text = text.strip()
        ids, how = self.codes.get(text.lower()), "code"
        if not ids:
            key = reference_key(text)
            ids, how = self.keys.get(key), "name"
            if not ids and key:
                ids = self.skeletons.get(_skeleton(text))
        if not ids:
            return None, ""
        if within:
            ids = {pk for pk in ids if self.paths[pk].startswith(within)}
        if len(ids) != 1:
            return None, ""
        return next(iter(ids)), how

    def pick(self, text: str) -> int | None:
        """The entry a list showed as `text` (its label), or whose code it is."""
        text = text.strip()
        for pk, label in self.labels.items():
            if label == text:
                return pk
        ids = self.codes.get(text.lower(), set())
        return next(iter(ids)) if len(ids) == 1 else None

    def suggest(self, text: str) -> int | None:
        """The entry whose name is closest to `text`, if it is close."""
        key = reference_key(text)
        if not key:
            return None
        found = process.extractOne(
            key, list(self.keys), scorer=fuzz.ratio, score_cutoff=SUGGEST_SCORE
        )
        if found is None or len(self.keys[found[0]]) != 1:
            return None
        return next(iter(self.keys[found[0]]))
