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
