"""The shared catalogue: every desk reads it, each provider edits its own."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "reader, editable",
    [
        ("focal_association", {"legal_aid"}),
        ("manager_agadir", set()),
        ("national_admin", {"legal_aid", "e_services"}),
    ],
)
def test_the_catalogue_offers_to_edit_only_what_one_may_edit(
    world, client_for, hub, reader, editable
):
    """An association's focal point manages the association's services only:
    the catalogue lists every service but offers 'Edit' on theirs alone (the
    others' edit pages are not found)."""
    client = client_for(world.users[reader])
    content = client.get(reverse("hub:services")).content.decode()
    for name in ("legal_aid", "e_services"):
        edit = reverse("hub:service_update", args=[hub[name].pk])
        assert (edit in content) == (name in editable), name
        assert client.get(edit).status_code == (200 if name in editable else 404)
