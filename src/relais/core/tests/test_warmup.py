"""A new app-server process compiles its templates before its first request."""

from django.template import engines

from relais.core.warmup import warm_up


def test_warm_up_compiles_every_template_without_the_database():
    # Without the django_db mark, any query would fail this test.
    compiled = warm_up()
    loader = engines["django"].engine.template_loaders[0]
    cached = set(loader.get_template_cache)
    assert compiled > 50
    for name in ("core/base.html", "hub/desk.html", "monitoring/dashboard.html"):
        assert name in cached
