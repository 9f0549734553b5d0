"""In Debian's Chromium: log in, switch to Arabic, and read the page right to left."""

import os

import pytest
from django.urls import reverse

from tests.cast import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # Transactional tests empty the tables after them, migration data included.
    pytest.mark.usefixtures("reference_data"),
]

# The ORM is used to set up the cast inside the Playwright test body.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FRENCH_HOME_LABELS = ["Accueil", "Territoire", "Structures", "Personnes"]


@pytest.fixture
def browser_context_args(browser_context_args):
    """A browser set up in French, as in most of the programme's offices."""
    return {**browser_context_args, "locale": "fr-MA"}


def test_log_in_switch_to_arabic_and_read_right_to_left(live_server, page):
    from tests.cast import build_world

    build_world()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "coord_souss")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(live_server.url + reverse("home"))
    assert page.get_attribute("html", "dir") == "ltr"
    assert page.locator("nav").get_by_text("Accueil").is_visible()

    page.click("button[name=language][value=ar]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    navigation = page.locator("nav").inner_text()
    for label in FRENCH_HOME_LABELS:
        assert label not in navigation
    stylesheets = page.eval_on_selector_all(
        "link[rel=stylesheet]", "links => links.map(l => l.href)"
    )
    assert any(s.endswith("bootstrap.rtl.min.css") for s in stylesheets)
    # The menu starts on the right: the brand sits right of the first link.
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] > page.viewport_size["width"] / 2

    # The choice persists across pages.
    page.goto(live_server.url + reverse("territory:list"))
    assert page.get_attribute("html", "dir") == "rtl"


def test_a_trainers_day_attendance_survives_a_reload(live_server, page):
    """Open the session from "My sessions", mark someone absent, save, reload."""
    from tests.cast import build_training, build_world

    world = build_world()
    training = build_training(world)
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "trainer_agadir")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(live_server.url + reverse("home"))

    page.click("nav >> text=Mes sessions")
    page.click("text=SOUSS-1")
    page.click("a[href$='/attendance/2026-12-07/']")
    row = page.get_by_label(world.person_agadir.full_name_latin)
    assert row.is_checked()
    row.uncheck()
    page.click("button[type=submit]:has-text('Enregistrer')")
    page.wait_for_load_state()
    assert "absents : 1" in page.locator(".alert-success").inner_text()

    page.reload()
    assert not page.get_by_label(world.person_agadir.full_name_latin).is_checked()
    page.click(f"text={training['session_souss'].code}")
    row = page.locator("tr", has_text=world.person_agadir.full_name_latin)
    assert "0/2" in row.inner_text()
