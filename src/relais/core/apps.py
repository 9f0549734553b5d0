from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "relais.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import lookups, signals  # noqa: F401  (registered on import)
