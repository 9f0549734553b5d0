"""Relais's commands are named one way, `relais <thing> <action>`, and the
scheduled ones run."""

import io

import pytest
from django.core.management import call_command, get_commands, load_command_class

# The demo and the benchmarks are tools, not parts of the product: `relais demo`
# and `relais bench-*` keep the short names the README and the team use.
TOOLS = "relais.devtools"


def product_commands():
    return sorted(
        (name, app)
        for name, app in get_commands().items()
        if app.startswith("relais.") and app != TOOLS
    )


def test_every_command_is_a_thing_and_an_action():
    assert product_commands(), "no command of Relais found"
    for name, app in product_commands():
        assert "_" not in name, f"{name}: a command is named `relais <thing> <action>`"
        parser = load_command_class(app, name).create_parser("relais", name)
        first = next(a for a in parser._actions if not a.option_strings)
        assert first.choices, f"`relais {name}` takes its action as a first word"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "words, said",
    [
        (["referrals", "remind"], "reminder(s) sent"),
        (["certifications", "expire"], "certification(s) expired"),
        (["retention", "apply"], "anonymised"),
    ],
)
def test_the_scheduled_commands_run(words, said):
    out = io.StringIO()
    call_command(*words, stdout=out)
    assert said in out.getvalue()
