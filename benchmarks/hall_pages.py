"""Response times of the hall's busiest pages with a window holding 10,000 open cases, on PostgreSQL,
under concurrent clients, served by a production WSGI server.

Creates a fresh database on the server of YIZHAN_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/postgres), migrates it, and puts `--cases` open cases (accepted,
promised and statutory timers running, deadlines spread over the coming weeks, some green channel)
in one window's queue. The first hundred go through the engine's receive_case; the rest are bulk
copies of the same rows (the engine would take minutes for them and the pages read the same shape).

Then it serves the project with gunicorn (`yizhan serve` when the project has it, otherwise
`gunicorn yizhan.wsgi` with `--workers` processes × `--threads`), and `--clients` concurrent clients
(threads with keep-alive connections) each fetch every page `--rounds` times: the clerk's workbench
(signed in), the hall board, the applicant lookup (when routed), and the login page as the peer: a
small template page measured in the same run, so each page's cost reads as a ratio against it.

Prints per page: requests, errors, median and p95 in milliseconds, and the median ratio to the peer;
the last line is one JSON object of those figures. The database is dropped at the end.

    .venv/bin/python benchmarks/hall_pages.py [--cases 10000] [--clients 50] [--rounds 4]
                                              [--workers 2] [--threads 4] [--port 8765]
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench-pass-123"


def server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def admin(url: str, sql: str) -> None:
    with psycopg.connect(server_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def populate(n_cases: int) -> dict:
    """Runs inside Django (this process): the organisation, a matter, a clerk and the open cases."""
    import random
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    from yizhan.clock.models import Timer
    from yizhan.hall.cases import receive_case
    from yizhan.hall.models import Case, Matter, MatterKind
    from yizhan.org.models import OrgUnit, Role, StaffRole, UnitKind

    center = OrgUnit.objects.create(code="C", name="行政服务中心", kind=UnitKind.CENTER)
    dept = OrgUnit.objects.create(code="D1", name="市场监督管理局", kind=UnitKind.DEPARTMENT, parent=center)
    window = OrgUnit.objects.create(code="W11", name="市场监管一号窗口", kind=UnitKind.WINDOW, parent=dept)
    matter = Matter.objects.create(code="LIC", name="食品经营许可", department=dept, kind=MatterKind.PROMISED,
                                   statutory_days=20, promised_days=10, green_channel=True, green_channel_days=3)
    clerk = get_user_model().objects.create_user("clerk", password=PASSWORD)
    StaffRole.objects.create(user=clerk, role=Role.CLERK, unit=window)
    now = timezone.now()
    engine_cases = min(100, n_cases)
    for i in range(engine_cases):
        receive_case(matter=matter, window=window, applicant_name=f"申请人{i}", applicant_phone=f"1380000{i:04d}",
                     accept=True, actor=clerk, green_project="重点项目" if i % 50 == 0 else "")
    template = Case.objects.select_related("promised_timer", "statutory_timer").first()
    rng = random.Random(7)
    timers, cases = [], []
    for _ in range(engine_cases, n_cases):
        received = now - timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
        for purpose, days in (("promised", 10), ("statutory", 20)):
            source = template.promised_timer if purpose == "promised" else template.statutory_timer
            timers.append(Timer(subject_type=source.subject_type, subject_id="", purpose=purpose, limit_amount=days,
                                limit_unit=source.limit_unit, started_at=received,
                                deadline=received + timedelta(days=days * 7 // 5), responsible_user=clerk,
                                responsible_unit=window, accountable=purpose == "statutory"))
    Timer.objects.bulk_create(timers, batch_size=2000)
    for i, k in zip(range(engine_cases, n_cases), range(0, len(timers), 2), strict=True):
        promised, statutory = timers[k], timers[k + 1]
        cases.append(Case(case_no=f"KP-BENCH-{i:06d}", applicant_name=f"申请人{i}", applicant_phone=f"139{i:08d}",
                          matter=matter, window=window, department=dept, handler=clerk, state="accepted",
                          green_channel=i % 400 == 0, received_at=promised.started_at,
                          accepted_at=promised.started_at, promised_timer=promised, statutory_timer=statutory))
    Case.objects.bulk_create(cases, batch_size=2000)
    sample = Case.objects.order_by("id").first()
    return {"case_no": sample.case_no, "phone4": sample.applicant_phone[-4:], "cases": Case.objects.count()}


def serve_command(port: int, workers: int, threads: int) -> list[str]:
    yizhan = ROOT / ".venv" / "bin" / "yizhan"
    probe = subprocess.run([str(yizhan), "help", "serve"], capture_output=True, text=True, cwd=ROOT)
    if probe.returncode == 0:
        return [str(yizhan), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                "--threads", str(threads), "--no-worker"]
    gunicorn = shutil.which("gunicorn", path=str(ROOT / ".venv" / "bin"))
    if gunicorn is None:
        sys.exit("gunicorn is not installed: pip install -e '.[bench]'")
    return [gunicorn, "yizhan.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--threads", str(threads),
            "--log-level", "warning"]


class Client:
    def __init__(self, port: int, cookie: str = "") -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = cookie

    def get(self, path: str, signed_in: bool = False) -> tuple[int, float]:
        """GET `path`, with the clerk's session only for the pages that need one (the login page
        redirects a signed-in user)."""
        start = time.perf_counter()
        self.conn.request("GET", path, headers={"Cookie": self.cookie} if self.cookie and signed_in else {})
        response = self.conn.getresponse()
        response.read()
        return response.status, (time.perf_counter() - start) * 1000


def login_cookie(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    response.read()
    csrf = next(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") if c.startswith("csrftoken="))
    token = csrf.split("=", 1)[1]
    body = urlencode({"username": "clerk", "password": PASSWORD, "csrfmiddlewaretoken": token})
    conn.request("POST", "/login/", body=body, headers={
        "Cookie": csrf, "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}/login/"})
    response = conn.getresponse()
    response.read()
    session = next(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("sessionid="))
    return f"{csrf}; {session}"


def wait_up(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            Client(port).get("/login/")
            return
        except OSError:
            time.sleep(0.3)
    sys.exit("the server did not start")


def load(port: int, pages: dict[str, tuple[str, bool]], clients: int, rounds: int, cookie: str) -> dict:
    times: dict[str, list[float]] = {name: [] for name in pages}
    errors: dict[str, int] = dict.fromkeys(pages, 0)
    lock = threading.Lock()

    def run() -> None:
        client = Client(port, cookie)
        for _ in range(rounds):
            for name, (path, signed_in) in pages.items():
                try:
                    status, ms = client.get(path, signed_in)
                except (OSError, http.client.HTTPException):
                    client = Client(port, cookie)
                    status, ms = 0, 0.0
                with lock:
                    if status == 200:
                        times[name].append(ms)
                    else:
                        errors[name] += 1

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"times": times, "errors": errors}


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values[0] if values else float("nan"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    base = os.environ.get("YIZHAN_DATABASE_URL", DEFAULT_URL)
    database = f"yizhan_bench_pages_{os.getpid()}"
    url = server_url(base, database)
    admin(base, f'CREATE DATABASE "{database}"')
    data_dir = tempfile.mkdtemp(prefix="yizhan-bench-")
    # The lookup's per-address allowance (60 a minute) would answer most of one machine's clients with
    # 429: the benchmark measures the page, so the allowance is raised for its server alone.
    env = {**os.environ, "YIZHAN_DATABASE_URL": url, "YIZHAN_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "yizhan.settings",
           "PYTHONPATH": str(ROOT), "YIZHAN_PUBLIC_LOOKUP_RATE": "1000000/m"}
    os.environ.update(env)
    server = None
    try:
        import django

        django.setup()
        t0 = time.perf_counter()
        sample = populate(args.cases)
        print(f"populated {sample['cases']} open cases in {time.perf_counter() - t0:.1f} s", flush=True)
        from django.db import connections

        connections.close_all()
        server = subprocess.Popen(serve_command(args.port, args.workers, args.threads), cwd=ROOT, env=env,
                                  start_new_session=True, stdout=subprocess.DEVNULL)
        wait_up(args.port)
        cookie = login_cookie(args.port)
        pages = {
            "login": ("/login/", False),
            "workbench": ("/workbench/", True),
            "board": ("/board/", False),
        }
        lookup = f"/lookup/?{urlencode({'case_no': sample['case_no'], 'last4': sample['phone4']})}"
        if Client(args.port).get(lookup)[0] == 200:
            pages["lookup"] = (lookup, False)
        # One warm-up pass (templates, calendar cache), then the measured run.
        load(args.port, pages, 2, 1, cookie)
        result = load(args.port, pages, args.clients, args.rounds, cookie)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        admin(base, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)

    figures: dict = {"cases": sample["cases"], "clients": args.clients, "rounds": args.rounds}
    peer = statistics.median(result["times"]["login"])
    for name, values in result["times"].items():
        med = statistics.median(values) if values else float("nan")
        figures[name] = {"requests": len(values), "errors": result["errors"][name], "median_ms": round(med, 1),
                         "p95_ms": round(p95(values), 1), "median_vs_login": round(med / peer, 2)}
        print(f"{name:10s} n={len(values):4d} errors={result['errors'][name]:3d} median={med:8.1f} ms "
              f"p95={p95(values):8.1f} ms  ×login {med / peer:6.2f}")
    if "lookup" not in result["times"]:
        figures["lookup"] = None
        print("lookup     not routed in this build")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
