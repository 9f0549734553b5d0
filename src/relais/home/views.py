"""The pages at the site's root that gather every app: the home page and the
audit log."""

from django.http import Http404
from django.shortcuts import render

from relais.accounts.selectors import audit_event_list
from relais.core.pagination import paginate, render_list
from relais.core.roles import Permission
from relais.core.scoping import has_permission
from relais.hub import selectors as hub
from relais.territory.maps import region_map_svg, region_pages
from relais.territory.selectors import region_names

from .selectors import home_panels


def home(request):
    panels = home_panels(actor=request.user)
    awaiting = hub.referrals_awaiting_answer(actor=request.user)
    names = region_names()
    for panel in panels:
        territory = panel.get("territory")
        if territory is None:
            continue
        highlight = set() if territory.level == "country" else {territory.region_code}
        panel["map"] = region_map_svg(
            names=names,
            highlight=highlight or set(names),
            links=region_pages(names),
            title=str(territory),
        )
    context = {"panels": panels, "awaiting": awaiting, "badge_most": hub.BADGE_MOST}
    return render(request, "home/home.html", context)


def audit_list(request):
    if not has_permission(request.user, Permission.AUDIT_VIEW):
        raise Http404
    events = audit_event_list(actor=request.user)
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = paginate(request, events.order_by("-created_at", "-id"))
    return render_list(
        request, "home/audit_list.html", {"page": page, "action": action}
    )
