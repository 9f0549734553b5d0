"""Lists count a little past the page asked for, and say when there is more."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from relais.core import pagination
from relais.people.models import Person


@pytest.fixture
def thirty_people(db):
    Person.objects.bulk_create(
        Person(first_name=f"P{i}", last_name="Page") for i in range(30)
    )
    return Person.objects.order_by("first_name")


def page(queryset, asked=""):
    request = RequestFactory().get("/", {"page": asked} if asked else {})
    return pagination.paginate(request, queryset, per_page=2)


def test_a_long_list_counts_up_to_its_bound_and_says_there_is_more(thirty_people):
    first = page(thirty_people)
    # Ten pages ahead of page 1, at two per page: 22 counted, the list goes on.
    assert first.paginator.count == 22
    assert first.paginator.more
    assert first.paginator.num_pages == 11
    assert [p.first_name for p in first] == ["P0", "P1"]


def test_asking_further_counts_further_until_the_end(thirty_people):
    deep = page(thirty_people, "9")
    assert deep.number == 9
    assert deep.paginator.count == 30
    assert not deep.paginator.more
    assert deep.paginator.num_pages == 15


def test_a_list_within_ten_pages_is_counted_exactly(thirty_people):
    request = RequestFactory().get("/")
    first = pagination.paginate(request, thirty_people, per_page=3)
    assert first.paginator.count == 30
    assert not first.paginator.more


@translation.override("en")
def test_the_pager_says_or_more_when_the_count_stopped(thirty_people):
    first = page(thirty_people)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = render_to_string(
        "core/_partials/pagination.html", {"page": first}, request=request
    )
    assert "Page 1 of 11 or more" in html
    html = render_to_string(
        "core/_partials/pagination.html",
        {"page": page(thirty_people, "15")},
        request=request,
    )
    assert "Page 15 of 15" in html and "or more" not in html


@pytest.mark.parametrize("asked", ["²", "-1", "0", "9" * 40, "abc"])
def test_a_page_number_that_is_no_number_gives_the_first_or_last_page(
    thirty_people, asked
):
    shown = page(thirty_people, asked)
    assert shown.number in (1, shown.paginator.num_pages)
