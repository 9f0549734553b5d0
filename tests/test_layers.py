"""One door for every write: pages read and decide, services write.

The contracts in pyproject.toml (checked by `lint-imports`) keep the bulk
writer away from pages and imports; this test keeps every kind of write away
from the modules that serve pages, so that a rule written in a service cannot
be gone around from a view, a form or a selector.
"""

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "relais"
WRITES = {
    "save",
    "delete",
    "create",
    "update",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "execute",
    "executemany",
}
# Modules that answer requests or shape what they show: they never write.
READERS = ["views.py", "forms.py", "selectors.py"]


def modules():
    for name in READERS:
        yield from sorted(SOURCE.glob(f"*/{name}"))
    yield from sorted(SOURCE.glob("*/views/*.py"))


def writes_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            continue
        receiver = node.func.value
        # A set's or a dictionary's update is not a write; a queryset's is
        # (`Model.objects.filter(...).update(...)`, `Model.objects.update(...)`).
        if node.func.attr == "update" and not (
            isinstance(receiver, ast.Call)
            or (isinstance(receiver, ast.Attribute) and receiver.attr == "objects")
        ):
            continue
        found.append(f"{path.relative_to(SOURCE)}:{node.lineno} .{node.func.attr}()")
    return found


@pytest.mark.parametrize(
    "path", list(modules()), ids=lambda p: str(p.relative_to(SOURCE))
)
def test_pages_never_write_themselves(path):
    assert not writes_in(path), "write through a service instead"


def views():
    yield from sorted(SOURCE.glob("*/views.py"))
    yield from sorted(SOURCE.glob("*/views/*.py"))


def queries_in(path: Path) -> list[str]:
    """What a view does that belongs to a selector or a policy: a model's
    manager, a scope worked out by hand, or a look-up called only for the 404
    it may raise."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(SOURCE)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"{where} .objects")
        elif isinstance(node, ast.Name) and node.id == "scope_for":
            found.append(f"{where} scope_for")
        elif (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id.endswith("_get")
        ):
            found.append(f"{where} {node.value.func.id}() thrown away")
    return found


@pytest.mark.parametrize(
    "path", list(views()), ids=lambda p: str(p.relative_to(SOURCE))
)
def test_views_read_through_selectors_and_policies(path):
    assert not queries_in(path), "ask a selector or a policy instead"


def policy_classes():
    import importlib
    import inspect

    for path in sorted(SOURCE.glob("*/policies.py")):
        module = importlib.import_module(f"relais.{path.parent.name}.policies")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and value.__module__ == module.__name__
                and name.endswith("Policy")
            ):
                yield pytest.param(value, id=f"{path.parent.name}.{name}")


@pytest.mark.parametrize("policy", list(policy_classes()))
def test_every_policy_has_the_one_shape(policy):
    """readable(user) -> Q, can(user, action, obj), require and where, from
    core.access.Policy; every action has its rule and its message."""
    from relais.core.access import Policy

    assert issubclass(policy, Policy)
    assert policy.actions or policy.readable is not Policy.readable
    for action, message in policy.actions.items():
        assert callable(getattr(policy, f"_can_{action}", None)), action
        assert str(message), f"{action} refuses without a message"


@pytest.mark.parametrize(
    "app",
    ["territory", "organisations", "people", "accounts"]
    + ["training", "hub", "monitoring", "imports"],
)
def test_every_app_says_who_may_do_what_in_its_policies(app):
    assert (SOURCE / app / "policies.py").exists()
