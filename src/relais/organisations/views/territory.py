"""Browsing the territory and its map, with the organisations in each place.

The territory app holds the places; their pages live here, one floor up, because
a place's page lists the organisations it holds."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from relais.core.pagination import paginate, render_list
from relais.territory.maps import region_map_svg, region_pages
from relais.territory.models import Territory
from relais.territory.reference import ATTRIBUTION
from relais.territory.selectors import region_names, territory_get, territory_list

from ..selectors import organisation_list


def territory_index(request):
    search = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    if level not in Territory.Level.values:
        level = ""
    if not search and not level:
        level = Territory.Level.REGION
    page = paginate(
        request, territory_list(actor=request.user, search=search, level=level)
    )
    names = region_names()
    context = {
        "page": page,
        "q": search,
        "level": level,
        "levels": Territory.Level.choices,
        "attribution": ATTRIBUTION,
        "map": region_map_svg(
            names=names,
            links=region_pages(names),
            title=_("The 12 regions of Morocco"),
        ),
    }
    return render_list(request, "territory/list.html", context)


def territory_detail(request, code):
    territory = territory_get(actor=request.user, code=code)
    children = paginate(request, territory_list(actor=request.user, parent=territory))
    organisations = organisation_list(actor=request.user, territory=territory)
    context = {
        "territory": territory,
        "page": children,
        "organisation_count": organisations.count(),
        "organisations": organisations[:10],
        "attribution": ATTRIBUTION,
    }
    if territory.level in (Territory.Level.COUNTRY, Territory.Level.REGION):
        names = region_names()
        context["map"] = region_map_svg(
            names=names,
            highlight=set(names) if territory.level == "country" else {territory.code},
            links=region_pages(names),
            title=str(territory),
        )
    return render(request, "territory/detail.html", context)


def territory_map_svg(request):
    """The regions map as a file, for reports and for anyone who wants to reuse it."""
    svg = region_map_svg(
        names=region_names(), title=_("The 12 regions of Morocco"), standalone=True
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response
