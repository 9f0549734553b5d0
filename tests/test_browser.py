"""In Debian's Chromium: log in, switch to Arabic, and read the page right to left."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

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


# Reports each violation of the Content-Security-Policy to the test, whatever
# page the browser is on (an init script runs before the page's own).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.relaisViolation(
    `${event.violatedDirective} ${event.blockedURI} ${event.documentURI}`
  );
});
"""


def watch_policies(page) -> list[str]:
    """Violations of the Content-Security-Policy and complaints about the
    Permissions-Policy on `page`, from its events and from its console."""
    problems: list[str] = []
    page.expose_function("relaisViolation", lambda text: problems.append(text))
    page.add_init_script(REPORT_VIOLATIONS)

    def console(message):
        text = message.text
        if any(
            word in text
            for word in ("Content Security Policy", "Permissions-Policy", "Refused to")
        ):
            problems.append(f"console: {text}")

    page.on("console", console)
    return problems


@pytest.fixture(autouse=True)
def no_policy_violations(page):
    """Every browser test also checks that its pages break no policy."""
    problems = watch_policies(page)
    yield
    assert not problems, problems


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

    page.click(".dropdown-toggle:has-text('Formation')")
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


def test_an_anonymous_visit_then_a_referral_with_consent_in_arabic(live_server, page):
    """At the Dakhla front desk, in Arabic: a visit in a few taps, then a referral
    that leaves the centre only once the person's consent is recorded."""
    from relais.hub import services
    from relais.hub.models import Need, Referral, Visit
    from tests.cast import build_world

    world = build_world()
    violence = Need.objects.get(code="violence")
    services.service_save(
        actor=world.national_admin,
        provider=world.association_agadir,
        needs=[violence],
        label_fr="Accompagnement juridique",
        label_ar="المواكبة القانونية",
    )
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "agent_dakhla")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(live_server.url + reverse("home"))
    page.click("button[name=language][value=ar]")
    page.wait_for_load_state()

    page.goto(live_server.url + reverse("hub:desk"))
    assert page.get_attribute("html", "dir") == "rtl"
    page.click("label[for=id_channel_0]")
    page.click(f"label:has-text('{violence.label_ar}')")
    page.select_option("select[name=sex]", "F")
    page.select_option("select[name=age_group]", "30-44")
    page.click("form[method=post] button[type=submit].btn-lg")
    page.wait_for_load_state()
    visit = Visit.objects.get()
    assert visit.person is None and visit.sex == "F"
    assert list(visit.needs.all()) == [violence]

    page.click(f"a[href='{reverse('hub:referral_create', args=[visit.pk])}']")
    page.check("input[name=service]")
    page.click("form[method=post] button[type=submit].btn-primary")
    page.wait_for_load_state()
    referral = Referral.objects.get()
    assert page.get_attribute("html", "dir") == "rtl"

    # No consent yet: the page asks for it before anything can be sent.
    page.click("form:has(input[name=referral]) button[type=submit]")
    page.wait_for_load_state()
    page.click("form:has(input[name=consent]) button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-status]").get_attribute("data-status") == "sent"
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT
    assert referral.consent.recipient == world.association_agadir


# A centre on a slow connection: the dashboard's first load, static files
# included, must stay under this many bytes as the network carries them.
PAGE_WEIGHT_LIMIT = 300 * 1024


def test_the_cascade_dashboard_is_light_on_first_load_and_reads_right_to_left(
    live_server, browser, client
):
    """A regional coordinator opens the dashboard in a fresh browser (nothing in
    its cache), in Arabic; every response is weighed compressed, as the reverse
    proxy and WhiteNoise send it."""
    import gzip

    from django.conf import settings

    from tests.cast import build_training, build_world

    world = build_world()
    build_training(world)
    client.force_login(world.coord_souss)
    context = browser.new_context(locale="ar-MA")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session,
                "url": live_server.url,
            },
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": "ar",
                "url": live_server.url,
            },
        ]
    )
    page = context.new_page()
    problems = watch_policies(page)
    weights = []
    page.on(
        "response",
        lambda response: weights.append(
            (response.url, len(gzip.compress(response.body())))
        ),
    )
    page.goto(live_server.url + reverse("monitoring:dashboard"))
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "dir") == "rtl"
    total = sum(size for _, size in weights)
    assert total < PAGE_WEIGHT_LIMIT, sorted(weights, key=lambda item: -item[1])
    assert any(url.endswith(".css") for url, _ in weights)  # static files counted

    # The map of the coordinator's region links to its regional dashboard.
    page.click("svg a[href*='region=09']")
    page.wait_for_load_state()
    assert "region=09" in page.url
    assert page.locator("h1").inner_text().endswith("ماسة")  # Souss-Massa
    context.close()
    assert not problems, problems


def log_in_as(page, live_server, client, user, language="fr"):
    """The browser takes the session of a test client logged in as `user`."""
    from django.conf import settings

    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": language,
                "url": live_server.url,
            },
        ]
    )


