from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relais.core.actions import apply_action
from relais.core.downloads import offer
from relais.core.errors import ApplicationError
from relais.core.pagination import paginate, render_list
from relais.core.params import int_param
from relais.territory.maps import region_map_svg
from relais.training.models import Session

from . import charts, documents, projection, selectors, services
from .figures import dilution_signal, headline_line, target_progress
from .forms import DrillDownForm, TargetForm, WhatIfForm
from .policies import CascadePolicy, TargetPolicy
from .presenters import disaggregations

# The drill-downs read the summaries, refreshed when sessions close.
DRILL_COUNT_SECONDS = 600


def _exact_count(request, page, rows) -> int:
    """A drill-down's count is a figure of the programme: exact, even where the
    pages stop counting, and counted once for all its pages."""
    if not page.paginator.more:
        return page.paginator.count
    asked = sorted((k, v) for k, v in request.GET.items() if k != "page")
    key = f"drill:{request.user.pk}:{request.path}:{urlencode(asked)}"
    return cache.get_or_set(key, rows.count, DRILL_COUNT_SECONDS)


def _drill_down(request, rows) -> dict:
    """A drill-down's context: its rows for viewers who may see people (names
    shown row by row, see CascadePolicy.sees_people), the count alone otherwise."""
    if CascadePolicy.sees_people(request.user):
        page = paginate(request, rows)
        page.object_list = selectors.mark_people_visible(page.object_list, request.user)
        return {"page": page, "count": _exact_count(request, page, rows)}
    return {
        "page": None,
        "count": len(rows) if isinstance(rows, list) else rows.count(),
    }


class Viewpoint:
    """The programme and region a monitoring page looks at, checked against the
    viewer's scope: a region outside it is a 404."""

    def __init__(self, request, action="read"):
        if not CascadePolicy.can(request.user, action):
            raise Http404
        self.scope = selectors.dashboard_scope(request.user)
        self.programmes = selectors.programme_list()
        if not self.programmes:
            raise Http404
        wanted = request.GET.get("programme", "")
        self.programme = next(
            (p for p in self.programmes if str(p.pk) == wanted), self.programmes[0]
        )
        self.regions = selectors.regions_in(self.scope)
        self.region = None
        code = request.GET.get("region", "")
        if code:
            self.region = next((r for r in self.regions if r.code == code), None)
            if self.region is None:
                raise Http404

    @property
    def query(self) -> str:
        """The viewpoint as a query string, for the links to drill-down lists."""
        values = {"programme": self.programme.pk}
        if self.region is not None:
            values["region"] = self.region.code
        return urlencode(values)

    def context(self, **extra) -> dict:
        return {
            "programmes": self.programmes,
            "programme": self.programme,
            "regions": self.regions,
            "region": self.region,
            "query": self.query,
            "levels": Session.Level.choices,
            "audiences": Session.Audience.choices,
            **extra,
        }


def _months(request) -> int:
    months = int_param(request.GET.get("months", ""), low=1, high=60)
    return selectors.DEFAULT_INACTIVE_MONTHS if months is None else months


def dashboard(request):
    view = Viewpoint(request)
    figures = selectors.dashboard(
        actor=request.user,
        programme=view.programme,
        region=view.region,
        months=_months(request),
    )
    base = reverse("monitoring:dashboard")
    region_map = region_map_svg(
        names={row["region"].code: str(row["region"]) for row in figures["regions"]},
        shares=figures["coverage"],
        links={
            row["region"].code: f"{base}?programme={view.programme.pk}"
            f"&region={row['region'].code}"
            for row in figures["regions"]
        },
        title=_("Coverage against target, by region"),
    )
    return render(
        request,
        "monitoring/dashboard.html",
        view.context(
            figures=figures,
            region_map=region_map,
            disaggregations=disaggregations(figures["total"]),
            can_report=CascadePolicy.can(request.user, "report"),
        ),
    )


def people(request):
    view = Viewpoint(request)
    form = DrillDownForm(request.GET)
    rows = []
    if form.is_valid():
        rows = selectors.trained_people(
            actor=request.user,
            programme=view.programme,
            region=view.region,
            filters=form.cleaned_data,
        )
    else:
        messages.error(request, _("This list cannot be shown: check its filters."))
    return render_list(
        request,
        "monitoring/people.html",
        view.context(form=form, **_drill_down(request, rows)),
    )


def sessions(request):
    view = Viewpoint(request)
    state = request.GET.get("state", "")
    rows = selectors.drill_sessions(
        actor=request.user, programme=view.programme, region=view.region, state=state
    )
    page = paginate(request, rows)
    count = _exact_count(request, page, rows)
    return render_list(
        request,
        "monitoring/sessions.html",
        view.context(page=page, count=count, state=state),
    )


