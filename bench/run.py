"""`make bench`: serve the site as in production and measure it with wrk.

For each database (a fresh SQLite file, then a fresh PostgreSQL database when one
answers): migrate, load the starter pages, start gunicorn with gunicorn.conf.py and
--workers 3 on 127.0.0.1, warm up, then run wrk for BENCH_SECONDS (15) at 16
connections against the home page, a deep article, a hashed CSS file and a baseline
view, and run the feedback journey. Then the same article side by side, with the same
wrk settings, taking turns in BENCH_SIDE_ROUNDS (3) rounds: from a file by nginx (the
machine's floor), through Varnish with deploy/varnish.vcl in front of that gunicorn, and
straight from gunicorn. Prints one table per database.
"""

import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
PORT = int(os.environ.get("BENCH_PORT", "18010"))
BASE = f"http://127.0.0.1:{PORT}"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


VARNISH_PORT = free_port()
NGINX_PORT = free_port()
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
WARMUP_SECONDS = int(os.environ.get("BENCH_WARMUP_SECONDS", "3"))
# The side-by-side targets take turns, in this many rounds of SECONDS / SIDE_ROUNDS each,
# so a drift of the machine's speed (two shared cores) falls on all of them alike.
SIDE_ROUNDS = int(os.environ.get("BENCH_SIDE_ROUNDS", "3"))
CONNECTIONS = 16
WORKERS = 3
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/ks_bench")
# Each database in the setup it is meant for: SQLite on one machine with each worker's
# own memory as the cache; PostgreSQL with the Redis cache that app servers share.
SQLITE_CACHE_URL = os.environ.get("BENCH_SQLITE_CACHE_URL", "locmemcache://bench")
POSTGRES_CACHE_URL = os.environ.get("BENCH_POSTGRES_CACHE_URL", "redis://127.0.0.1:6379/3")
HOME = "/"
ARTICLE = "/learn/opposition/psychiatrists/"
BASELINE = "/__bench__/baseline/"