def test_key_pages_of_several_roles_keep_to_the_policy_and_htmx_works(
    live_server, page, client
):
    """Pages of several roles, in French and in Arabic, load with no script or
    style refused (the autouse fixture checks); a search refreshes its results
    through htmx, without reloading the page."""
    from tests.cast import build_hub, build_training, build_world

    world = build_world()
    world.training = build_training(world)
    world.hub = build_hub(world)
    session = world.training["session_souss"]
    pages = {
        world.coord_souss: [
            reverse("home"),
            reverse("people:list"),
            reverse("people:detail", args=[world.person_agadir.pk]),
            reverse("people:create"),
            reverse("organisations:list"),
            reverse("training:sessions"),
            reverse("training:session", args=[session.pk]),
            reverse("training:results", args=[session.pk]),
            reverse("training:trainer", args=[world.training["trainer"].pk]),
            reverse("monitoring:dashboard"),
            reverse("monitoring:projection"),
            reverse("monitoring:dilution"),
            reverse("hub:dashboard"),
        ],
        world.agent_dakhla: [
            reverse("hub:desk"),
            reverse("hub:visit", args=[world.hub["visit"].pk]),
            reverse("hub:note", args=[world.hub["note"].pk]),
            reverse("hub:referral", args=[world.hub["referral"].pk]),
        ],
        world.national_admin: [
            reverse("audit"),
            reverse("accounts:list"),
            reverse("imports:list"),
            reverse("imports:create"),
            reverse("territory:list"),
            reverse("territory:map"),
            reverse("training:programmes"),
        ],
        world.trainer_agadir: [
            reverse("training:my_sessions"),
            reverse("training:attendance", args=[session.pk, "2026-12-07"]),
        ],
    }
    for language in ("fr", "ar"):
        for user, urls in pages.items():
            log_in_as(page, live_server, client, user, language)
            for url in urls:
                response = page.goto(live_server.url + url)
                assert response.status == 200, url
                page.wait_for_load_state("networkidle")

    log_in_as(page, live_server, client, world.coord_souss)
    page.goto(live_server.url + reverse("people:list"))
    page.evaluate("window.relaisUnchanged = true")
    rows = page.locator("#results tbody tr")
    assert rows.count() >= 2
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true"):
        page.fill("input[name=q]", "Amrani")
    expect(rows).to_have_count(1)
    assert "El Amrani" in rows.first.inner_text()
    assert page.evaluate("window.relaisUnchanged") is True
    assert "q=Amrani" in page.url


DELEGATION_CSV = (
    "Liste des bénéficiaires — Délégation de Souss-Massa\n"
    ";;;\n"
    "Nom;Prénom;Année de naissance;Province\n"
    "Tazi;Amina;1968;الدار البيضاء\n"
    "Idrissi;Omar;1975;إقليم تارودانت\n"
    "Ouchen;Hajar;1991;مركز الداخلة الشمالي\n"
)


def test_a_delegations_list_goes_in_with_its_header_and_an_unknown_place_mapped(
    live_server, page, settings, tmp_path
):
    """A list with a title above its header and provinces in Arabic: pick the
    header row, read the dry run, say which province the unknown one is, check
    again, import; the people are there with their provinces and birth years."""
    from relais.people.models import Person
    from tests.cast import build_world

    settings.VAR_DIR = tmp_path
    world = build_world()
    sheet = tmp_path / "liste.csv"
    sheet.write_text(DELEGATION_CSV, encoding="utf-8")
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "coord_souss")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url(live_server.url + reverse("home"))

    page.goto(live_server.url + reverse("imports:create"))
    page.select_option("select[name=kind]", "people")
    page.select_option("select[name=organisation]", str(world.centre_agadir.pk))
    page.set_input_files("input[name=file]", str(sheet))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url("**/mapping/")

    # The header sits under the title: row 3, which the user confirms.
    page.select_option("select[name=header_row]", "3")
    page.click("button[name=layout]")
    page.wait_for_url("**/mapping/")
    expect(page.locator("select[name=province]")).to_have_value("3")
    page.click("button[name=confirm]")
    page.wait_for_url("**/check/")

    # One province of the file is no place Relais knows: the user says which.
    page.click("a[href$='/places/']")
    page.wait_for_url("**/places/")
    page.fill("input[list=places-province]", "Oued Ed-Dahab (12.391)")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url("**/check/")
    expect(page.locator("a[href$='/places/']")).to_have_count(0)

    page.click("form[action$='/commit/'] button[type=submit]")
    page.wait_for_url("**/progress/")
    expect(page.locator("#progress .alert-success")).to_be_visible()
    found = {
        p.last_name: (p.birth_year, p.residence.code)
        for p in Person.objects.filter(last_name__in=["Tazi", "Idrissi", "Ouchen"])
    }
    assert found == {
        "Tazi": (1968, "06.141"),
        "Idrissi": (1975, "09.541"),
        "Ouchen": (1991, "12.391"),
    }
