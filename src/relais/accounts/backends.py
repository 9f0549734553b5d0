"""Log-in: Django's model backend, except that demo accounts need demo mode."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class RelaisBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if user.is_demo and not settings.RELAIS_DEMO_MODE:
            return False
        return super().user_can_authenticate(user)
