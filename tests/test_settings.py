"""Production settings come from the environment and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

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
