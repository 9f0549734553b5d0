"""The roles of DESIGN.md and what each may do within the node it is granted on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    REGIONAL_COORDINATOR = "regional_coordinator", _("Regional coordinator")
    CENTRE_MANAGER = "centre_manager", _("Centre manager")
    TRAINER = "trainer", _("Trainer")
    HUB_AGENT = "hub_agent", _("Hub agent")
    ASSOCIATION_FOCAL_POINT = "association_focal_point", _("Association focal point")
    ME_OFFICER = "me_officer", _("M&E officer")
    AUDITOR = "auditor", _("Auditor")


class Permission:
    """What a membership allows on the objects below its node."""

    ORGANISATION_VIEW = "organisation.view"
    ORGANISATION_EDIT = "organisation.edit"
    PERSON_VIEW = "person.view"
    PERSON_EDIT = "person.edit"
    # Reading national identifiers (CIN) in full; everyone else sees them masked.
    PERSON_VIEW_IDENTIFIERS = "person.view_identifiers"
    ACCOUNT_MANAGE = "account.manage"
    AUDIT_VIEW = "audit.view"
    # The training cascade.
    PROGRAMME_MANAGE = "programme.manage"
    SESSION_VIEW = "session.view"
    # Plan sessions, assign facilitators, approve, close, certify trainers.
    SESSION_MANAGE = "session.manage"
    # Enrol people of one's scope into sessions one can see.
    ENROLMENT_MANAGE = "enrolment.manage"
    # The hub desk.
    HUB_DESK = "hub.desk"  # record visits, listening notes, consents, referrals
    HUB_MANAGE = "hub.manage"  # the service catalogue and the centre's supervisors
    REFERRAL_RECEIVE = "referral.receive"  # answer referrals sent to one's side
    CONSENT_OVERRIDE = "consent.override"  # send without consent, with a reason
    HUB_DASHBOARD = "hub.dashboard"
    HUB_SETTINGS = "hub.settings"  # programme-wide rules, such as supervised mode
    DATA_PROTECTION = "dataprotection.manage"  # requests under law 09-08
    # The cascade's dashboards, projections, dilution and their drill-down lists.
    CASCADE_DASHBOARD = "cascade.dashboard"
    TARGET_MANAGE = "target.manage"  # targets per programme, region, audience
    MINISTER_REPORT = "cascade.report"  # the note to the minister and its workbook


P = Permission
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.NATIONAL_ADMIN: frozenset(
        {
            P.ORGANISATION_VIEW,
            P.ORGANISATION_EDIT,
            P.PERSON_VIEW,
            P.PERSON_EDIT,
            P.PERSON_VIEW_IDENTIFIERS,
            P.ACCOUNT_MANAGE,
            P.AUDIT_VIEW,
            P.PROGRAMME_MANAGE,
            P.SESSION_VIEW,
            P.SESSION_MANAGE,
            P.ENROLMENT_MANAGE,
            P.HUB_DESK,
            P.HUB_MANAGE,
            P.REFERRAL_RECEIVE,
            P.CONSENT_OVERRIDE,
            P.HUB_DASHBOARD,
            P.HUB_SETTINGS,
            P.DATA_PROTECTION,
            P.CASCADE_DASHBOARD,
            P.TARGET_MANAGE,
            P.MINISTER_REPORT,
        }
    ),
    Role.REGIONAL_COORDINATOR: frozenset(
        {
            P.CASCADE_DASHBOARD,
            P.MINISTER_REPORT,
            P.ORGANISATION_VIEW,
            P.ORGANISATION_EDIT,
            P.PERSON_VIEW,
            P.PERSON_EDIT,
            P.PERSON_VIEW_IDENTIFIERS,
            P.SESSION_VIEW,
            P.SESSION_MANAGE,
            P.ENROLMENT_MANAGE,
            P.HUB_DASHBOARD,
        }
    ),
    Role.CENTRE_MANAGER: frozenset(
        {
            P.ORGANISATION_VIEW,
            P.ORGANISATION_EDIT,
            P.PERSON_VIEW,
            P.PERSON_EDIT,
            P.PERSON_VIEW_IDENTIFIERS,
            P.SESSION_VIEW,
            P.ENROLMENT_MANAGE,
            P.HUB_DESK,
            P.HUB_MANAGE,
            P.REFERRAL_RECEIVE,
            P.CONSENT_OVERRIDE,
            P.HUB_DASHBOARD,
        }
    ),
    # A trainer's sessions and trainees come from their facilitations, not the tree.
    Role.TRAINER: frozenset({P.ORGANISATION_VIEW}),
    Role.HUB_AGENT: frozenset(
        {
            P.ORGANISATION_VIEW,
            P.PERSON_VIEW,
            P.PERSON_EDIT,
            P.PERSON_VIEW_IDENTIFIERS,
            P.HUB_DESK,
            P.REFERRAL_RECEIVE,
        }
    ),
    # Focal points also see the sessions open in their association's region.
    Role.ASSOCIATION_FOCAL_POINT: frozenset(
        {
            P.ORGANISATION_VIEW,
            P.PERSON_VIEW,
            P.PERSON_EDIT,
            P.ENROLMENT_MANAGE,
            P.HUB_MANAGE,
            P.REFERRAL_RECEIVE,
        }
    ),
    Role.ME_OFFICER: frozenset(
        {
            P.ORGANISATION_VIEW,
            P.SESSION_VIEW,
            P.HUB_DASHBOARD,
            P.CASCADE_DASHBOARD,
            P.MINISTER_REPORT,
        }
    ),
    Role.AUDITOR: frozenset(
        {
            P.ORGANISATION_VIEW,
            P.PERSON_VIEW,
            P.AUDIT_VIEW,
            P.SESSION_VIEW,
            P.DATA_PROTECTION,
            P.CASCADE_DASHBOARD,
        }
    ),
}
