"""Project-wide pytest fixtures (loaded with ``-p config.pytest_plugin``).

* ``asgi_live_server``: the real ASGI app (``config.asgi``, HTTP + WebSocket, static
  files through whitenoise) served by daphne in a spawned process on a free port, sharing
  the test database (``live_server_running`` starts one with settings of its own). Use it
  with ``transactional_db`` so rows the test writes are committed and visible to the server.
* ``browser`` / ``page``: headless Debian Chromium driven by Playwright's sync API.
* ``redis_server``: a redis-server of the test's own on a free port, which the test may
  stop and start again (fault tests); skipped where redis-server is not installed.
"""

import contextlib
import importlib
import multiprocessing
import os
import shutil
import subprocess
import time
import traceback
from typing import Any

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Throttle counters, lockouts and rate limits live in the cache: start every test clean,
    and with the cache reachable again (a Redis hiccup in an earlier test makes the fail-open
    cache skip Redis for a few seconds, which would turn a later rate-limit test into a pass-through)."""
    from config.cache import _paused_until

    _paused_until.clear()
    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _release_test_database(django_db_setup, django_db_blocker):
    """Before pytest-django drops the PostgreSQL test database, end the sessions that
    executor threads of async tests (``database_sync_to_async``) left connected, so the
    drop cannot fail with "database is being accessed by other users"."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.close()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Data migrations (the skill taxonomy, the built-in agents) fill tables that a
    transactional test flushes when it ends; database tests restore them when missing,
    through each app's ``reference_data.ensure()``."""
    marker = request.node.get_closest_marker("django_db")
    wanted = {"db", "transactional_db"} & set(request.fixturenames)
    if marker is None and not wanted:
        return
    transactional = "transactional_db" in wanted or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from agents import reference_data as agents_reference_data
    from profiles import reference_data as profiles_reference_data

    profiles_reference_data.ensure()  # the skill taxonomy
    agents_reference_data.ensure()  # the built-in agents


class LiveServer:
    def __init__(self, host: str, port: int, process=None):
        self.host = host
        self.port = port
        self.process = process  # the spawned daphne's multiprocessing.Process (fault tests kill it)
        self.url = f"http://{host}:{port}"
        self.ws_url = f"ws://{host}:{port}"

    def __str__(self) -> str:
        return self.url


@pytest.fixture(scope="session")
def _live_mail_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("live-mail")
    os.environ["DEVCREW_LIVE_MAIL_DIR"] = str(path)
    return path


class LiveMailbox:
    """Mail the live server sent, read from its file backend's folder."""

    def __init__(self, path):
        self.path = path

    def clear(self) -> None:
        for file in self.path.iterdir():
            file.unlink()

    def messages(self) -> list[str]:
        return [file.read_text() for file in sorted(self.path.iterdir(), key=lambda f: f.stat().st_mtime)]

    def last_code(self) -> str:
        import re

        for message in reversed(self.messages()):
            match = re.search(r"\b(\d{6})\b", message.split("\n\n", 1)[-1])
            if match:
                return match.group(1)
        raise AssertionError("no code in any mail sent by the live server")


@pytest.fixture
def live_mailbox(_live_mail_dir):
    mailbox = LiveMailbox(_live_mail_dir)
    mailbox.clear()
    return mailbox


def _settings_in_force() -> dict[str, Any]:
    """The settings that ``override_settings`` (and pytest-django's ``settings`` fixture)
    changed and that are still in force, innermost last."""
    from django.conf import UserSettingsHolder, settings

    layers = []
    wrapped = settings._wrapped  # type: ignore[misc]  # LazySettings' wrapped object
    while isinstance(wrapped, UserSettingsHolder):
        layers.append({name: value for name, value in vars(wrapped).items() if name.isupper()})
        wrapped = wrapped.default_settings
    in_force: dict[str, Any] = {}
    for layer in reversed(layers):
        in_force.update(layer)
    return in_force