def trainers(request):
    view = Viewpoint(request)
    months = _months(request)
    inactive = request.GET.get("inactive") == "1"
    rows = selectors.trainers_list(
        actor=request.user,
        programme=view.programme,
        region=view.region,
        months=months,
        inactive=inactive,
    )
    return render_list(
        request,
        "monitoring/trainers.html",
        view.context(months=months, inactive=inactive, **_drill_down(request, rows)),
    )


def projection_page(request):
    view = Viewpoint(request)
    what_if = None
    form = WhatIfForm(request.GET if "completion_rate" in request.GET else None)
    if form.is_bound:
        if form.is_valid():
            what_if = projection.Parameters(**form.cleaned_data)
        else:
            messages.error(request, _("These rates cannot be used: check them."))
    result = selectors.projections(
        actor=request.user,
        programme=view.programme,
        region=view.region,
        parameters=what_if,
    )
    if not form.is_bound:
        form = WhatIfForm(initial=vars(result["from_data"]))
    shown = headline_line(result)
    chart = None
    if shown is not None:
        chart = charts.projection_chart(
            actual=shown["actual"],
            projected=shown["projected"],
            target=shown["target"].people if shown["target"] else None,
        )
    return render(
        request,
        "monitoring/projection.html",
        view.context(result=result, form=form, what_if=what_if, chart=chart),
    )


def dilution(request):
    view = Viewpoint(request)
    result = selectors.dilution(
        actor=request.user, programme=view.programme, region=view.region
    )
    pilot = result["pilot"]
    chart = charts.interval_chart(
        rows=[
            (
                _("Generation %(n)s") % {"n": generation}
                if generation is not None
                else _("Unknown"),
                estimate.mean,
                estimate.low,
                estimate.high,
            )
            for generation, estimate in result["by_generation"]
        ],
        reference=pilot.mean if pilot else None,
        reference_label=_("Pilot group"),
        title=_("Learning gain by generation"),
    )
    return render(
        request,
        "monitoring/dilution.html",
        view.context(
            result=result,
            chart=chart,
            signal=dilution_signal(result["by_generation"], pilot),
        ),
    )


# -- Targets ----------------------------------------------------------------------


def targets(request):
    view = Viewpoint(request)
    progress = target_progress(
        selectors.targets_in(
            scope=view.scope, programme=view.programme, region=view.region
        ),
        selectors.trained_rows(
            scope=view.scope, programme=view.programme, region=view.region
        ),
    )
    return render(
        request,
        "monitoring/targets.html",
        view.context(
            progress=progress,
            can_manage=TargetPolicy.can(request.user, "manage"),
        ),
    )


def target_edit(request, pk=None):
    if not TargetPolicy.can(request.user, "manage"):
        raise Http404
    territories = selectors.target_territories(actor=request.user)
    target = None
    if pk is not None:
        target = selectors.target_get_managed(actor=request.user, pk=pk)
    form = TargetForm(request.POST or None, instance=target, territories=territories)
    if request.method == "POST" and form.is_valid():
        try:
            services.target_save(actor=request.user, target=target, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("monitoring:targets")
    return render(
        request, "monitoring/target_form.html", {"form": form, "target": target}
    )


@require_POST
def target_delete(request, pk):
    if not TargetPolicy.can(request.user, "manage"):
        raise Http404
    target = selectors.target_get_managed(actor=request.user, pk=pk)
    apply_action(
        request,
        services.target_delete,
        target=target,
        success=_("The target was deleted."),
    )
    return redirect("monitoring:targets")


# -- The report to the minister -------------------------------------------------------


def report_pdf(request):
    view = Viewpoint(request, "report")
    language = request.GET.get("language", get_language())
    if language not in ("fr", "ar"):
        raise Http404
    pdf = documents.minister_note(
        actor=request.user,
        programme=view.programme,
        region=view.region,
        language=language,
    )
    name = f"note-{view.programme.code}-{timezone.localdate():%Y-%m-%d}-{language}"
    return offer(
        request,
        HttpResponse(pdf, content_type="application/pdf"),
        filename=f"{name}.pdf",
        action="report.download",
        target=view.programme,
        details={"region": view.region.code if view.region else ""},
    )


def report_xlsx(request):
    view = Viewpoint(request, "report")
    content = documents.workbook(
        actor=request.user, programme=view.programme, region=view.region
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"cascade-{view.programme.code}-{timezone.localdate():%Y-%m-%d}"
    return offer(
        request,
        response,
        filename=f"{name}.xlsx",
        action="report.download",
        target=view.programme,
        details={"region": view.region.code if view.region else ""},
    )
