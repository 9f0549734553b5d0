"""Pages not found on object URLs are counted per user, and the audit log hears
of it when the count of the hour reaches 10, 100 and 1,000: enough to see
someone walking ids, without an event per request."""

from django.urls import reverse

from relais.core.models import AuditEvent


def walk(client, start, count):
    for pk in range(start, start + count):
        assert client.get(reverse("people:detail", args=[pk])).status_code == 404


def events():
    return AuditEvent.objects.filter(action="navigation.not_found").order_by("id")


def test_walking_ids_is_audited_at_thresholds_not_at_every_404(world, client_for):
    client = client_for(world.coord_oriental)
    # The people of Souss-Massa exist but are out of scope; the rest do not exist.
    walk(client, world.person_agadir.pk, 1)
    walk(client, 10_000, 8)
    assert not events().exists()
    walk(client, 20_000, 1)
    assert list(events().values_list("details__count", flat=True)) == [10]
    event = events().get()
    assert event.actor == world.coord_oriental
    assert event.details["last"] == reverse("people:detail", args=[20_000])
    walk(client, 30_000, 89)
    assert events().count() == 1
    walk(client, 40_000, 1)
    assert list(events().values_list("details__count", flat=True)) == [10, 100]


def test_only_object_urls_and_each_user_count(world, client_for):
    """A mistyped address is no walk through ids; one user's count is their own."""
    client = client_for(world.coord_oriental)
    for n in range(12):
        assert client.get(f"/no-such-page-{n}/").status_code == 404
    walk(client, 10_000, 9)
    client = client_for(world.coord_souss)
    walk(client, 10_000, 9)
    assert not events().exists()
