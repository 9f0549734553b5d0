"""WSGI entry point for gunicorn: `gunicorn config.wsgi`."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

from relais.core.warmup import warm_up  # noqa: E402

application = get_wsgi_application()
warm_up()
