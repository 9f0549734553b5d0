"""The organisation page links only to what its reader may open."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "reader, centre",
    [("trainer_agadir", "centre_agadir"), ("agent_dakhla", "centre_dakhla")],
)
def test_the_parent_is_shown_only_to_those_who_may_open_it(
    world, client_for, reader, centre
):
    """A centre's trainer or front desk may not open the coordination above the
    centre: its page neither names nor links it (the link led to a 404)."""
    centre = world.orgs[centre]
    parent_link = reverse("organisations:detail", args=[centre.parent_id])
    page = reverse("organisations:detail", args=[centre.pk])

    client = client_for(world.users[reader])
    content = client.get(page).content.decode()
    assert centre.name_fr in content
    assert parent_link not in content
    assert centre.parent.name_fr not in content
    assert client.get(parent_link).status_code == 404

    national = client_for(world.national_admin).get(page).content.decode()
    assert parent_link in national and centre.parent.name_fr in national
