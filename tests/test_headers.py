"""Headers every page sends: what caches may keep it, and what the browser may
run and use on it."""

from django.urls import reverse

from tests.cast import build_imports


def cache_control(response) -> set[str]:
    return {
        part.strip().split("=")[0]
        for part in response.get("Cache-Control", "").split(",")
    }


def test_a_logged_in_users_pages_are_private(world, client_for):
    """No shared cache keeps what one user saw for the next one."""
    client = client_for(world.coord_souss)
    for url in (reverse("home"), reverse("territory:list"), reverse("people:list")):
        response = client.get(url)
        assert response.status_code == 200
        assert "private" in cache_control(response), url


def test_confidential_pages_are_stored_by_no_cache_at_all(world, client_for):
    """A person's page (with the CIN in full) and the people export: no-store."""
    client = client_for(world.coord_souss)
    for url in (
        reverse("people:detail", args=[world.person_agadir.pk]),
        reverse("people:export"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert {"no-store", "private"} <= cache_control(response), url


def test_every_page_of_the_imports_is_stored_by_no_cache(
    world, client_for, settings, tmp_path
):
    """Imports show uploaded rows and their problems: no cache keeps them."""
    settings.VAR_DIR = tmp_path
    world.imports = build_imports(world)
    client = client_for(world.manager_agadir)
    for url in (
        reverse("imports:list"),
        reverse("imports:check", args=[world.imports["checked"].pk]),
        reverse("imports:report", args=[world.imports["checked"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in cache_control(response), url


def test_every_response_says_what_the_browser_may_run_and_use(world, client_for):
    """Inline scripts, plugins, framing and foreign sources are refused; camera,
    microphone, location and payment are switched off."""
    client = client_for(world.coord_souss)
    for url in (reverse("home"), reverse("login"), "/no-such-page/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        for directive in (
            "default-src 'self'",
            "script-src 'self';",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ):
            assert directive in policy, url
        assert "unsafe-eval" not in policy
        features = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in features, url


def test_the_hubs_confidential_pages_are_stored_by_no_cache(
    world, client_for, settings, tmp_path
):
    """A visit with its notes, a note's text, a data-protection request and the
    person's file it exports: no-store."""
    from tests.cast import build_hub

    settings.VAR_DIR = tmp_path
    hub = build_hub(world)
    author = client_for(world.agent_dakhla)
    for url in (
        reverse("hub:visit", args=[hub["visit"].pk]),
        reverse("hub:note", args=[hub["note"].pk]),
    ):
        response = author.get(url)
        assert response.status_code == 200, url
        assert "no-store" in cache_control(response), url
    handler = client_for(world.auditor_national)
    for url in (
        reverse("hub:data_request", args=[hub["data_request"].pk]),
        reverse("hub:person_file", args=[hub["data_request"].pk, "json"]),
    ):
        response = handler.get(url)
        assert response.status_code == 200, url
        assert "no-store" in cache_control(response), url


def test_a_null_character_in_a_request_gets_a_message_not_a_server_error(
    world, client_for
):
    """PostgreSQL refuses NUL characters in text: no search or form sends one."""
    client = client_for(world.coord_souss)
    for response in (
        client.get(reverse("people:list"), {"q": "moha\x00med"}),
        client.post(reverse("people:create"), {"first_name": "A\x00"}),
    ):
        assert response.status_code == 400
        assert "character" in response.content.decode() or "caractère" in (
            response.content.decode()
        )
