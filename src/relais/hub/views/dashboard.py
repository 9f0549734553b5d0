"""The hub's figures for a centre, a region or the country, and the hub's rules."""

import datetime

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.core.params import int_param

from .. import selectors, services
from ..forms import HubSettingsForm
from ..policies import DashboardPolicy, HubSettingsPolicy

# The dashboard's period: the last 90 days unless asked otherwise, at most a
# century back ("all" for since the start).
DASHBOARD_DAYS = "90"
MAX_DASHBOARD_DAYS = 36500
DASHBOARD_SECONDS = 300


def dashboard(request):
    if not DashboardPolicy.can(request.user, "view"):
        raise Http404
    territory = centre = None
    if request.GET.get("centre"):
        centre = selectors.dashboard_centre_get(
            actor=request.user, pk=request.GET["centre"]
        )
    elif request.GET.get("region"):
        territory = selectors.dashboard_region_get(
            actor=request.user, code=request.GET["region"]
        )
    days = request.GET.get("days", DASHBOARD_DAYS)
    since = None
    if days != "all":
        number = int_param(days, low=1, high=MAX_DASHBOARD_DAYS)
        if number is None:
            messages.warning(request, _("Unknown period: the last 90 days are shown."))
            days, number = DASHBOARD_DAYS, int(DASHBOARD_DAYS)
        since = timezone.now() - datetime.timedelta(days=number)
    # Supervision figures, counted over hundreds of thousands of visits: kept a
    # few minutes in the shared cache, for the viewer and what they look at.
    figures = cache.get_or_set(
        f"hub:dashboard:{request.user.pk}:{territory and territory.pk}"
        f":{centre and centre.pk}:{days}",
        lambda: selectors.dashboard(
            actor=request.user, territory=territory, centre=centre, since=since
        ),
        DASHBOARD_SECONDS,
    )
    return render(
        request,
        "hub/dashboard.html",
        {
            "figures": figures,
            "territory": territory,
            "centre": centre,
            "days": days,
            "regions": selectors.dashboard_regions(actor=request.user),
        },
    )


def hub_settings(request):
    if not HubSettingsPolicy.can(request.user, "view"):
        raise Http404
    form = HubSettingsForm(request.POST or None, instance=selectors.hub_settings())
    if request.method == "POST" and form.is_valid():
        services.hub_settings_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The settings were saved."))
        return redirect("hub:settings")
    return render(request, "hub/form.html", {"form": form, "title": _("Hub settings")})
