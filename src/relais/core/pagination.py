"""One way to paginate every list: a bounded count and a page, two queries at any size.

Counting a list of millions of visits takes longer than showing a page of it, and
nobody reads page 4,000. The count stops PAGES_AHEAD pages past the page asked
for, so the first page says "Page 1 of 11 or more" and Next always leads on; only
a user who walks to the end pays for counting to the end. Counting further costs
most where few rows match: a common name searched in one region was looked for
in 220,000 people to count 1,000.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils.functional import cached_property

from .params import int_param

PAGES_AHEAD = 10
# Further than anyone pages; a larger number only asks for a larger count.
MAX_PAGE = 100_000


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, page_asked: int = 1):
        super().__init__(object_list, per_page)
        self.bound = (page_asked + PAGES_AHEAD) * per_page

    @cached_property
    def _counted(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)  # already in memory
        # Only the keys, without ordering: the database stops at the bound.
        return self.object_list.order_by().values("pk")[: self.bound + 1].count()

    @property
    def count(self) -> int:
        return min(self._counted, self.bound)

    @property
    def more(self) -> bool:
        """Whether the list goes on beyond what was counted."""
        return self._counted > self.bound


def paginate(request, queryset, per_page: int | None = None):
    asked = request.GET.get("page", "")
    paginator = BoundedPaginator(
        queryset,
        per_page or settings.PAGE_SIZE,
        page_asked=int_param(asked, low=1, high=MAX_PAGE) or 1,
    )
    return paginator.get_page(asked)


def render_list(request, template: str, context: dict):
    """The whole page, or only the results fragment when htmx asks for it."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        folder, name = template.rsplit("/", 1)
        template = f"{folder}/_partials/{name}"
    return render(request, template, context)