def django_env(database_url, **extra):
    """The production environment, pointed at the bench settings, database and cache."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_URL=database_url,
        CACHE_URL=SQLITE_CACHE_URL if database_url.startswith("sqlite") else POSTGRES_CACHE_URL,
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def manage(database_url, *args):
    subprocess.run(
        [str(VENV / "python"), "manage.py", *args],
        cwd=ROOT,
        env=django_env(database_url),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def fresh_postgres(url):
    """Drop and recreate the bench database; None if PostgreSQL does not answer."""
    import environ
    import psycopg2

    cfg = environ.Env.db_url_config(url)
    try:
        conn = psycopg2.connect(
            dbname="postgres",
            user=cfg["USER"] or None,
            password=cfg["PASSWORD"] or None,
            host=cfg["HOST"] or None,
            port=cfg["PORT"] or None,
            connect_timeout=5,
        )
    except psycopg2.OperationalError as exc:
        print(f"PostgreSQL at {url} does not answer ({exc}); skipping it.", file=sys.stderr)
        return None
    conn.autocommit = True
    with conn.cursor() as cursor:
        name = cfg["NAME"]
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return url


def probe(database_url, *args):
    """In-process measurements (bench/probe.py)."""
    result = subprocess.run(
        [str(VENV / "python"), "-m", "bench.probe", *args],
        cwd=ROOT,
        env=django_env(database_url),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


@contextmanager
def gunicorn(database_url, log_path, **extra_env):
    """gunicorn with the production config and 3 workers, until the block ends."""
    env = django_env(database_url, BIND=f"127.0.0.1:{PORT}", **extra_env)
    with open(log_path, "ab") as log:
        server = subprocess.Popen(
            [str(VENV / "gunicorn"), "-c", "gunicorn.conf.py", "--workers", str(WORKERS)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(server)
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def wait_until_healthy(server, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with status {server.returncode}; see its log.")
        try:
            with urllib.request.urlopen(f"{BASE}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer /healthz within 30 s.")


def static_css_url():
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(output):
    """requests/s, p50 and p99 in ms, request and error counts from wrk --latency."""

    def latency(percent):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M).groups()
        return float(value) * UNITS[unit]

    errors = sum(
        int(n)
        for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)
        + re.findall(r"Non-2xx or 3xx responses: (\d+)", output)
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": errors,
    }


def wrk(
    path,
    seconds,
    *,
    threads=2,
    connections=CONNECTIONS,
    script=None,
    env=None,
    cookie=None,
    base=BASE,
):
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        "Accept-Encoding: gzip",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", str(script)]
    result = subprocess.run(
        [*command, base + path],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    return result.stdout


def measure(path, cookie=None, base=BASE):
    wrk(path, WARMUP_SECONDS, cookie=cookie, base=base)
    return parse_wrk(wrk(path, SECONDS, cookie=cookie, base=base))


def wait_for_port(port, process, name, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{name} exited with status {process.returncode}; see its log.")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{name} did not answer on port {port}.")


@contextmanager
def nginx_serving(path, content, workdir):
    """nginx serving ``content`` from a file at ``path``: the fastest the machine serves it."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        sys.exit("nginx is not installed: `apt-get install nginx` (Debian).")
    root = workdir / "nginx"
    # nginx's workers run as another user (nobody) when the bench runs as root: they
    # must reach the file, or every answer is a 403 page a tenth of the article's size.
    workdir.chmod(0o711)
    (root / path.strip("/")).mkdir(parents=True, exist_ok=True)
    (root / path.strip("/") / "index.html").write_bytes(content)
    (workdir / "nginx.conf").write_text(
        f"pid {workdir}/nginx.pid;\nerror_log {workdir}/nginx-error.log;\ndaemon off;\n"
        "worker_processes auto;\nevents { worker_connections 1024; }\n"
        f"http {{ access_log off; include /etc/nginx/mime.types; "
        f"client_body_temp_path {workdir}/body; proxy_temp_path {workdir}/proxy; "
        f"server {{ listen 127.0.0.1:{NGINX_PORT}; root {root}; index index.html; }} }}\n"
    )
    process = subprocess.Popen(
        [binary, "-p", str(workdir), "-c", str(workdir / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(NGINX_PORT, process, "nginx")
        yield
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=20)


def varnish_parameters():
    """The -p parameters production runs varnishd with (the systemd drop-in)."""
    unit = (ROOT / "deploy" / "varnish.service.d" / "ketamine_site.conf").read_text()
    return [arg for value in re.findall(r"-p (\w+=\S+)", unit) for arg in ("-p", value)]


@contextmanager
def varnish_in_front(workdir):
    """varnishd with deploy/varnish.vcl, both its backends pointed at the bench's gunicorn."""
    binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not Path(binary).exists():
        sys.exit("Varnish is not installed: `apt-get install varnish` (Debian).")
    vcl = (ROOT / "deploy" / "varnish.vcl").read_text()
    vcl = vcl.replace('"8001"', f'"{PORT}"').replace('"8002"', f'"{PORT}"')
    (workdir / "bench.vcl").write_text(vcl)
    command = [binary, "-F", "-j", "none", "-n", str(workdir / "varnish"), "-T", "127.0.0.1:0"]
    command += ["-a", f"127.0.0.1:{VARNISH_PORT}", "-f", str(workdir / "bench.vcl")]
    command += ["-s", "malloc,64m", *varnish_parameters()]
    with open(workdir / "varnish.log", "ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(VARNISH_PORT, process, "varnishd")
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


def fetch(base, path):
    """The status and body of a plain GET (no compression asked for)."""
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def side_by_side(workdir):
    """The article through Varnish, from nginx's copy of those bytes in a file, and straight
    from gunicorn; each target checked before and counted during its run (any error voids
    it)."""
    varnish = f"http://127.0.0.1:{VARNISH_PORT}"
    targets = [("nginx, from a file", f"http://127.0.0.1:{NGINX_PORT}"), ("Varnish", varnish)]
    with varnish_in_front(workdir):
        status, content = fetch(varnish, ARTICLE)
        with nginx_serving(ARTICLE, content, workdir):
            for name, base in targets:
                status, body = fetch(base, ARTICLE)
                if (status, body) != (200, content):
                    sys.exit(f"{name} answered the article with {status} and {len(body)} "
                             f"bytes, not the {len(content)} Varnish has: the comparison would "
                             "be void.")  # fmt: skip
            # gunicorn's own links name the port it is asked on, so its bytes differ by that.
            targets.append(("gunicorn", BASE))
            return take_turns(targets)


def take_turns(targets):
    """Each target's median round (requests/s, p50 and p99 each the median) of SIDE_ROUNDS
    rounds in which the targets take turns, the order reversed every other round."""
    for _, base in targets:
        wrk(ARTICLE, WARMUP_SECONDS, base=base)
    seconds = max(1, SECONDS // SIDE_ROUNDS)
    runs = {name: [] for name, _ in targets}
    for turn in range(SIDE_ROUNDS):
        print(f"   article, round {turn + 1} of {SIDE_ROUNDS}: {seconds} s each", flush=True)
        for name, base in targets if turn % 2 == 0 else targets[::-1]:
            row = parse_wrk(wrk(ARTICLE, seconds, base=base))
            if row["errors"]:
                sys.exit(f"{name}: {row['errors']} errors or non-2xx answers under load.")
            runs[name].append(row)
    return {
        name: {
            **{key: statistics.median(row[key] for row in rounds) for key in ("rps", "p50", "p99")},
            "rounds": [row["rps"] for row in rounds],
        }
        for name, rounds in runs.items()
    }


def bench_database(label, database_url, workdir):
    print(f"\n== {label}: preparing {database_url}", flush=True)
    manage(database_url, "migrate", "--noinput")
    # A fresh database behind an old cache would be served the old run's pages.
    probe(database_url, "clear-cache")
    manage(database_url, "load_starter_content")
    sizes = probe(database_url, "pages", HOME, ARTICLE)
    extra = {"BENCH_BASELINE_BYTES": str(sizes[ARTICLE]["bytes"])}
    rows = {}
    with gunicorn(database_url, workdir / f"gunicorn-{label}.log", **extra):
        for name, path in [
            ("home page", HOME),
            ("article page", ARTICLE),
            ("static CSS (hashed)", static_css_url()),
            ("baseline view", BASELINE),
        ]:
            print(f"   {name}: {path}", flush=True)
            rows[name] = measure(path)
        side = side_by_side(workdir)
        journey, slow_smtp, alone = queue_journeys(database_url, workdir / f"worker-{label}.log")
    cache_url = django_env(database_url)["CACHE_URL"]
    return {
        "rows": rows,
        "side": side,
        "sizes": sizes,
        "journey": journey,
        "slow_smtp": slow_smtp,
        "worker_stopped": alone,
        "cache": cache_url,
    }


def feedback_journey(database_url):
    """GET the article, POST valid feedback, repeat, from 16 visitors at once; then
    count what was stored against what the server accepted."""
    run = f"{os.getpid()}-{time.time_ns()}"
    script = ROOT / "bench" / "feedback.lua"
    options = {"threads": CONNECTIONS, "connections": CONNECTIONS, "script": script}
    wrk(ARTICLE, WARMUP_SECONDS, env={"BENCH_RUN": f"warmup-{run}"}, **options)
    output = wrk(ARTICLE, SECONDS, env={"BENCH_RUN": run}, **options)
    row = parse_wrk(output)
    sent, accepted, refused, failed_gets = map(
        int,
        re.search(
            r"FEEDBACK sent=(\d+) accepted=(\d+) refused=(\d+) failed_gets=(\d+)", output
        ).groups(),
    )
    counts = probe(database_url, "feedback", run)
    row.update(
        pairs=accepted / SECONDS,
        sent=sent,
        accepted=accepted,
        refused=refused,
        failed_gets=failed_gets,
        **counts,
        # Posts still in flight when wrk stopped may be stored without being counted
        # as accepted; an accepted post that is not stored would be a loss.
        lost=max(0, accepted - counts["stored"]),
    )
    return row


# The slow SMTP stub waits this long before greeting each connection.
SLOW_SMTP_SECONDS = float(os.environ.get("BENCH_SLOW_SMTP_SECONDS", "3"))


@contextmanager
def db_worker(database_url, log_path, **extra_env):
    """`manage.py db_worker`, sending the journey's notification mail, until the block ends."""
    env = django_env(database_url, **extra_env)
    with open(log_path, "ab") as log:
        worker = subprocess.Popen(
            [str(VENV / "python"), "manage.py", "db_worker", "--interval", "0.5"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield worker
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()  # a job still waiting on the slow mail server
            worker.wait()


def queue_journeys(database_url, log_path):
    """The feedback journey with a worker sending the queued mail: first to a mailer that
    drops it, then to an SMTP server that waits SLOW_SMTP_SECONDS before each greeting
    (a post's time must not include any of that)."""
    print("   feedback journey: GET + POST, worker running", flush=True)
    with db_worker(database_url, log_path):
        journey = feedback_journey(database_url)
    print(f"   feedback journey: mail server answering after {SLOW_SMTP_SECONDS:g} s", flush=True)
    from bench.slow_smtp import SlowSmtpServer

    smtp = SlowSmtpServer(SLOW_SMTP_SECONDS)
    smtp_env = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": str(int(SLOW_SMTP_SECONDS * 4)),
    }
    with db_worker(database_url, log_path, **smtp_env):
        slow = feedback_journey(database_url)
    smtp.stop()
    slow.update(smtp_connections=smtp.connections, smtp_messages=smtp.messages)
    # Last, as its jobs are left waiting: what the visitors' requests cost on their own,
    # with no worker taking a share of the cores (before the queue, no bench post mailed).
    print("   feedback journey: worker stopped, jobs wait", flush=True)
    alone = feedback_journey(database_url)
    return journey, slow, alone


def print_queue(result):
    """The journey with the worker sending, with a slow mail server, and stopped: one table."""
    rows = {
        "mail dropped": result["journey"],
        "slow SMTP": result["slow_smtp"],
        "worker stopped": result["worker_stopped"],
    }
    print(
        f"| {'journey':<24} | {'pairs/s':>7} | {'p50 ms':>7} | {'p99 ms':>7} "
        f"| {'accepted':>8} | {'stored':>6} | {'twice':>5} | {'lost':>4} | {'spam':>4} "
        f"| {'mailed':>6} |"
    )
    print(f"|{'-' * 26}|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 9}:|{'-' * 7}:|{'-' * 6}:|"
          f"{'-' * 5}:|{'-' * 5}:|{'-' * 7}:|")  # fmt: skip
    for name, row in rows.items():
        print(
            f"| {name:<24} | {row['pairs']:>7.0f} | {row['p50']:>7.2f} | {row['p99']:>7.2f} "
            f"| {row['accepted']:>8} | {row['stored']:>6} | {row['repeated']:>5} "
            f"| {row['lost']:>4} | {row['spam']:>4} | {row['notified']:>6} |"
        )
    slow = result["slow_smtp"]
    print(
        f"slow SMTP: the stub waited {SLOW_SMTP_SECONDS:g} s before each greeting and took "
        f"{slow['smtp_messages']} messages over {slow['smtp_connections']} connections; "
        "the rest wait in the queue"
    )


def print_table(label, result):
    rows, sizes = result["rows"], result["sizes"]
    print(
        f"\n{label} (cache {result['cache']}): wrk -t2 -c{CONNECTIONS} -d{SECONDS}s "
        f"after a {WARMUP_SECONDS} s warm-up"
    )
    print(
        f"| {'target':<28} | {'requests/s':>10} | {'p50 ms':>7} | {'p99 ms':>7} | {'errors':>6} |"
    )
    print(f"|{'-' * 30}|{'-' * 11}:|{'-' * 8}:|{'-' * 8}:|{'-' * 7}:|")
    for name, row in rows.items():
        print(
            f"| {name:<28} | {row['rps']:>10.0f} | {row['p50']:>7.2f} | {row['p99']:>7.2f} "
            f"| {row['errors']:>6} |"
        )
    ratio = rows["article page"]["rps"] / rows["baseline view"]["rps"]
    journey = result["journey"]
    print(
        f"| {'feedback GET+POST (requests)':<28} | {journey['rps']:>10.0f} | {journey['p50']:>7.2f} "
        f"| {journey['p99']:>7.2f} | {journey['errors']:>6} |"
    )
    print(f"article / baseline rate: {ratio:.0%}")
    side = result["side"]
    floor = side["nginx, from a file"]["rps"]
    print(f"\nThe article side by side ({len(side)} targets, the same wrk settings):")
    print(
        f"| {'article':<28} | {'requests/s':>10} | {'p50 ms':>7} | {'p99 ms':>7} | {'of nginx':>8} |"
    )
    print(f"|{'-' * 30}|{'-' * 11}:|{'-' * 8}:|{'-' * 8}:|{'-' * 9}:|")
    for name, row in side.items():
        print(
            f"| {name:<28} | {row['rps']:>10.0f} | {row['p50']:>7.2f} | {row['p99']:>7.2f} "
            f"| {row['rps'] / floor:>8.0%} |"
        )
    print(
        f"Varnish / nginx: {side['Varnish']['rps'] / floor:.0%} (target at least 70%, p99 at "
        f"most 5 ms: {side['Varnish']['p99']:.2f} ms); gunicorn / nginx: "
        f"{side['gunicorn']['rps'] / floor:.0%}; Varnish / gunicorn: "
        f"{side['Varnish']['rps'] / side['gunicorn']['rps']:.1f}x"
    )
    turns = zip(side["Varnish"]["rounds"], side["nginx, from a file"]["rounds"], strict=True)
    print(
        f"(medians of {SIDE_ROUNDS} rounds taking turns; Varnish / nginx by round: "
        + ", ".join(f"{varnish / nginx:.0%}" for varnish, nginx in turns)
        + ")"
    )
    print(
        f"feedback journey: {journey['pairs']:.0f} GET+POST pairs/s; {journey['accepted']} posts "
        f"accepted (302), {journey['refused']} refused, {journey['failed_gets']} unusable GETs; "
        f"stored {journey['stored']} ({journey['distinct']} distinct markers, "
        f"{journey['repeated']} stored twice); lost: {journey['lost']}"
    )
    print(
        "SQL queries per anonymous page view: "
        + ", ".join(f"{url} {m['queries']} ({m['bytes']} bytes)" for url, m in sizes.items())
    )


def describe_machine():
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else cpu
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, gunicorn --workers {WORKERS}"
    )


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: `apt-get install wrk` (Debian) or your system's package.")
    if not (shutil.which("varnishd") or Path("/usr/sbin/varnishd").exists()):
        sys.exit("Varnish is not installed: `apt-get install varnish` (Debian).")
    load_before = os.getloadavg()[0]
    manage("sqlite://:memory:", "collectstatic", "--noinput", "--verbosity", "0")
    results = {}
    with tempfile.TemporaryDirectory(prefix="ks-bench-") as tmp:
        workdir = Path(tmp)
        sqlite_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        results["SQLite"] = bench_database("SQLite", sqlite_url, workdir)
        postgres_url = fresh_postgres(POSTGRES_URL)
        if postgres_url:
            results["PostgreSQL"] = bench_database("PostgreSQL", postgres_url, workdir)
    print(f"\nMeasured {describe_machine()}")
    # Anything else running on the machine takes cores from both sides of the test.
    print(f"1-minute load average before the run: {load_before:.2f}")
    for label, result in results.items():
        print_table(label, result)
        print_queue(result)


if __name__ == "__main__":
    main()
