"""Every screen of every demo role under concurrent clients, next to the login page as the peer.

Runs against the demo city already built in the database of YIZHAN_DATABASE_URL (`yizhan demo
--no-serve`; PostgreSQL for the issue's figures), served by `yizhan serve` with its default workers
(`--workers`/`--threads` to change), without its background worker. For every demo account it
opens a session (in this process, as the test client's force_login does: no password needed) and
collects the screens its navigation offers, plus the public ones (landing page, board, kiosk, case
lookup), the supervisor view over the whole of March–October 2010 and every table of it exported
(CSV and XLSX). The login page, fetched anonymously in the same run, is the peer.

Then `--clients` clients (threads with keep-alive connections) each fetch every (role, screen) pair
`--rounds` times in a shuffled order. Queries per request are counted once per screen in this process
(Django's test client on the same database). The demo's simulator (`yizhan simulate`) runs in the
background when this build has it; otherwise the run says it had no background load.

Prints per screen: role, requests, errors, median and p95 in milliseconds, queries per request and
the median's ratio to the peer; for the exports the time to the first byte and to the last; the last
line is one JSON object of those figures.

    YIZHAN_DATABASE_URL=postgres://…/db YIZHAN_DATA_DIR=… \\
    .venv/bin/python benchmarks/screens.py [--clients 50] [--rounds 3] [--port 8766]
"""

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PEER = ("anonymous", "/login/")
SEASON = {"first": "2010-03-01", "last": "2010-10-31"}
SUPERVISOR_TABLES = ("warnings", "refusals", "accountability", "ranking", "figures", "departments", "daily")


def in_process_requests() -> None:
    """This process's own requests (finding redirects, counting queries) need no collected static files
    (the server has its own): the plain storage names them."""
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", "127.0.0.1"]
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def sessions_and_screens() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """A session cookie per demo account, and the (account, path) pairs to fetch."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from yizhan.demo.accounts import all_demo_accounts
    from yizhan.ui.nav import items_for

    cookies: dict[str, str] = {}
    screens: list[tuple[str, str]] = []
    users = get_user_model().objects
    for username, _role, _unit, _label in all_demo_accounts():
        user = users.filter(username=username).first()
        if user is None:
            continue
        client = Client(raise_request_exception=False)
        client.force_login(user)
        cookies[username] = f"sessionid={client.cookies['sessionid'].value}"
        for item in items_for(user):
            if item["public"]:
                continue
            # A screen that sends its person on (a fund's own page) is measured where it sends them.
            response = client.get(item["url"])
            target = response.url if response.status_code in (301, 302) and response.url.startswith("/") else None
            screens.append((username, target or item["url"]))
    public = ["/", reverse("hall:board"), reverse("hall:queue-ticket"), reverse("hall:lookup")]
    screens += [("anonymous", path) for path in public]
    if "supervisor" in cookies:
        season = f"{reverse('hall:supervisor')}?{urlencode(SEASON)}"
        screens.append(("supervisor", season))
    return cookies, screens


def query_counts(cookies: dict[str, str], screens: list[tuple[str, str]]) -> dict[tuple[str, str], int | str]:
    """Queries per request of each screen, counted in this process on the same database."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients: dict[str, Client] = {"anonymous": Client(raise_request_exception=False)}
    counts = {}
    for who, path in [PEER, *screens]:
        if who not in clients:
            clients[who] = Client(raise_request_exception=False)
            clients[who].force_login(get_user_model().objects.get(username=who))
        clients[who].get(path)  # the first request of a session warms what later ones reuse
        with CaptureQueriesContext(connection) as queries:
            response = clients[who].get(path)
            if response.streaming:
                b"".join(response.streaming_content)
        counts[(who, path)] = len(queries) if response.status_code == 200 else f"{response.status_code}"
    return counts


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str, cookie: str) -> tuple[int, float, float]:
        """Status, milliseconds to the first byte of the body and to the last."""
        start = time.perf_counter()
        self.conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "zh-hans"} if cookie else
                          {"Accept-Language": "zh-hans"})
        response = self.conn.getresponse()
        response.read(1)
        first = time.perf_counter()
        response.read()
        last = time.perf_counter()
        return response.status, (first - start) * 1000, (last - start) * 1000


def wait_up(port: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            Client(port).get("/login/", "")
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("the server did not start")


def load(port: int, cookies: dict[str, str], pairs: list[tuple[str, str]], clients: int, rounds: int,
         seconds: float) -> tuple[dict, dict]:
    times: dict[tuple[str, str], list[float]] = {p: [] for p in pairs}
    errors: dict[tuple[str, str], int] = dict.fromkeys(pairs, 0)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def run(seed: int) -> None:
        client = Client(port)
        order = [p for _ in range(rounds) for p in pairs]
        random.Random(seed).shuffle(order)
        for who, path in order:
            if time.monotonic() > stop_at:
                return
            try:
                status, _first, ms = client.get(path, cookies.get(who, ""))
            except (OSError, http.client.HTTPException):
                client = Client(port)
                status, ms = 0, 0.0
            with lock:
                if status == 200:
                    times[(who, path)].append(ms)
                else:
                    errors[(who, path)] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values[0] if values else float("nan"))


