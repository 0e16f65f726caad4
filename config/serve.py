"""The production process layout on one machine (``make serve``): what a deployment runs.

    nginx on HOST:PORT (the load balancer's path rule)
      /ws/ and requests with ``Accept: text/event-stream`` -> daphne (ASGI): WebSockets, SSE
      everything else                                       -> gunicorn (WSGI, gthread workers)
    celery worker, celery beat

Why two servers: under ASGI every sync view and sync middleware runs in one thread per
process behind thread hops, which cost ~6x the framework's floor per HTTP request
(BENCHMARKS.md "HTTP serving"); gunicorn's WSGI workers call Django directly. Sockets and
server-sent events need an event loop, so they stay on daphne. gthread rather than sync
workers: a chat answer requested as plain JSON waits for the model, and should hold one
thread, not a whole process.

Settings come from the environment (``DJANGO_SETTINGS_MODULE`` defaults to production,
which needs ``SECRET_KEY``, ``DATABASE_URL``, ``REDIS_URL``...). Sizes:

    WEB_CONCURRENCY  gunicorn worker processes (default 2)
    WEB_THREADS      threads per worker (default 4)
    ASGI_PROCESSES   daphne processes (default 1)

``--layout asgi`` serves everything through daphne (the layout before), for comparison;
``--no-celery`` leaves the worker and beat out (the HTTP benchmark). Ctrl-C stops all.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

NGINX_CONF = """\
worker_processes 1;
error_log stderr warn;
pid {run}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size 12m;
    upstream wsgi {{ {wsgi} keepalive 64; }}
    upstream asgi {{ {asgi} keepalive 64; }}
    # Server-sent events (chat answers streamed over HTTP) need the event loop.
    map $http_accept $http_upstream {{ ~*text/event-stream asgi; default {http}; }}
    # Keep a scheme set by a TLS-terminating balancer in front; else the scheme seen here.
    map $http_x_forwarded_proto $forwarded_proto {{ "" $scheme; default $http_x_forwarded_proto; }}
    proxy_http_version 1.1;
    server {{
        listen {host}:{port} backlog=4096;
        # (proxy_set_header in a location drops every inherited one: each location lists all.)
        location /ws/ {{
            proxy_pass http://asgi;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $forwarded_proto;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 1h;
        }}
        location / {{
            proxy_pass http://$http_upstream;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $forwarded_proto;
            proxy_set_header Connection "";
        }}
    }}
}}
"""


def nginx_conf(*, run: Path, host: str, port: int, layout: str, asgi_sockets: list[Path]) -> str:
    asgi = " ".join(f"server unix:{path};" for path in asgi_sockets)
    wsgi = f"server unix:{run / 'wsgi.sock'};" if layout == "split" else asgi
    return NGINX_CONF.format(
        run=run, host=host, port=port, wsgi=wsgi, asgi=asgi, http="wsgi" if layout == "split" else "asgi"
    )


def commands(*, run: Path, layout: str, celery: bool, env: dict[str, str]) -> dict[str, list[str]]:
    """Every long-running process of the layout, by name."""
    workers = env.get("WEB_CONCURRENCY", "2")
    asgi_count = int(env.get("ASGI_PROCESSES", "1" if layout == "split" else workers))
    asgi_sockets = [run / f"asgi-{index}.sock" for index in range(asgi_count)]
    procs: dict[str, list[str]] = {}
    if layout == "split":
        procs["wsgi"] = [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            f"--bind=unix:{run / 'wsgi.sock'}",
            f"--workers={workers}",
            "--worker-class=gthread",
            f"--threads={env.get('WEB_THREADS', '4')}",
            "--keep-alive=75",
            "--graceful-timeout=20",
            "--timeout=120",  # a chat answer requested as JSON waits for the model
            f"--worker-tmp-dir={run}",
        ]
    for index, path in enumerate(asgi_sockets):
        procs[f"asgi-{index}"] = [
            str(BIN / "daphne"),
            "-u",
            str(path),
            "--proxy-headers",
            "config.asgi:application",
        ]
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    conf = run / "nginx.conf"
    conf.write_text(
        nginx_conf(run=run, host=env["HOST"], port=int(env["PORT"]), layout=layout, asgi_sockets=asgi_sockets)
    )
    procs["nginx"] = [nginx, "-e", "stderr", "-p", str(run), "-c", str(conf), "-g", "daemon off;"]
    if celery:
        celery_app = [str(BIN / "celery"), "-A", "config"]
        procs["worker"] = [*celery_app, "worker", "--loglevel=INFO", "--without-mingle", "--without-gossip"]
        procs["beat"] = [*celery_app, "beat", "--loglevel=INFO", f"--schedule={run / 'celerybeat-schedule'}"]
    return procs


def wait_until_serving(url: str, processes: dict[str, subprocess.Popen], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise SystemExit(f"{name} exited with {process.returncode} while starting")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback URL
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 25
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def start(
    *, layout: str, celery: bool, prepare: bool, run_dir: Path | None = None
) -> dict[str, subprocess.Popen]:
    """Start the layout; returns the processes once ``/health/live`` answers through nginx."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    env.setdefault("HOST", "127.0.0.1")
    env.setdefault("PORT", "8000")
    env.setdefault("NUM_PROXIES", "1")  # nginx; add one per balancer in front of it
    run = run_dir or BASE_DIR / "var" / f"serve-{env['PORT']}"
    run.mkdir(parents=True, exist_ok=True)
    if prepare:
        manage = [sys.executable, str(BASE_DIR / "manage.py")]
        for step in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([*manage, *step], check=True, env=env, cwd=BASE_DIR)  # noqa: S603 - fixed commands
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name, command in commands(run=run, layout=layout, celery=celery, env=env).items():
            processes[name] = subprocess.Popen(command, env=env, cwd=BASE_DIR)  # noqa: S603 - fixed commands
        wait_until_serving(f"http://{env['HOST']}:{env['PORT']}/health/live", processes)
    except BaseException:
        stop(processes)
        raise
    return processes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layout", choices=["split", "asgi"], default="split")
    parser.add_argument("--no-celery", dest="celery", action="store_false")
    parser.add_argument(
        "--no-prepare", dest="prepare", action="store_false", help="skip migrate and collectstatic"
    )
    options = parser.parse_args(argv)
    processes = start(layout=options.layout, celery=options.celery, prepare=options.prepare)
    port = os.environ.get("PORT", "8000")
    print(
        f"DevCrew ({options.layout} layout) on http://{os.environ.get('HOST', '127.0.0.1')}:{port}/",
        flush=True,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.5)
        gone = [name for name, process in processes.items() if process.poll() is not None]
        print(f"{', '.join(gone)} stopped; stopping the rest", file=sys.stderr)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        stop(processes)


if __name__ == "__main__":
    main()
