"""The `relais` command: Django's management commands with Relais's settings.

`relais demo`, `relais migrate`, `relais runserver` and the rest all go through here,
so that the terminal and `manage.py` behave the same.

Without settings it uses the development ones, whose keys are published in this
repository. Outside demo mode it refuses to run with a missing or published key:
a worker or an import started that way would encrypt CINs with a key anyone can
read. Only commands that read and write no data run without keys.
"""

import os
import sys
from pathlib import Path

# They read no person and write nothing but code (a migration, a catalogue).
KEYLESS_COMMANDS = frozenset(
    {
        "help",
        "version",
        "--help",
        "-h",
        "--version",
        "check",
        "makemigrations",
        "makemessages",
        "compilemessages",
    }
)


def main() -> int:
    # manage.py sits at the project root, next to src/; make both importable when
    # Relais runs from a checkout rather than an installed package.
    root = Path(__file__).resolve().parents[2]
    for path in (root, root / "src"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command not in KEYLESS_COMMANDS:
        problem = keys_problem()
        if problem:
            print(problem, file=sys.stderr)
            return 2
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    return 0


def keys_problem() -> str | None:
    """Why the settings' keys may not be used here, or None."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        if settings.RELAIS_DEMO_MODE:
            return None
        keys = {
            "RELAIS_SECRET_KEY": settings.SECRET_KEY,
            "RELAIS_FIELD_KEY": settings.RELAIS_FIELD_KEY,
        }
    except ImproperlyConfigured as error:
        return f"Relais cannot start: {error}"
    unusable = [
        name
        for name, value in keys.items()
        if not value or value in settings.RELAIS_PUBLISHED_KEYS
    ]
    if not unusable:
        return None
    return (
        f"Relais refuses to start: {' and '.join(unusable)} "
        f"{'is' if len(unusable) == 1 else 'are'} missing or a development key "
        "published in the repository.\n"
        "Set them to secret values of your own (see the README's configuration), "
        "or, for the demo or generated data only, set RELAIS_DEMO_MODE=1."
    )
