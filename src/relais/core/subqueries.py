"""Per-row figures of a list that cost nothing for the rows not shown.

`annotate(n=Count("notes"))` joins and groups the whole table before the page is
cut: a list of a million visits groups a million rows to show 25. A correlated
subquery is evaluated for the rows of the page only.
"""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(rows: QuerySet, link: str, *, distinct: str = "") -> Coalesce:
    """How many of `rows` point, through their field `link`, to the outer row;
    with `distinct`, how many different values of that field they hold."""
    per_outer = (
        rows.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count(distinct or "pk", distinct=bool(distinct)))
        .values("n")
    )
    return Coalesce(Subquery(per_outer[:1], output_field=IntegerField()), 0)
