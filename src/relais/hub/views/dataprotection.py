"""Requests under law 09-08 (access, rectification, opposition) and the
person's file that answers an access request."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from relais.core.actions import report
from relais.core.caching import no_store
from relais.core.errors import ApplicationError
from relais.core.pagination import paginate, render_list

from .. import dataprotection, selectors
from ..forms import AnswerForm, DataRequestForm
from ..policies import DataRequestPolicy


def data_request_index(request):
    if not DataRequestPolicy.can(request.user, "record"):
        raise Http404
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = selectors.data_request_person_find(
            actor=request.user, pk=data.pop("person")
        )
        if person is None:
            form.add_error("person", _("No person with this number in your scope."))
        else:
            try:
                created = dataprotection.request_create(
                    actor=request.user, person=person, **data
                )
            except ApplicationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The request is recorded."))
                return redirect("hub:data_request", pk=created.pk)
    return render_list(
        request,
        "hub/data_request_list.html",
        {
            "page": paginate(request, selectors.data_request_list(actor=request.user)),
            "form": form,
            "today": timezone.localdate(),
            "categories": selectors.data_category_list(),
        },
    )


@no_store
def data_request_detail(request, pk):
    data_request = selectors.data_request_get(actor=request.user, pk=pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dataprotection.request_answer(
                actor=request.user, data_request=data_request, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect("hub:data_request", pk=data_request.pk)
    return render(
        request,
        "hub/data_request_detail.html",
        {"data_request": data_request, "form": form},
    )


@no_store
def person_file_export(request, pk, fmt):
    """The person's file for an access request, as JSON or PDF.

    Refused, with the reason, to the handler who recorded the request.
    """
    data_request = selectors.data_request_get(actor=request.user, pk=pk)
    if fmt not in ("json", "pdf"):
        raise Http404
    try:
        if fmt == "json":
            body = dataprotection.person_file_json(
                actor=request.user, data_request=data_request
            )
            content_type = "application/json; charset=utf-8"
        else:
            body = dataprotection.person_file_pdf(
                actor=request.user, data_request=data_request
            )
            content_type = "application/pdf"
    except ApplicationError as error:
        report(request, error)
        return redirect("hub:data_request", pk=data_request.pk)
    response = HttpResponse(body, content_type=content_type)
    # The export is on the audit log already (dataprotection): named only.
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"person-file-{data_request.person_id}.{fmt}"
    )
    return response
