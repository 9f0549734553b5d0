from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """The demo and the benchmarks with their commands (`relais demo`,
    `relais bench-*`). Development and test settings install this app; production
    does not, and no app of Relais imports it."""

    name = "relais.devtools"
    label = "devtools"
