"""The small POSTed forms of the pages: validate, run the service, say what happened."""

from django.contrib import messages

from .errors import ApplicationError


def report(request, error: ApplicationError) -> None:
    """Every message of a refusal, for the next page."""
    for message in error.messages:
        messages.error(request, message)


def apply_form(request, form, service, *, success, invalid, **arguments) -> bool:
    """Run `service(actor=…, **arguments, **form.cleaned_data)` if the form is valid.

    Returns whether the service ran; the messages tell the user either way.
    """
    if not form.is_valid():
        messages.error(request, invalid)
        return False
    return apply_action(
        request, service, success=success, **arguments, **form.cleaned_data
    )


def apply_action(request, service, *, success, **arguments) -> bool:
    """Run `service(actor=…, **arguments)`; say that it worked, or why it did not."""
    try:
        service(actor=request.user, **arguments)
    except ApplicationError as error:
        report(request, error)
        return False
    messages.success(request, success)
    return True
