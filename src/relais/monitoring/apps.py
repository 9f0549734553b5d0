from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "relais.monitoring"
    label = "monitoring"
    verbose_name = _("Cascade monitoring")

    def ready(self):
        from . import receivers  # noqa: F401  (connected on import)