def simulator_available() -> bool:
    probe = subprocess.run([str(ROOT / ".venv" / "bin" / "yizhan"), "help", "simulate"], capture_output=True,
                           cwd=ROOT)
    return probe.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="times each client fetches every screen")
    parser.add_argument("--seconds", type=float, default=600, help="stop the load after this long")
    parser.add_argument("--workers", type=int, default=None, help="default: yizhan serve's")
    parser.add_argument("--threads", type=int, default=None, help="default: yizhan serve's")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    if not os.environ.get("YIZHAN_DATABASE_URL"):
        sys.exit("YIZHAN_DATABASE_URL must name the database of a built demo city")
    # The case lookup's per-address allowance would answer one machine's clients with 429: the
    # benchmark measures the screen, so the allowance is raised for its server alone.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yizhan.settings", "PYTHONPATH": str(ROOT),
           "YIZHAN_PUBLIC_LOOKUP_RATE": "1000000/m"}
    os.environ.update(env)
    import django

    django.setup()
    in_process_requests()
    cookies, screens = sessions_and_screens()
    counts = query_counts(cookies, screens)
    from django.db import connections

    connections.close_all()
    serve = [str(ROOT / ".venv" / "bin" / "yizhan"), "serve", "--host", "127.0.0.1", "--port", str(args.port),
             "--no-worker"]
    if args.workers:
        serve += ["--workers", str(args.workers)]
    if args.threads:
        serve += ["--threads", str(args.threads)]
    server = subprocess.Popen(serve, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    simulator = None
    background = "none: this build has no `yizhan simulate`"
    try:
        wait_up(args.port)
        if simulator_available():
            simulator = subprocess.Popen([str(ROOT / ".venv" / "bin" / "yizhan"), "simulate"], cwd=ROOT, env=env,
                                         start_new_session=True, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
            background = "yizhan simulate"
        pairs = [PEER, *screens]
        load(args.port, cookies, pairs, 2, 1, args.seconds)  # warm-up: templates, caches, connections
        started = time.perf_counter()
        times, errors = load(args.port, cookies, pairs, args.clients, args.rounds, args.seconds)
        elapsed = time.perf_counter() - started
        exports = {}
        if "supervisor" in cookies:
            for table in SUPERVISOR_TABLES:
                for fmt in ("csv", "xlsx"):
                    path = f"/supervisor/?{urlencode({**SEASON, 'export': fmt, 'table': table})}"
                    status, first, last = Client(args.port).get(path, cookies["supervisor"])
                    exports[f"{table}.{fmt}"] = {"status": status, "first_byte_ms": round(first, 1),
                                                 "total_ms": round(last, 1)}
    finally:
        for process in (simulator, server):
            if process is not None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=60)

    peer = statistics.median(times[PEER]) if times[PEER] else float("nan")
    rows = []
    for who, path in pairs:
        values = times[(who, path)]
        med = statistics.median(values) if values else float("nan")
        rows.append({"role": who, "screen": path, "requests": len(values), "errors": errors[(who, path)],
                     "median_ms": round(med, 1), "p95_ms": round(p95(values), 1),
                     "queries": counts.get((who, path)), "ratio_to_login": round(med / peer, 2)})
    print(f"\nscreens under {args.clients} clients × {args.rounds} rounds ({elapsed:.0f} s); background load: "
          f"{background}; peer: GET /login/ median {peer:.1f} ms")
    print(f"{'role':<14} {'screen':<58} {'n':>5} {'err':>4} {'median':>8} {'p95':>8} {'queries':>7} {'×login':>7}")
    for r in rows:
        print(f"{r['role']:<14} {r['screen'][:58]:<58} {r['requests']:>5} {r['errors']:>4} {r['median_ms']:>8.1f} "
              f"{r['p95_ms']:>8.1f} {r['queries'] if r['queries'] is not None else '—':>7} {r['ratio_to_login']:>7.2f}")
    for name, e in exports.items():
        print(f"export {name:<22} status {e['status']} first byte {e['first_byte_ms']:8.1f} ms, "
              f"whole {e['total_ms']:8.1f} ms")
    print(json.dumps({"clients": args.clients, "rounds": args.rounds, "background": background,
                      "peer_median_ms": round(peer, 1), "screens": rows, "exports": exports}, ensure_ascii=False))


if __name__ == "__main__":
    main()
