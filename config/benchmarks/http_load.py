"""``make bench-http``: load the production layouts with wrk and report what they serve.

Starts each layout of ``config.serve`` (``split``: gunicorn for HTTP + daphne for /ws/
behind nginx; ``asgi``: daphne for everything behind nginx) on PostgreSQL and Redis with
production settings (throttles raised for the run), seeds realistic data once (about 1,000
users, 200 projects, 20 conversations for the benchmark user), then runs wrk against each
endpoint on each layout, interleaved (A, B, A, B ...) for ``--rounds`` rounds, and prints a
Markdown table: requests per second, p50 and p99 latency, and CPU time per request of the
web processes (nginx not included), medians over the rounds.

Needs DATABASE_URL (a PostgreSQL database it may fill; created when missing) and REDIS_URL.
It asserts nothing: numbers go to BENCHMARKS.md by hand, with the load the machine had.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from config import serve

BASE_DIR = serve.BASE_DIR
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
BENCH_USERNAME = "bench"


def bench_environment(base_port: int) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "config.benchmarks.settings",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "JWT_ACCESS_MINUTES": "240",
        "HOST": "127.0.0.1",
        "PORT": str(base_port),
    }
    for rate in ("THROTTLE_ANON", "THROTTLE_USER"):
        env[rate] = "100000000/min"  # the run measures serving, not the throttle refusing
    return env


def database_ensure(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


SEED = """
from config.benchmarks.seed import seed_and_token
print("TOKEN=" + seed_and_token())
"""


def seed(env: dict[str, str]) -> str:
    """Migrate, collect static files, seed (idempotent); return a bearer token."""
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    for step in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([*manage, *step], check=True, env=env, cwd=BASE_DIR)
    out = subprocess.run(
        [*manage, "shell", "-c", SEED], check=True, env=env, cwd=BASE_DIR, capture_output=True, text=True
    ).stdout
    return re.search(r"TOKEN=(\S+)", out).group(1)  # type: ignore[union-attr]


def descendants(pids: list[int]) -> set[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found = set(pids)
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in found and pid not in found:
                found.add(pid)
                grew = True
    return found


def cpu_seconds(pids: set[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / CLOCK_TICKS


WRK_REQUESTS = re.compile(r"(\d+) requests in")
WRK_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def wrk_latency(text: str, percentile: str) -> float:
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk(url: str, *, seconds: int, connections: int, headers: dict[str, str]) -> tuple[int, int, str]:
    command = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    requests = int(WRK_REQUESTS.search(out).group(1))  # type: ignore[union-attr]
    errors = int(m.group(1)) if (m := WRK_NON_2XX.search(out)) else 0
    return requests, errors, out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layouts", default="split,asgi")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8480)
    options = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (make bench-http installs it: apt-get install wrk)")
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            raise SystemExit(
                f"{name} must point at the PostgreSQL database / Redis to load (see BENCHMARKS.md)"
            )

    env = {**os.environ, **bench_environment(options.port)}
    database_ensure(env["DATABASE_URL"])
    token = seed(env)
    slug = "bench-public-project"
    auth = {"Authorization": f"Bearer {token}"}
    endpoints = {
        "users/me": ("/api/v1/users/me", auth),
        "conversations (20)": ("/api/v1/conversations/", auth),
        "projects (20)": ("/api/v1/projects/", auth),
        "skills/?q=py": ("/api/v1/skills/?q=py", {}),
        "public project page": (f"/projects/{slug}/", {}),
        "floor: one-query view": ("/bench/floor/", {}),
    }

    layouts = options.layouts.split(",")
    running: dict[str, dict] = {}
    results: dict[tuple[str, str], list[tuple[float, float, float, float]]] = {}
    try:
        for index, layout in enumerate(layouts):
            port = options.port + index
            os.environ.update({**bench_environment(port), "SECRET_KEY": env["SECRET_KEY"]})
            processes = serve.start(layout=layout, celery=False, prepare=False)
            web = [p.pid for name, p in processes.items() if name != "nginx"]
            running[layout] = {"port": port, "processes": processes, "web": web}
        print(f"load average before: {os.getloadavg()}", flush=True)
        for round_number in range(1, options.rounds + 1):
            for endpoint, (path, headers) in endpoints.items():
                for layout in layouts:
                    info = running[layout]
                    url = f"http://127.0.0.1:{info['port']}{path}"
                    wrk(url, seconds=1, connections=4, headers=headers)  # warm up
                    pids = descendants(info["web"])
                    before = cpu_seconds(pids)
                    requests, errors, out = wrk(
                        url, seconds=options.seconds, connections=options.connections, headers=headers
                    )
                    cpu = cpu_seconds(pids) - before
                    row = (
                        requests / options.seconds,
                        wrk_latency(out, "50"),
                        wrk_latency(out, "99"),
                        1000 * cpu / max(requests, 1),
                    )
                    results.setdefault((endpoint, layout), []).append(row)
                    flag = f"  ({errors} non-2xx/3xx!)" if errors else ""
                    print(
                        f"round {round_number} {layout:5} {endpoint:24} {row[0]:8.0f} req/s  "
                        f"p50 {row[1]:6.1f} ms  p99 {row[2]:7.1f} ms  {row[3]:5.2f} ms CPU/req{flag}",
                        flush=True,
                    )
        print(f"load average after: {os.getloadavg()}", flush=True)
    finally:
        for info in running.values():
            serve.stop(info["processes"])

    print("\n| endpoint | layout | req/s | p50 ms | p99 ms | CPU ms/req |\n|---|---|---|---|---|---|")
    for endpoint in endpoints:
        for layout in layouts:
            rows = results.get((endpoint, layout), [])
            if rows:
                med = [statistics.median(column) for column in zip(*rows, strict=True)]
                print(
                    f"| {endpoint} | {layout} | {med[0]:.0f} | {med[1]:.1f} | {med[2]:.1f} | {med[3]:.2f} |"
                )
    for layout in layouts:
        me = [row[0] for row in results.get(("users/me", layout), [])]
        floor = [row[0] for row in results.get(("floor: one-query view", layout), [])]
        if me and floor:
            ratio = statistics.median(me) / statistics.median(floor)
            print(f"\n{layout}: users/me / floor = {ratio:.2f}")


if __name__ == "__main__":
    main()
