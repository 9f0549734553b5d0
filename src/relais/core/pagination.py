"""One way to paginate every list: a count and a page, two queries at any size."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render


def paginate(request, queryset, per_page: int | None = None):
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def render_list(request, template: str, context: dict):
    """The whole page, or only the results fragment when htmx asks for it."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        folder, name = template.rsplit("/", 1)
        template = f"{folder}/_partials/{name}"
    return render(request, template, context)
