"""Production settings come from the environment and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        | {"DJANGO_SETTINGS_MODULE": "config.settings.production"}
        | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_on_production_settings():
    result = run_check(
        {
            "RELAIS_SECRET_KEY": "x" * 30 + "-a-long-random-production-key-0123456789",
            "RELAIS_FIELD_KEY": "another-long-random-key-for-identifiers",
            "RELAIS_ALLOWED_HOSTS": "relais.example.ma",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    result = run_check({"RELAIS_ALLOWED_HOSTS": "relais.example.ma"})
    assert result.returncode != 0
    assert "RELAIS_SECRET_KEY must be set" in result.stderr


def relais(*args, **env):
    """`manage.py …` as an operator would type it: no settings module unless
    given, no Relais variables but those given."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "RELAIS_")) and k != "DATABASE_URL"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


REAL_KEYS = {
    "RELAIS_SECRET_KEY": "a-long-random-key-that-is-not-in-the-repository-0123",
    "RELAIS_FIELD_KEY": "another-long-random-key-for-the-identifiers-4567",
}


@pytest.mark.parametrize(
    "command",
    [
        ["db_worker"],
        ["runserver", "127.0.0.1:8765", "--noreload"],
        ["import", "people", "people.csv", "--organisation", "X", "--as", "x"],
        ["migrate"],
        ["shell", "-c", "print('ran')"],
    ],
)
def test_without_demo_mode_the_development_keys_are_refused(command, tmp_path):
    """A worker, a server or an import started without settings would encrypt
    CINs with keys published in the repository: refused, before anything runs."""
    result = relais(*command, RELAIS_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "RELAIS_FIELD_KEY" in result.stderr
    assert "ran" not in result.stdout
    assert not (tmp_path / "relais.sqlite3").exists()


def test_a_development_key_given_explicitly_is_refused_too(tmp_path):
    result = relais(
        "shell",
        "-c",
        "print('ran')",
        RELAIS_VAR_DIR=str(tmp_path),
        RELAIS_SECRET_KEY=REAL_KEYS["RELAIS_SECRET_KEY"],
        RELAIS_FIELD_KEY="dev-only-field-key",
    )
    assert result.returncode != 0
    assert "RELAIS_FIELD_KEY" in result.stderr
    assert "RELAIS_SECRET_KEY" not in result.stderr


@pytest.mark.parametrize(
    "env", [{"RELAIS_DEMO_MODE": "1"}, REAL_KEYS], ids=["demo mode", "real keys"]
)
def test_demo_mode_or_real_keys_let_commands_run(env, tmp_path):
    result = relais("shell", "-c", "print('ran')", RELAIS_VAR_DIR=str(tmp_path), **env)
    assert result.returncode == 0, result.stderr
    assert "ran" in result.stdout


def test_commands_that_touch_no_data_need_no_keys(tmp_path):
    """Checking for missing migrations reads no person and writes nothing."""
    result = relais(
        "makemigrations", "--check", "--dry-run", RELAIS_VAR_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_the_development_keys():
    result = run_check(
        {
            "RELAIS_SECRET_KEY": "dev-only-not-secret",
            "RELAIS_FIELD_KEY": REAL_KEYS["RELAIS_FIELD_KEY"],
            "RELAIS_ALLOWED_HOSTS": "relais.example.ma",
        }
    )
    assert result.returncode != 0
    assert "RELAIS_SECRET_KEY" in result.stderr
