"""The deployment as described by docker-compose.yml and the production settings.

No Docker engine runs in CI, so the compose file is checked statically: every command it
names must exist in this project, with options the command accepts. The production
settings are started for real in subprocesses, the way gunicorn and Celery would.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
PRODUCTION = "clustermissions.settings.production"
# Services that run images we do not build; their commands belong to those images.
THIRD_PARTY_IMAGES = {"postgres": "postgres:16", "redis": "redis:7"}
OUR_SERVICES = {"web", "worker", "beat"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def command_lines(command: str | list[str]) -> list[list[str]]:
    """The argv of every program a compose ``command`` or healthcheck ``test`` runs.

    Understands the forms the file uses: an exec list, ``["CMD", ...]``,
    ``["CMD-SHELL", "..."]`` and ``sh -c "a && b && exec c"``.
    """
    if isinstance(command, str):
        command = ["CMD-SHELL", command]
    if command[0] == "CMD":
        return [command[1:]]
    if command[0] == "CMD-SHELL":
        return shell_lines(command[1])
    if command[:2] == ["sh", "-c"]:
        return shell_lines(command[2])
    return [command]


def shell_lines(script: str) -> list[list[str]]:
    lines = []
    for part in re.split(r"&&|;", script):
        argv = shlex.split(part)
        if argv and argv[0] == "exec":
            argv = argv[1:]
        if argv:
            lines.append(argv)
    return lines


def all_command_lines(service: dict) -> list[list[str]]:
    lines = []
    if "command" in service:
        lines += command_lines(service["command"])
    if "healthcheck" in service:
        lines += command_lines(service["healthcheck"]["test"])
    return lines


def check_project_command(argv: list[str]) -> None:
    """Fail unless ``argv`` runs something this project really provides."""
    program, *arguments = argv
    if program == "python" and arguments[:1] == ["manage.py"]:
        name, *options = arguments[1:]
        commands = get_commands()
        assert name in commands, f"manage.py has no command {name!r}"
        parser = load_command_class(commands[name], name).create_parser("manage.py", name)
        parser.parse_args(options)  # raises CommandError on an unknown option
    elif program == "python" and arguments[:1] == ["-c"]:
        compile(arguments[1], "<healthcheck>", "exec")
    elif program == "gunicorn":
        check_gunicorn(arguments)
    elif program == "celery":
        check_celery(arguments)
    else:
        pytest.fail(f"unknown program in docker-compose.yml: {argv}")


def check_gunicorn(arguments: list[str]) -> None:
    from gunicorn.config import Config

    try:
        parsed = Config().parser().parse_args(arguments)
    except SystemExit:
        pytest.fail(f"gunicorn refuses these arguments: {arguments}")
    (wsgi_path,) = parsed.args
    module_name, _, attribute = wsgi_path.partition(":")
    module = __import__(module_name, fromlist=[attribute])
    application = getattr(module, attribute)
    assert callable(application), f"{wsgi_path} is not a WSGI callable"
    assert wsgi_path == "clustermissions.wsgi:application"


def check_celery(arguments: list[str]) -> None:
    import click
    from celery import Celery
    from celery.app.utils import find_app
    from celery.bin.base import CLIContext
    from celery.bin.celery import celery as celery_cli

    assert arguments[:2] == ["-A", "clustermissions"], arguments
    app = find_app(arguments[1])
    assert isinstance(app, Celery)
    from clustermissions.celery import app as project_app

    assert app is project_app
    subcommand, *options = arguments[2:]
    assert subcommand in celery_cli.commands, f"celery has no subcommand {subcommand!r}"
    parent = click.Context(celery_cli, info_name="celery")
    parent.obj = CLIContext(app=app, no_color=True, workdir=None, quiet=True)
    try:
        celery_cli.commands[subcommand].make_context(subcommand, list(options), parent=parent)
    except click.UsageError as error:
        pytest.fail(f"celery {subcommand} refuses {options}: {error}")


def test_compose_commands_exist_in_the_project(compose):
    checked = []
    for name, service in compose["services"].items():
        if name in THIRD_PARTY_IMAGES:
            assert service["image"] == THIRD_PARTY_IMAGES[name]
            continue
        assert name in OUR_SERVICES, f"unexpected service {name}"
        for argv in all_command_lines(service):
            check_project_command(argv)
            checked.append((name, argv[0], argv[1] if len(argv) > 1 else ""))
    # Every service of ours was reached, each with its own command and healthcheck.
    assert ("web", "python", "manage.py") in checked
    assert ("web", "gunicorn", "clustermissions.wsgi:application") in checked
    assert ("worker", "celery", "-A") in checked
    assert ("beat", "celery", "-A") in checked
    assert {service for service, _program, _first in checked} == OUR_SERVICES


def test_compose_web_migrates_and_collects_static_before_gunicorn(compose):
    programs = [" ".join(argv[:3]) for argv in command_lines(compose["services"]["web"]["command"])]
    assert programs == [
        "python manage.py migrate",
        "python manage.py collectstatic",
        "gunicorn clustermissions.wsgi:application --bind",
    ]


def test_compose_worker_and_beat_run_the_project_celery_app(compose):
    worker = compose["services"]["worker"]["command"]
    beat = compose["services"]["beat"]["command"]
    assert worker[:4] == ["celery", "-A", "clustermissions", "worker"]
    assert beat[:4] == ["celery", "-A", "clustermissions", "beat"]


def test_compose_every_service_has_a_healthcheck(compose):
    for name, service in compose["services"].items():
        test = service.get("healthcheck", {}).get("test")
        assert test, f"service {name} has no healthcheck"
        assert test[0] in {"CMD", "CMD-SHELL"}, f"{name}: {test}"


def test_compose_named_volumes_are_declared(compose):
    declared = set(compose["volumes"])
    used = set()
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/", "~")):
                used.add(source)
    assert used, "no named volume at all"
    assert used <= declared, f"undeclared volumes: {sorted(used - declared)}"
    assert declared <= used, f"declared but unused volumes: {sorted(declared - used)}"
    assert {"postgres-data", "redis-data", "media", "private"} <= used


def test_compose_app_services_use_production_settings_and_secrets_from_the_environment(
    compose,
):
    for name in OUR_SERVICES:
        service = compose["services"][name]
        environment = service["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == PRODUCTION
        # `${VAR:?message}`: compose refuses to start when the operator did not set it.
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), name
        assert environment["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:?"), name
        assert environment["SITE_URL"].startswith("${SITE_URL:?"), name
        assert environment["DATABASE_URL"].endswith("@postgres:5432/clustermissions")
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert service["depends_on"]["postgres"] == {"condition": "service_healthy"}
        assert service["depends_on"]["redis"] == {"condition": "service_healthy"}
        assert service["build"] == "."


def test_dockerfile_installs_the_project_and_weasyprint_libraries():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.findall(r"^FROM .*", dockerfile, re.MULTILINE) == ["FROM python:3.11-slim"]
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert library in dockerfile
    assert "RUN pip install ." in dockerfile
    # Everything the settings read relative to BASE_DIR is copied into the image.
    for path in ("manage.py", "templates", "static", "locale", "clustermissions"):
        assert re.search(rf"^COPY .*\b{re.escape(path)}\b", dockerfile, re.MULTILINE), path


# --- Production settings, started for real ----------------------------------------------


def production_environment(**overrides: str | None) -> dict[str, str]:
    environment = dict(os.environ)
    # The browser tests' conftest sets this for the test process; a deployment never has it.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    environment.update(
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="missions.example.org",
        SITE_URL="https://missions.example.org",
    )
    for key, value in overrides.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return environment


def run_python(arguments: list[str], environment: dict[str, str]):
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


DJANGO_SETUP = ["-c", "import django; django.setup()"]


def test_production_starts_with_a_real_secret_key_and_allowed_hosts():
    result = run_python(DJANGO_SETUP, production_environment())
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "secret_key",
    [None, "", "development-only-not-secret", "x" * 49],
    ids=["missing", "empty", "development-key", "too-short"],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    result = run_python(DJANGO_SETUP, production_environment(SECRET_KEY=secret_key))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("allowed_hosts", [None, ""], ids=["missing", "empty"])
def test_production_refuses_to_start_without_allowed_hosts(allowed_hosts):
    result = run_python(DJANGO_SETUP, production_environment(ALLOWED_HOSTS=allowed_hosts))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS must name the hosts" in result.stderr


@pytest.mark.parametrize(
    "site_url",
    [None, "", "http://missions.example.org", "https://", "http://127.0.0.1:8000"],
    ids=["missing", "empty", "plain-http", "no-host", "development-default"],
)
def test_production_refuses_to_start_without_an_https_site_url(site_url):
    result = run_python(DJANGO_SETUP, production_environment(SITE_URL=site_url))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SITE_URL must be the portal's public https address" in result.stderr


def test_production_passes_check_deploy_at_warning_level():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_environment()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_seed_demo():
    result = run_python(["manage.py", "seed_demo"], production_environment())
    assert result.returncode == 1
    assert "Demo data is disabled in these settings (production)." in result.stderr
    assert "Demo logins" not in result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_compose_web_command_serves_the_site_under_production_settings(compose, tmp_path):
    """Run the web service's command as compose would (without Docker): migrate,
    collectstatic, gunicorn; then its healthcheck, then real pages through the proxy
    headers. Catches what only production storage shows, such as a template naming a
    static file that does not exist (the manifest storage answers 500)."""
    port = free_port()
    script = compose["services"]["web"]["command"][2]
    assert "0.0.0.0:8000" in script
    script = script.replace("0.0.0.0:8000", f"127.0.0.1:{port}").replace(
        "--workers 3", "--workers 1"
    )
    environment = production_environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        VAR_DIR=str(tmp_path / "var"),
        REDIS_URL=None,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    )
    healthcheck = compose["services"]["web"]["healthcheck"]["test"]
    assert healthcheck[:3] == ["CMD", "python", "-c"]
    healthcheck_code = healthcheck[3].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    log = tmp_path / "web.log"
    with log.open("w") as output:
        web = subprocess.Popen(
            ["sh", "-c", script], cwd=ROOT, env=environment, stdout=output, stderr=output
        )
        try:
            # Wait (in-process, cheaply) for gunicorn to listen, then run the healthcheck.
            deadline = time.monotonic() + 180
            while True:
                assert web.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.5)
            check = run_python(["-c", healthcheck_code], environment)
            assert check.returncode == 0, check.stderr + log.read_text()

            def get(path: str, **headers: str):
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}{path}",
                    headers={"Host": "missions.example.org", **headers},
                )
                opener = urllib.request.build_opener(NoRedirect)
                return opener.open(request, timeout=10)

            pages = {}
            for path in ("/", "/organisations/", "/accounts/login/", "/accounts/signup/"):
                response = get(path, **{"X-Forwarded-Proto": "https"})
                assert response.status == 200, path
                assert response.headers["Strict-Transport-Security"] == (
                    "max-age=31536000; includeSubDomains; preload"
                )
                pages[path] = response.read().decode()
            stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', pages["/"])
            assert stylesheet, "the stylesheet is not served under its hashed name"
            css = get(stylesheet.group(1), **{"X-Forwarded-Proto": "https"})
            assert css.status == 200
            assert css.headers["Content-Type"].startswith("text/css")
            # Plain HTTP is sent to HTTPS.
            with pytest.raises(urllib.error.HTTPError) as redirect:
                get("/")
            assert redirect.value.code == 301
            assert redirect.value.headers["Location"] == "https://missions.example.org/"
        finally:
            web.terminate()
            web.wait(timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --- Content-Security-Policy ----------------------------------------------------------------


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for directive in header.split(";"):
        if directive.strip():
            name, *values = directive.split()
            directives[name] = values
    return directives


def test_csp_setting_forbids_inline_script():
    script_src = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]
    assert script_src == ["'self'"]


@pytest.mark.django_db
def test_csp_header_on_home_page_forbids_inline_script(client):
    response = client.get("/")
    assert response.status_code == 200
    directives = parse_csp(response.headers["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    # The page itself obeys it: every script is a file from static/.
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts == [
        '<script src="/static/js/site.js" defer>',
        '<script src="/static/js/autocomplete.js" defer>',
    ]


def test_templates_contain_no_inline_script_or_event_handler():
    offenders = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                offenders.append(f"{template.relative_to(ROOT)}: {tag}")
        for handler in re.findall(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template.relative_to(ROOT)}: {handler.strip()}")
    assert offenders == []
