"""What the home page shows for each of the user's role memberships."""

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef

from relais.core.scoping import memberships_of
from relais.organisations.models import Organisation
from relais.organisations.policies import OrganisationPolicy
from relais.people.models import Affiliation, Person
from relais.people.policies import PersonPolicy
from relais.territory.models import Territory

# Counting the people of a region reads hundreds of thousands of rows; the home
# page shows a count at most this old, kept in the cache the app servers share.
PEOPLE_COUNT_SECONDS = 600


def _people_count(actor, readable_people, **affiliated) -> int:
    def count():
        in_node = Affiliation.objects.filter(person=OuterRef("pk"), **affiliated)
        return readable_people.filter(Exists(in_node)).count()

    place = next(iter(affiliated.values()))
    return cache.get_or_set(
        f"home:people:{actor.pk}:{place}", count, PEOPLE_COUNT_SECONDS
    )


def home_panels(*, actor) -> list[dict]:
    """One panel per membership: the country, a region, or an organisation.

    Counts are scoped to what the actor may read; a fixed handful of queries per
    membership, whatever the size of the data, and people counted once in ten
    minutes.
    """
    readable_orgs = Organisation.objects.filter(OrganisationPolicy.readable(actor))
    readable_people = Person.objects.filter(PersonPolicy.readable(actor))
    panels = []
    for membership in memberships_of(actor):
        if membership.territory_id:
            node = membership.territory
            orgs = readable_orgs.filter(territory_path__startswith=node.path)
            by_kind = dict(orgs.values_list("kind").annotate(n=Count("id")).order_by())
            regions = []
            if node.level == Territory.Level.COUNTRY:
                region_counts = dict(
                    orgs.values_list("territory__parent__code")
                    .annotate(n=Count("id"))
                    .order_by()
                )
                regions = [
                    (region, region_counts.get(region.code, 0))
                    for region in Territory.objects.filter(level="region")
                ]
            panels.append(
                {
                    "membership": membership,
                    "territory": node,
                    "organisations": orgs.count(),
                    "people": _people_count(
                        actor,
                        readable_people,
                        organisation__territory_path__startswith=node.path,
                    ),
                    "by_kind": [
                        (Organisation.Kind(kind).label, n)
                        for kind, n in sorted(by_kind.items())
                    ],
                    "regions": regions,
                }
            )
        else:
            node = membership.organisation
            panels.append(
                {
                    "membership": membership,
                    "organisation": node,
                    "organisations": readable_orgs.filter(
                        path__startswith=node.path
                    ).count(),
                    "people": _people_count(
                        actor, readable_people, organisation__path__startswith=node.path
                    ),
                    "children": list(
                        readable_orgs.filter(parent=node).order_by("path")[:20]
                    ),
                }
            )
    return panels
