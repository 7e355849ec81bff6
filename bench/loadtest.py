"""`make loadtest`: gunicorn with production settings on PostgreSQL, 100,000 events, a bounded wrk run.

Loopback only. The mix of requests is what visitors and calendar clients send:
the calendar with and without filters, month pages, event pages, iCal feeds
and the JSON API. Writes bench/results/loadtest.md and refreshes BENCHMARKS.md.
"""

import datetime
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import redis

from bench.run import RESULTS, ROOT, machine_description, write_benchmarks_md

DATABASE_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/netzwerktimer_load")
REDIS_URL = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/9")
EVENTS = int(os.environ.get("LOADTEST_EVENTS", "100000"))
CONNECTIONS = int(os.environ.get("LOADTEST_CONNECTIONS", "32"))
DURATION = min(int(os.environ.get("LOADTEST_SECONDS", "30")), 60)
PY = str(ROOT / ".venv" / "bin" / "python")

LUA = """
local paths = {}
for line in io.lines(os.getenv("LOADTEST_PATHS")) do paths[#paths + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["Host"] = "127.0.0.1"})
end
done = function(summary, latency, requests)
  local out = io.open(os.getenv("LOADTEST_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, '
    .. '"status_errors": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout))
  out:close()
end
"""


def env():
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SITE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }


def manage(*args, capture=False):
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env(), check=True, capture_output=capture, text=True)


