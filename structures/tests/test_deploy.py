"""`check --deploy` is clean with production-like environment variables."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "SECRET_KEY": "a-production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a3f2e1d0c",
        "ALLOWED_HOSTS": "monenfant.example.fr",
        "SITE_HTTPS": "on",
        "DEBUG": "off",
        "EMAIL_URL": "smtp+tls://user:password@smtp.example.fr:587",
    }
    for test_only in ("POSTGIS_COMPARE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"):
        env.pop(test_only, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
