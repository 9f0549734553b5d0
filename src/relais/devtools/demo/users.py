"""Demo accounts: flagged as such, so that they log in only in demo mode."""

from relais.accounts.models import RoleMembership, User

DEMO_PASSWORD = "Relais-Demo-2026"


def demo_user(username: str, role: str, *, territory=None, organisation=None) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"is_demo": True}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    RoleMembership.objects.get_or_create(
        user=user, role=role, territory=territory, organisation=organisation
    )
    return user
