"""Three languages, complete catalogues, and Arabic pages right to left."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.LOCALE_PATHS[0])


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_catalogue_is_complete_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()]
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
    stale = [
        e.msgid
        for e in po.translated_entries()
        if not e.msgid_plural and compiled.get((e.msgctxt, e.msgid)) != e.msgstr
    ]
    assert not stale, f"django.mo is older than django.po: {stale[:5]}"


def test_the_language_choice_persists(world, client_for):
    client = client_for(world.coord_souss)
    response = client.post(
        reverse("set_language"), {"language": "ar", "next": reverse("home")}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page


@pytest.mark.parametrize(
    ("language", "direction", "stylesheet"),
    [
        ("fr", "ltr", "bootstrap.min.css"),
        ("en", "ltr", "bootstrap.min.css"),
        ("ar", "rtl", "bootstrap.rtl.min.css"),
    ],
)
def test_every_page_of_the_cast_renders_in_each_language(
    world, client_for, language, direction, stylesheet
):
    client = client_for(world.national_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in [
        reverse("home"),
        reverse("territory:list"),
        reverse("organisations:list"),
        reverse("people:list"),
        reverse("people:detail", args=[world.person_agadir.pk]),
        reverse("people:create"),
        reverse("accounts:list"),
        reverse("audit"),
    ]:
        page = client.get(url).content.decode()
        assert f'<html lang="{language}" dir="{direction}">' in page, url
        assert stylesheet in page, url


def test_arabic_home_page_shows_no_french_labels(world, client_for):
    client = client_for(world.national_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get(reverse("home")).content.decode()
    for french in [
        "Accueil",
        "Organisations",
        "Personnes",
        "Se déconnecter",
        "Journal",
    ]:
        assert french not in page
    assert "الرئيسية" in page or "الصفحة الرئيسية" in page


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """Extract the strings afresh and compare: a new string without a translation
    fails here, not in front of an Arabic-speaking user."""
    import shutil
    import subprocess
    import sys

    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (apt-get install gettext) extracts the strings")
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "relais"
    shutil.copytree(
        root / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(root / "config", copy / "config")
    shutil.copy(root / "manage.py", copy / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        timeout=300,
    )
    fresh = polib.pofile(str(copy / "src/relais/locale/fr/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in fresh if not e.translated() or "fuzzy" in e.flags]
    assert not missing, f"Strings to add to the catalogues (makemessages): {missing}"
