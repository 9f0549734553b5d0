"""The HCP nomenclature as loaded by the data migration, and the regions map."""

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from relais.territory.maps import CACHE_KEY, region_map_svg
from relais.territory.models import Territory
from relais.territory.reference import load_reference
from relais.territory.selectors import region_names, territory_list

pytestmark = pytest.mark.django_db

# Anyone logged in: the territory app knows nothing of accounts.
READER = SimpleNamespace(is_authenticated=True)


def test_the_twelve_regions_and_their_provinces_and_prefectures():
    """12 regions; 75 provinces and prefectures; 8 prefectures of arrondissements."""
    assert Territory.objects.filter(level="region").count() == 12
    provinces = Territory.objects.filter(level="province")
    assert provinces.exclude(kind="prefecture_of_arrondissements").count() == 75
    arrondissements = provinces.filter(kind="prefecture_of_arrondissements")
    assert arrondissements.count() == 8
    casablanca = Territory.objects.get(code="06.141")
    assert {t.parent_id for t in arrondissements} == {casablanca.pk}
    assert all(t.path.startswith(casablanca.path) for t in arrondissements)


def test_official_codes_and_names_in_both_scripts():
    dakhla = Territory.objects.get(code="12")
    assert dakhla.name_fr == "Dakhla-Oued Ed-Dahab"
    assert dakhla.name_ar == "الداخلة-وادي الذهب"
    agadir = Territory.objects.get(code="09.001")
    assert agadir.parent.code == "09"
    assert agadir.path == "MA/09/09.001/"
    assert agadir.name_ar == "أكادير-إدا وتنان"


def test_loading_again_changes_nothing():
    before = list(Territory.objects.values_list("id", "code", "path", "name_ar"))
    load_reference(Territory)
    after = list(Territory.objects.values_list("id", "code", "path", "name_ar"))
    assert before == after


def test_search_finds_by_french_or_arabic_name_or_code():
    def codes(**search):
        return [t.code for t in territory_list(actor=READER, **search)]

    assert codes(search="Tiznit", level="province") == ["09.581"]
    assert "09.581" in codes(search="تيزنيت")
    assert codes(search="09.581")[0] == "09.581"


def test_anyone_logged_in_reads_every_place_and_no_one_else_any():
    """The places are reference data: no role narrows them, but a visitor who
    has not logged in reads none."""
    assert territory_list(actor=READER).count() == Territory.objects.count()
    assert not territory_list(actor=AnonymousUser()).exists()


def test_map_draws_the_twelve_regions_with_names_and_links():
    cache.delete(CACHE_KEY)
    svg = region_map_svg(
        names=region_names(),
        shares={"09": 1.0, "02": 0.0},
        links={"09": "/territory/09/"},
        title="Carte",
        standalone=True,
    )
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert len(re.findall(r"<path ", svg)) == 12
    assert 'href="/territory/09/"' in svg
    assert "<title>Souss-Massa</title>" in svg
    # Coverage shading: the full region deepest, the empty one palest.
    assert re.search(r'fill="#08519c"[^>]*data-region="09"', svg)
    assert re.search(r'fill="#deebf7"[^>]*data-region="02"', svg)
    # The simplified shapes are small enough for a slow connection.
    assert len(svg) < 40_000


def test_map_shapes_are_simplified_once_and_cached(monkeypatch):
    cache.delete(CACHE_KEY)
    region_map_svg(names={})
    from relais.territory import maps

    def fail():
        raise AssertionError("the boundary file was read again")

    monkeypatch.setattr(maps, "_compute_shapes", fail)
    region_map_svg(names={})
    assert cache.get(CACHE_KEY)["regions"].keys() == set(region_names())
