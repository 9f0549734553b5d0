"""What every page needs to draw its menu: which sections the user may open."""

from django.conf import settings

from .roles import Permission
from .scoping import has_permission


def relais(request):
    user = request.user
    if not user.is_authenticated:
        return {"session_idle_minutes": settings.SESSION_IDLE_MINUTES}
    return {
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
        "nav": {
            "people": has_permission(user, Permission.PERSON_VIEW),
            "imports": has_permission(user, Permission.PERSON_EDIT),
            "organisations": has_permission(user, Permission.ORGANISATION_VIEW),
            "accounts": has_permission(user, Permission.ACCOUNT_MANAGE),
            "audit": has_permission(user, Permission.AUDIT_VIEW),
            "sessions": has_permission(user, Permission.SESSION_VIEW)
            or has_permission(user, Permission.ENROLMENT_MANAGE),
            "my_sessions": bool(user.person_id),
            "certifications": has_permission(user, Permission.SESSION_MANAGE),
            "desk": has_permission(user, Permission.HUB_DESK),
            "referrals": has_permission(user, Permission.HUB_DESK)
            or has_permission(user, Permission.REFERRAL_RECEIVE),
            "hub_dashboard": has_permission(user, Permission.HUB_DASHBOARD)
            or has_permission(user, Permission.HUB_DESK),
            "data_protection": has_permission(user, Permission.DATA_PROTECTION),
            "cascade_dashboard": has_permission(user, Permission.CASCADE_DASHBOARD),
        },
    }
