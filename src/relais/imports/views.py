"""Pages of an import: upload, mapping, dry run, commit and progress."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from relais.core.actions import report
from relais.core.downloads import offer
from relais.core.errors import ApplicationError
from relais.core.pagination import paginate, render_list

from . import files, jobs, selectors
from .forms import (
    BLANK,
    CHOICES,
    CommitForm,
    LayoutForm,
    MappingForm,
    PlacesForm,
    UploadForm,
)
from .mapping import FIELDS
from .models import ImportJob
from .policies import ImportPolicy

S = ImportJob.Status
# The rows under the header shown on the columns page.
PREVIEW_ROWS = 10


def step_url(job: ImportJob) -> str:
    """The page where the job stands now (a stalled one: where it says so)."""
    if getattr(job, "stalled", False):
        return reverse("imports:progress", args=[job.pk])
    if job.status == S.UPLOADED:
        return reverse("imports:mapping", args=[job.pk])
    if job.status in (S.CHECKING, S.CHECKED):
        return reverse("imports:check", args=[job.pk])
    return reverse("imports:progress", args=[job.pk])


def _importer(request):
    if not ImportPolicy.can(request.user, "use"):
        raise Http404


def _watched(job: ImportJob) -> ImportJob:
    """The job, marked stalled if its worker stopped: a page watching it says
    so and stops waiting (the next sweep fails it; a page writes nothing)."""
    job.stalled = selectors.import_job_stalled(job=job)
    return job


def job_index(request):
    _importer(request)
    page = paginate(request, selectors.import_job_list(actor=request.user))
    for job in page:
        job.url = step_url(job)
        _watched(job)
    return render_list(request, "imports/job_list.html", {"page": page})


def job_create(request):
    _importer(request)
    form = UploadForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            kind = form.cleaned_data["kind"]
            job = jobs.import_job_create(
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=kind,
                # Records name their session on each row, not an organisation.
                organisation=(
                    form.cleaned_data["organisation"]
                    if kind == ImportJob.Kind.PEOPLE
                    else None
                ),
            )
        except ApplicationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request, _("The file was received: check which column holds what.")
            )
            return redirect("imports:mapping", pk=job.pk)
    return render(
        request,
        "imports/job_create.html",
        {
            "form": form,
            "records": ImportPolicy.can(request.user, "import_records"),
        },
    )


def job_mapping(request, pk):
    """Where the data lies and which column holds what, with the first rows."""
    job = selectors.import_job_get(actor=request.user, pk=pk)
    if job.status not in (S.UPLOADED, S.CHECKED):
        return redirect(step_url(job))
    reframing = request.method == "POST" and "layout" in request.POST
    layout_form = LayoutForm(request.POST if reframing else None, job=job)
    if reframing and layout_form.is_valid():
        try:
            jobs.import_job_reframe(
                actor=request.user, job=job, **layout_form.cleaned_data
            )
        except ApplicationError as error:
            layout_form.add_error(None, error)
        else:
            return redirect("imports:mapping", pk=job.pk)
    initial = {name: str(index) for name, index in job.mapping.items()}
    form = MappingForm(
        None if reframing else request.POST or None,
        headers=job.headers,
        kind=job.kind,
        initial=initial,
    )
    mapping = job.mapping
    if request.method == "POST" and not reframing and form.is_valid():
        mapping = form.mapping
        if "confirm" in request.POST:
            try:
                jobs.import_job_confirm_mapping(
                    actor=request.user, job=job, mapping=mapping
                )
            except ApplicationError as error:
                form.add_error(None, error)
            else:
                return redirect("imports:check", pk=job.pk)
    fields = [
        (form[name], label, mapping.get(name))
        for name, (label, _spellings) in FIELDS[job.kind].items()
    ]
    mapped = [(label, index) for _field, label, index in fields if index is not None]
    below = enumerate(job.preview[job.header_row :], start=job.header_row + 1)
    preview = [
        (number, [row[index] if index < len(row) else "" for _label, index in mapped])
        for number, row in below
        if any(cell.strip() for cell in row)
    ][:PREVIEW_ROWS]
    return render(
        request,
        "imports/job_mapping.html",
        {
            "job": job,
            "layout_form": layout_form,
            "form": form,
            "fields": fields,
            "columns": [
                (label, job.headers[index] if index < len(job.headers) else "")
                for label, index in mapped
            ],
            "preview": preview,
            "rows": list(enumerate(job.preview, start=1)),
        },
    )


def job_places(request, pk):
    """The places of the file Relais did not recognise: which each one is."""
    job = selectors.import_job_get(actor=request.user, pk=pk)
    unknown = job.findings.get("unknown", {})
    if job.status != S.CHECKED or not unknown:
        return redirect(step_url(job))
    choices = selectors.value_references(actor=request.user, fields=unknown)
    form = PlacesForm(request.POST or None, unknown=unknown, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            jobs.import_job_map_places(actor=request.user, job=job, chosen=form.chosen)
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The places are noted: the file is being checked again.")
            )
            return redirect("imports:check", pk=job.pk)
    return render(
        request,
        "imports/job_places.html",
        {
            "job": job,
            "form": form,
            "rows": [(field, entry, form[name]) for field, entry, name in form.places],
            "lists": [
                (field, sorted(choices[field].labels.values())) for field in choices
            ],
            "blank": BLANK,
        },
    )


def job_check(request, pk):
    """The dry run: counts, problems, likely duplicates, and the commit form."""
    job = _watched(selectors.import_job_get(actor=request.user, pk=pk))
    if job.status == S.CHECKING and not job.stalled:
        if request.htmx:
            return render(request, "imports/_partials/checking.html", {"job": job})
        return render(request, "imports/job_check.html", {"job": job})
    if request.htmx:
        # The dry run is over: the whole page shows its result.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    if job.status != S.CHECKED:
        return redirect(step_url(job))
    return render(
        request,
        "imports/job_check.html",
        {
            "job": job,
            "likely": selectors.likely_findings(actor=request.user, job=job),
            "is_author": job.created_by_id == request.user.pk,
            "form": CommitForm(),
            "choices": CHOICES,
            "more_likely": job.counts.get("likely", 0)
            - len(job.findings.get("likely", [])),
            "more_problems": job.problems_count - len(job.findings.get("problems", [])),
            "unknown_values": sum(
                len(values) for values in job.findings.get("unknown", {}).values()
            ),
        },
    )


def job_report(request, pk):
    """The dry run's every problem and likely duplicate, as a workbook."""
    job = selectors.import_job_report(actor=request.user, pk=pk)
    if not files.exists(job.report):
        raise Http404
    return offer(
        request,
        FileResponse(
            files.open_file(job.report),
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        ),
        filename=f"import-{job.pk}-report.xlsx",
        action="import.report",
        target=job,
    )


