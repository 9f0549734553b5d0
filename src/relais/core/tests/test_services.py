"""model_update: the one way services copy a form's values onto a record."""

from relais.core.models import AuditEvent
from relais.core.services import model_update


def test_only_the_listed_fields_that_differ_change():
    event = AuditEvent(action="a", target_label="kept", territory_path="MA/")
    changed = model_update(
        event,
        ["action", "target_label", "territory_path"],
        {"action": "b", "target_label": "kept", "organisation_path": "1/"},
    )
    assert changed == ["action"]
    assert (event.action, event.target_label) == ("b", "kept")
    # Not listed: left alone even though `data` gives it.
    assert event.organisation_path == ""