def _serve(
    host: str,
    port,
    ready,
    errors,
    database_names: dict[str, str],
    overrides: dict[str, Any],
    hook: str | None = None,
) -> None:
    """The spawned server process: a fresh interpreter (no state inherited from the test
    process), the test settings, the test database(s), then daphne on ``config.asgi``.
    ``hook`` ("module:function") runs just before the server starts serving."""
    # The browser fixture allows sync ORM calls in the test process; the server must not.
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    try:
        import django
        from django.conf import settings

        django.setup()
        for alias, name in database_names.items():
            settings.DATABASES[alias]["NAME"] = name
        from django.test.utils import override_settings

        override_settings(**overrides).enable()

        from daphne.endpoints import build_endpoint_description_strings
        from daphne.server import Server  # installs Twisted's asyncio reactor
        from twisted.internet import reactor as twisted_reactor

        reactor: Any = twisted_reactor  # zope interfaces: mypy cannot type its methods

        from config.asgi import application

        if hook is not None:
            module_name, function_name = hook.split(":")
            getattr(importlib.import_module(module_name), function_name)()

        server = Server(
            application=application,
            endpoints=build_endpoint_description_strings(host=host, port=0),
            signal_handlers=False,
        )

        def report_port() -> None:
            if server.listening_addresses:
                port.value = server.listening_addresses[0][1]
                ready.set()
            else:
                reactor.callLater(0.05, report_port)

        reactor.callLater(0.05, report_port)
        server.run()
    except BaseException:
        errors.put(traceback.format_exc())
        raise


@contextlib.contextmanager
def live_server_running(django_db_blocker, *, in_server=None, **settings_overrides):
    """Serve ``config.asgi`` with daphne in a spawned process on a free port, on the test
    database, with the settings in force now (``override_settings``, the ``settings``
    fixture) plus ``settings_overrides`` (for the server only). Yields a LiveServer (its
    ``process`` can be killed to test a crash) and stops the process on exit.

    ``in_server``, if given, is a module-level function called in the server process
    before it serves (for example to start a Celery worker thread beside it, sharing its
    in-memory broker); the server imports it by name once Django is set up.

    Spawned, not forked: a fork copies the test process's asgiref executors, event-loop
    bound Redis clients and pooled connections without their threads, and the server
    then hangs once async tests have run. A spawned interpreter starts clean, so browser,
    socket and async tests share one pytest run (and xdist workers)."""
    from django.db import connections

    overrides = {**_settings_in_force(), **settings_overrides}
    mail_dir = os.environ.get("DEVCREW_LIVE_MAIL_DIR")
    if mail_dir and "EMAIL_BACKEND" not in settings_overrides:
        # Mail the server sends lands in files the test can read (live_mailbox).
        overrides.update(
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=mail_dir
        )
    database_names = {alias: connections[alias].settings_dict["NAME"] for alias in connections}
    hook = f"{in_server.__module__}:{in_server.__qualname__}" if in_server is not None else None
    context = multiprocessing.get_context("spawn")
    port = context.Value("i", 0)
    ready = context.Event()
    errors = context.Queue()
    process = context.Process(
        target=_serve,
        args=("127.0.0.1", port, ready, errors, database_names, overrides, hook),
        name="asgi-live-server",
        daemon=True,
    )
    with django_db_blocker.unblock():
        process.start()
        deadline = time.monotonic() + 60
        while not ready.wait(timeout=0.1):
            if not process.is_alive() or time.monotonic() > deadline:
                process.kill()
                detail = errors.get(timeout=1) if not errors.empty() else "(no traceback)"
                raise RuntimeError(f"the ASGI test server did not start:\n{detail}")
    try:
        yield LiveServer("127.0.0.1", port.value, process)
    finally:
        process.terminate()
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)


@pytest.fixture(scope="session")
def asgi_live_server(django_db_setup, django_db_blocker, _live_mail_dir):
    with live_server_running(django_db_blocker) as server:
        yield server


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls a browser
    # test makes between page actions are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