@require_POST
def job_commit(request, pk):
    job = selectors.import_job_get(actor=request.user, pk=pk)
    form = CommitForm(request.POST)
    form.is_valid()
    decisions = {}
    for row in job.findings.get("likely_rows", []):
        choice = request.POST.get(f"likely-{row}")
        if choice:
            decisions[row] = choice
    apart = {
        row
        for row in job.findings.get("group_rows", [])
        if request.POST.get(f"group-{row}") == "several"
    }
    try:
        jobs.import_job_commit(
            actor=request.user,
            job=job,
            decisions=decisions,
            apart=apart,
            default=form.cleaned_data.get("default") or "skip",
            skip_invalid=bool(form.cleaned_data.get("skip_invalid")),
        )
    except ApplicationError as error:
        report(request, error)
        return redirect(step_url(job))
    messages.success(request, _("The import is under way."))
    return redirect("imports:progress", pk=job.pk)


def job_progress(request, pk):
    """Where the import stands; the bar refreshes itself until it is done."""
    job = _watched(selectors.import_job_get(actor=request.user, pk=pk))
    waiting = job.status in (S.UPLOADED, S.CHECKING, S.CHECKED) and not job.stalled
    if waiting and not request.htmx:
        return redirect(step_url(job))
    progress = selectors.import_job_progress(job=job) if job.is_working else {}
    percent = 0
    if progress.get("total"):
        percent = min(100, round(100 * progress["done"] / progress["total"]))
    context = {"job": job, "progress": progress, "percent": percent}
    if request.htmx:
        return render(request, "imports/_partials/progress.html", context)
    return render(request, "imports/job_progress.html", context)
