"""Files that Relais hands out: safely named, and written to the audit log.

Every download goes through `offer`. The name reaches the browser through
Django's Content-Disposition helper, which quotes it (and encodes it as RFC 6266
says when it is not plain ASCII), so no text taken from the data, such as a
session's code, can end the header early and rename the file, say to `.html`.
The audit log then says who took which file, about what (law 09-08: who saw
what).
"""

from django.http import HttpResponseBase
from django.utils.http import content_disposition_header

from .audit import audit


def offer(
    request,
    response: HttpResponseBase,
    *,
    filename: str,
    action: str,
    target=None,
    details: dict | None = None,
) -> HttpResponseBase:
    """Make `response` a download named `filename`, and audit it as `action`."""
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    audit(request.user, action, target, details={"file": filename, **(details or {})})
    return response
