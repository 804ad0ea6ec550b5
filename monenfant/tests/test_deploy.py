"""The files of deploy/ are the ones `make prod` runs: nginx and gunicorn accept them as rendered."""

import re
import subprocess
from pathlib import Path

from django.conf import settings

from monenfant.tests.horloge import real_clock_environ


def test_nginx_and_gunicorn_accept_the_deploy_files(tmp_path):
    result = subprocess.run(["/bin/bash", str(Path(settings.BASE_DIR) / "scripts" / "prod.sh"), "check-config"],  # noqa: S603
                            env={**real_clock_environ(), "PROD_DIR": str(tmp_path)}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    site = (tmp_path / "nginx" / "monenfant.conf").read_text()
    assert not re.search(r"@[A-Z_]+@", site), "every placeholder is filled"
    assert "server 127.0.0.1:8001" in site and "server 127.0.0.1:8002" in site
    proxy = (Path(settings.BASE_DIR) / "deploy" / "nginx" / "proxy.conf").read_text()
    # A POST is never sent to a second server: nginx retries only idempotent requests, unless told otherwise.
    assert "proxy_next_upstream error timeout http_502;" in proxy and "non_idempotent" not in proxy
    env = (tmp_path / "env").read_text()
    assert "SITE_HTTPS=true" in env and "DATABASE_URL=postgis://" in env and "REDIS_URL=redis://" in env