def prepare_database():
    name = DATABASE_URL.rsplit("/", 1)[1]
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    manage("migrate", "--no-input", "-v0")
    count = int(
        manage("shell", "-c", "from events.models import Event; print(Event.objects.count())", capture=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    if count < EVENTS:
        manage("generate_events", str(EVENTS - count))
    manage("shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')")


def sample_paths():
    """Distinct URLs of the mix, the most visited kinds first (home, month, directory, then the long tail)."""
    script = (
        "import json; from events.models import Event; from networks.models import Network, Topic;"
        "ids = list(Event.objects.published().order_by('?').values_list('pk', flat=True)[:300]);"
        "print(json.dumps({'ids': ids, 'networks': list(Network.objects.values_list('slug', flat=True)),"
        "'topics': list(Topic.objects.values_list('slug', flat=True))}))"
    )
    data = json.loads(manage("shell", "-c", script, capture=True).stdout.strip().splitlines()[-1])
    rng = random.Random(7)
    today = datetime.date.today()
    head = ["/", f"/month/{today.year}/{today.month:02d}/", "/networks/", "/calendar.ics", "/api/events/"]
    tail = []
    for _ in range(400):
        network, topic = rng.choice(data["networks"]), rng.choice(data["topics"])
        month = today + datetime.timedelta(days=31 * rng.randrange(0, 4))
        event_id = rng.choice(data["ids"])
        tail += [
            f"/?network={network}",
            f"/?topic={topic}&format=online",
            f"/?network={network}&topic={topic}&region=jena",
            f"/month/{month.year}/{month.month:02d}/?topic={topic}",
            f"/events/{event_id}/",
            f"/events/{event_id}.ics",
            f"/calendar.ics?network={network}&topic={topic}",
            f"/api/events/?topic={topic}",
        ]
    rng.shuffle(tail)
    return list(dict.fromkeys(head + tail))


def weighted_paths(paths, *, zipf):
    """20,000 request paths: with zipf, URL number r is requested with weight 1/r (popular pages
    are visited far more often than the long tail, as on a real site); otherwise uniformly."""
    rng = random.Random(11)
    weights = [1 / rank for rank in range(1, len(paths) + 1)] if zipf else None
    return rng.choices(paths, weights=weights, k=20000)


def gunicorn_workers():
    from netzwerktimer import gunicorn_conf

    return gunicorn_conf.workers


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run():
    prepare_database()
    # Every run starts cold: an empty cache (pages, feed stamps and bodies) and no feed files.
    redis.Redis.from_url(REDIS_URL).flushdb()
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="nwt-load-var-")
    static_root = tempfile.mkdtemp(prefix="nwt-static-")
    os.environ["STATIC_ROOT"] = static_root
    manage("collectstatic", "--no-input", "-v0")
    port = free_port()
    # The production configuration (netzwerktimer/gunicorn_conf.py), bound to loopback;
    # the access log is written as in production, to a file instead of the terminal.
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "netzwerktimer.wsgi:application",
            "--config",
            "python:netzwerktimer.gunicorn_conf",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={
            **env(),
            "STATIC_ROOT": static_root,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_ACCESS_LOG": str(Path(static_root) / "access.log"),
        },
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        workdir = Path(tempfile.mkdtemp(prefix="nwt-load-"))
        (workdir / "mix.lua").write_text(LUA)
        for path in ("/", "/calendar.ics", "/api/events/"):
            status = httpx.get(base + path, timeout=30).status_code
            if status != 200:
                raise SystemExit(f"{path} answered {status}: the load test needs every page to work")
        paths = sample_paths()
        results = {}
        for scenario, zipf in (("realistic", True), ("uniform", False)):
            (workdir / "paths.txt").write_text("\n".join(weighted_paths(paths, zipf=zipf)) + "\n")
            wrk_env = {
                **os.environ,
                "LOADTEST_PATHS": str(workdir / "paths.txt"),
                "LOADTEST_OUT": str(workdir / "r.json"),
            }
            # Warm up connections and the most visited pages, then the measured run.
            subprocess.run(
                ["wrk", "-t2", "-c8", "-d5s", "-s", str(workdir / "mix.lua"), base],
                env=wrk_env,
                check=True,
                capture_output=True,
            )
            subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{CONNECTIONS}",
                    f"-d{DURATION}s",
                    "--timeout",
                    "10s",
                    "-s",
                    str(workdir / "mix.lua"),
                    base,
                ],
                env=wrk_env,
                check=True,
            )
            results[scenario] = json.loads((workdir / "r.json").read_text())
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    rows, failed = [], False
    for scenario, result in results.items():
        errors = sum(result[k] for k in ("status_errors", "connect", "read", "write", "timeout"))
        rps = result["requests"] / (result["duration_us"] / 1e6)
        p99 = result["p99_us"] / 1000
        met = errors == 0 and p99 < 200
        failed |= errors > 0
        rows.append(
            f"| {scenario} | {rps:.0f} | {result['p50_us'] / 1000:.1f} ms | {result['p90_us'] / 1000:.1f} ms | "
            f"{p99:.1f} ms | {result['max_us'] / 1000:.1f} ms | {errors} | {'met' if met else 'missed'} |"
        )
    section = (
        "## Load test (`make loadtest`)\n\n"
        f"Measured {datetime.date.today():%Y-%m-%d} on {machine_description()}.\n"
        f"gunicorn with the production configuration ({gunicorn_workers()} sync workers, two per core, "
        "netzwerktimer/gunicorn_conf.py) and production settings (PostgreSQL, Redis cache, public pages and feed "
        "stamps shared from the cache for 30 s, each missing page rendered once while concurrent requests for it "
        f"wait), {EVENTS:,} events, wrk (on the same 2 cores) with {CONNECTIONS} "
        f"connections for {DURATION} s per scenario on loopback; sync workers answer one request per connection, "
        "as behind a reverse proxy, so wrk reconnects for each. The mix: "
        f"{len(paths):,} distinct URLs — calendar "
        "with and without filters, month pages, event pages, single-event and filtered iCal feeds, JSON API, "
        "network directory. *realistic*: URL number r is requested with weight 1/r (Zipf), so home, month and "
        "directory pages are frequent and the filter combinations, events and feeds form a long tail; *uniform*: "
        "every URL equally often, the worst case for the page cache.\n\n"
        "| scenario | requests/s | p50 | p90 | p99 | max | errors | goal: 0 errors, p99 < 200 ms |\n"
        "|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "loadtest.md").write_text(section)
    write_benchmarks_md()
    print(section)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run())
