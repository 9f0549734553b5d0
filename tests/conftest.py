"""The world of the permission matrix, shared by the tests that walk every URL."""

import pytest


@pytest.fixture
def matrix_world(world, settings, tmp_path):
    from tests.cast import build_hub, build_imports, build_training

    settings.VAR_DIR = tmp_path
    world.training = build_training(world)
    world.hub = build_hub(world)
    world.imports = build_imports(world)
    return world