# -- accessibility: axe-core on every page a journey visits -------------------------------
AXE_FAILING_IMPACTS = ("serious", "critical")
# Pages this project does not write (Django's admin, Swagger UI, the browsable API).
AXE_SKIPPED_PATHS = ("/admin/", "/api/")
# One axe run at a time: axe refuses a second run while one is going ("Axe is already
# running"), and the on-load check can overlap a journey's own axe_violations() call.
AXE_RUNNER = """
let axeQueue = Promise.resolve();
window.__devcrewAxe = () => {
  const run = axeQueue.then(axeOnce, axeOnce);
  axeQueue = run.catch(() => null);
  return run;
};
const axeOnce = async () => {
  const path = location.pathname;
  const skipped = %(skipped)s.some((p) => path.startsWith(p));
  if (window.top !== window || !document.body || !window.axe || skipped) return null;
  const result = await axe.run(document, { resultTypes: ["violations"] });
  const violations = result.violations
    .filter((v) => %(impacts)s.includes(v.impact))
    .map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) {
    violations.push({ id: "one-h1", impact: "serious", help: `one h1 per page (found ${h1})`, nodes: [] });
  }
  return { url: location.href, violations };
};
"""
AXE_ON_LOAD = """
if (window.top === window) window.addEventListener("load", () => setTimeout(async () => {
  try {
    const report = await window.__devcrewAxe();
    if (report && window.__devcrewAxeReport) window.__devcrewAxeReport(report);
  } catch (error) { /* the page went away meanwhile */ }
}, 300));
"""


def _axe_init_script() -> str:
    """axe-core (shipped by axe-playwright-python, no network) and a runner that checks
    every page once loaded and reports back. Init scripts come over CDP, so the page's own
    Content-Security-Policy (no eval, nonced scripts) does not apply to them."""
    import json
    from importlib.resources import files

    source = files("axe_playwright_python").joinpath("axe.min.js").read_text()
    runner = AXE_RUNNER % {
        "impacts": json.dumps(list(AXE_FAILING_IMPACTS)),
        "skipped": json.dumps(list(AXE_SKIPPED_PATHS)),
    }
    return f"{source}\n{runner}{AXE_ON_LOAD}"


def axe_violations(page) -> list[dict]:
    """Serious and critical axe-core violations (and a missing or second h1) on ``page``
    as it is now; a journey may call it at a state of interest (a dialog open...)."""
    report = page.evaluate("window.__devcrewAxe ? window.__devcrewAxe() : null")
    return report["violations"] if report else []


def _axe_failures(reports: list[dict]) -> str:
    seen, lines = set(), []
    for report in reports:
        for violation in report["violations"]:
            key = (report["url"].split("?")[0], violation["id"])
            if key in seen:
                continue
            seen.add(key)
            lines.append(
                f"{report['url']}: {violation['id']} ({violation['impact']}): {violation['help']} "
                f"{violation['nodes']}"
            )
    return "\n".join(lines)


@pytest.fixture
def page(browser, request):
    """A fresh browser page at desktop size. Every page it loads is checked with axe-core
    (and for exactly one h1); the test fails on any serious or critical violation.
    ``@pytest.mark.no_axe`` opts out (fault tests whose server is killed)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    checking = request.node.get_closest_marker("no_axe") is None
    reports: list[dict] = []
    if checking:
        page.expose_function("__devcrewAxeReport", lambda report: reports.append(report))
        page.add_init_script(script=_axe_init_script())
    yield page
    if checking:
        with contextlib.suppress(Exception):  # the page or its server may be gone
            final = page.evaluate("window.__devcrewAxe ? window.__devcrewAxe() : null")
            if final:
                reports.append(final)
    context.close()
    failures = _axe_failures(reports)
    if failures:
        pytest.fail(f"axe-core found accessibility violations:\n{failures}", pytrace=False)


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: Playwright's sync API keeps an event loop running in the
    main thread for the rest of the session, which async (consumer) tests cannot share."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        uses_browser = {"page", "browser"} & (set(getattr(item, "fixturenames", ())) - set(params))
        if uses_browser:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


class RedisServer:
    """A throwaway redis-server on a free loopback port (no persistence)."""

    def __init__(self, executable: str):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.executable = executable
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        import time

        import redis

        command = [self.executable, "--bind", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(  # noqa: S603  (redis-server from PATH, fixed arguments)
            [*command, "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
            finally:
                client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server():
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    server = RedisServer(executable)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def log_in_page(page, base_url: str, user) -> None:
    """Sign a Playwright page in as ``user`` on the live server at ``base_url`` (a real
    session cookie, without going through the login form)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
