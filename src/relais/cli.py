"""The `relais` command: Django's management commands with Relais's settings.

`relais demo`, `relais migrate`, `relais runserver` and the rest all go through here,
so that the terminal and `manage.py` behave the same.
"""

import os
import sys
from pathlib import Path


def main() -> int:
    # manage.py sits at the project root, next to src/; make both importable when
    # Relais runs from a checkout rather than an installed package.
    root = Path(__file__).resolve().parents[2]
    for path in (root, root / "src"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    return 0
