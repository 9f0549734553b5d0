"""Writes of the training cascade, one module per concern.

curriculum: programmes, modules, kits and tests; sessions: sessions and their
facilitators; enrolment: seats, the waiting list, approval and overlaps;
records: attendance, scores and fidelity; completion: closing a session;
certification: trainers' certification and their certificates.

Callers use this package's names (`services.enrolment_create`); the modules
say where each rule lives.
"""

from .certification import (
    certificate_for_certification,
    certification_certify,
    certification_set_status,
    certifications_expire,
    criteria,
    master_trainer_certify,
)
from .completion import completion_certificate, evaluate, outcome_text, session_close
from .curriculum import (
    instrument_update,
    kit_release,
    module_create,
    programme_create,
    programme_update,
)
from .enrolment import (
    EnrolmentRequest,
    enrolment_approve,
    enrolment_confirm,
    enrolment_create,
    enrolment_withdraw,
    enrolments_bulk_create,
    seats_left,
)
from .records import (
    PARTICIPANTS,
    Mark,
    Score,
    attendance_bulk_record,
    attendance_import,
    attendance_save,
    fidelity_record,
    normalised_gain,
    participants,
    results_import,
    results_save,
    scores_bulk_record,
)
from .sessions import (
    TRANSITIONS,
    facilitation_assign,
    facilitation_remove,
    holds_valid_certification,
    session_create,
    session_set_status,
    session_update,
)

__all__ = [
    "PARTICIPANTS",
    "TRANSITIONS",
    "EnrolmentRequest",
    "Mark",
    "Score",
    "attendance_bulk_record",
    "attendance_import",
    "attendance_save",
    "certificate_for_certification",
    "certification_certify",
    "certification_set_status",
    "certifications_expire",
    "completion_certificate",
    "criteria",
    "enrolment_approve",
    "enrolment_confirm",
    "enrolment_create",
    "enrolment_withdraw",
    "enrolments_bulk_create",
    "evaluate",
    "facilitation_assign",
    "facilitation_remove",
    "fidelity_record",
    "holds_valid_certification",
    "instrument_update",
    "kit_release",
    "master_trainer_certify",
    "module_create",
    "normalised_gain",
    "outcome_text",
    "participants",
    "programme_create",
    "programme_update",
    "results_import",
    "results_save",
    "scores_bulk_record",
    "seats_left",
    "session_close",
    "session_create",
    "session_set_status",
    "session_update",
]
