"""The Procfile declares the production processes: each one's command exists, and the web
process really serves (gunicorn started on a free port, probes and a hashed static file)."""

import json
import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def procfile() -> dict[str, str]:
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            processes[name.strip()] = command.strip()
    return processes


def test_the_procfile_declares_release_web_worker_and_scheduler():
    assert set(procfile()) == {"release", "web", "worker", "scheduler"}


def test_every_management_command_of_the_procfile_exists():
    known = set(get_commands())
    for name, command in procfile().items():
        for step in command.split("&&"):
            words = shlex.split(step)
            if words[:2] == ["python", "manage.py"]:
                assert words[2] in known, f"{name}: {words[2]}"
    assert "collectstatic" in procfile()["release"] and "migrate" in procfile()["release"]


def test_the_web_process_is_gunicorn_on_the_wsgi_application_with_its_config():
    words = shlex.split(procfile()["web"])
    assert words[0] == "gunicorn"
    assert "config.wsgi" in words
    assert (ROOT / words[words.index("--config") + 1]).is_file()
    assert (VENV_BIN / "gunicorn").is_file()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def web_process(tmp_path):
    """The release step then the web process as the Procfile says, on SQLite in tmp_path, the
    site's own static files only (see test_static_files)."""
    (tmp_path / "e2e_settings.py").write_text(
        "from config.settings import *  # noqa\n"
        f"STATICFILES_DIRS = [{str(ROOT / 'web' / 'static')!r}]\n"
        "STATICFILES_FINDERS = ['django.contrib.staticfiles.finders.FileSystemFinder']\n"
    )
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTEST"))},
        "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
        "PYTHONPATH": f"{tmp_path}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "e2e_settings",
        "DEBUG": "0",
        "OUTBOX_ENABLED": "0",
        "SECRET_KEY": "e2e-" + "x" * 50,
        "SITE_URL": f"http://localhost:{port}",
        "ALLOWED_HOSTS": "localhost",
        "SECURE_SSL_REDIRECT": "0",
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.sqlite3'}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
    }
    commands = procfile()
    subprocess.run(
        commands["release"].replace("python ", f"{sys.executable} "),
        shell=True,  # the Procfile's line, as a platform runs it
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    log = (tmp_path / "web.log").open("w")
    process = subprocess.Popen(
        shlex.split(commands["web"]), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail((tmp_path / "web.log").read_text())
        yield base, tmp_path
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_gunicorn_serves_the_probes_a_hashed_static_file_and_metrics(web_process):
    base, tmp_path = web_process
    status, headers, body = _get(base + "/healthz", **{"X-Request-ID": "e2e-1"})
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert headers["X-Request-ID"] == "e2e-1"

    status, _, body = _get(base + "/readyz")
    assert status == 200, body
    assert json.loads(body)["checks"] == {"database": "ok", "cache": "ok", "migrations": "ok"}

    manifest = json.loads((tmp_path / "var" / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["web/portal.css"]
    status, headers, _ = _get(f"{base}/static/{hashed}", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert headers["Content-Encoding"] == "gzip"

    # Two workers, one set of figures (PROMETHEUS_MULTIPROC_DIR); refused through a proxy.
    for _ in range(4):
        _get(base + "/healthz")
    status, _, body = _get(base + "/metrics")
    assert status == 200
    line = next(
        line
        for line in body.decode().splitlines()
        if line.startswith("portal_http_requests_total") and 'view="ops.healthz"' in line
    )
    assert float(line.split()[-1]) >= 5
    assert _get(base + "/metrics", **{"X-Forwarded-For": "203.0.113.9"})[0] == 404
