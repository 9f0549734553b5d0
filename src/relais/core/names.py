"""Search keys for personal names written in Latin or Arabic script.

Moroccan names reach Relais in several spellings: Mohamed, Mohammed, Mhamed,
Muhammad, محمد. The key keeps only a consonant skeleton in one shared alphabet,
so all of these become "mhmd" and a search in either script finds the others.
Vowels, doubled letters, hamza and the letters that stand for vowels are dropped;
letters that French and English spellings render differently are merged
(ch/sh/ش → x, kh/خ/q/ق/k → k, ou/w/و → dropped, dj/j/ج → j).
"""

import re
import unicodedata
from functools import lru_cache

ARABIC_SKELETON = str.maketrans(
    {
        "ب": "b",
        "ت": "t",
        "ث": "t",
        "ط": "t",
        "ج": "j",
        "ح": "h",
        "ه": "h",
        "خ": "k",
        "ق": "k",
        "ك": "k",
        "د": "d",
        "ذ": "d",
        "ض": "d",
        "ر": "r",
        "ز": "z",
        "ظ": "z",
        "س": "s",
        "ص": "s",
        "ش": "x",
        "غ": "g",
        "گ": "g",
        "ف": "f",
        "ڤ": "f",
        "ل": "l",
        "م": "m",
        "ن": "n",
        # Letters that carry vowels or glottal stops: Latin spellings leave them out.
        "ا": None,
        "أ": None,
        "إ": None,
        "آ": None,
        "ء": None,
        "ؤ": None,
        "ئ": None,
        "ى": None,
        "ي": None,
        "و": None,
        "ع": None,
        "ة": None,
    }
)
ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat and tatweel
LATIN_DIGRAPHS = [
    ("dj", "j"),
    ("ch", "x"),
    ("sh", "x"),
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("q", "k"),
]
# French spells s as c before e, i and y (Youcef), and k elsewhere.
SOFT_C = re.compile("c(?=[eiy])")
LATIN_DROPPED = re.compile("[aeiouyw]")
ARTICLES = {"el", "al", "ال"}
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


# Names repeat a great deal (a few thousand spellings cover a country), so the
# word-level work is cached: imports of hundreds of thousands of rows depend on it.
@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no accents, no Arabic diacritics, single spaces."""
    text = ARABIC_MARKS.sub("", text or "")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.split(r"[\s\-'’`.,]+", text)).strip()


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """The consonant skeleton of one word, in either script."""
    if ARABIC_LETTER.search(token):
        result = token.translate(ARABIC_SKELETON)
    else:
        result = token
        for digraph, letter in LATIN_DIGRAPHS:
            result = result.replace(digraph, letter)
        result = SOFT_C.sub("s", result).replace("c", "k")
        result = LATIN_DROPPED.sub("", result)
    result = re.sub(r"[^a-z]", "", result)
    return re.sub(r"(.)\1+", r"\1", result)


def _without_article(token: str) -> str:
    if token.startswith("ال") and len(token) > 3:
        return token[2:]
    return token


@lru_cache(maxsize=65536)
def variants(text: str) -> frozenset[str]:
    """Skeletons of a whole name, with and without the articles el/al/ال."""
    tokens = [t for t in fold(text).split(" ") if t]
    with_articles = "".join(skeleton(t) for t in tokens)
    bare = "".join(skeleton(_without_article(t)) for t in tokens if t not in ARTICLES)
    return frozenset(v for v in (with_articles, bare) if v)


def search_key(*names: str) -> str:
    """What a person record stores: folded names and their skeletons, space-separated.

    The leading space lets a search match the start of any word with " " + term.
    """
    parts = set()
    for name in names:
        if name:
            parts.add(fold(name))
            parts.update(variants(name))
    return " " + " ".join(sorted(parts)) + " "


def query_terms(text: str) -> set[str]:
    """What to look for in search keys: the folded text and its skeletons."""
    folded = fold(text)
    if not folded:
        return set()
    return {folded} | {v for v in variants(text) if len(v) >= 2}
