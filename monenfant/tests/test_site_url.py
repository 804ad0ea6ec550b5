"""Links in emails use the address the site is served on (`PORT=8080 make run`)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def site_url(**environ) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")} | environ
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "monenfant.settings"}, capture_output=True, text=True, check=True,
    ).stdout.strip()


def test_the_port_make_run_serves_on_is_the_one_links_point_to():
    assert site_url(PORT="8080") == "http://127.0.0.1:8080"
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8080", SITE_URL="https://monenfant.example.fr/") == "https://monenfant.example.fr"
