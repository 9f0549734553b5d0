"""Fixtures shared by every test: the cast, and Debian's Chromium for browser tests."""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(
        reason=f"Browser tests need Debian's Chromium at {CHROMIUM} "
        "(apt-get install chromium); skipped."
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_report_header(config):
    if not os.path.exists(CHROMIUM):
        return f"Chromium not found at {CHROMIUM}: browser tests will be skipped."
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's Chromium, never a downloaded browser; no calls home."""
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: counters kept there (rate limits,
    refused CINs, pages not found) must not carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference_data(transactional_db):
    """The HCP nomenclature again: transactional tests flush what migrations loaded."""
    from relais.hub import reference
    from relais.hub.models import DataCategory, Need
    from relais.territory.models import Territory
    from relais.territory.reference import load_reference

    load_reference(Territory)
    reference.load(Need, DataCategory)


@pytest.fixture
def world(db):
    from tests.cast import build_world

    return build_world()


@pytest.fixture
def client_for(client):
    """A test client logged in as a member of the cast (None for anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
