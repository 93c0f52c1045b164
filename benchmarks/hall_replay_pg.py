"""The seed workload on PostgreSQL from 1 and from 8 concurrent clients, next to pgbench in the same run.

For each client count C (1, then `--clients`, default 8): creates a fresh database on the server of
YIZHAN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), migrates it, builds the
seed city, splits the seed's March–October 2010 (or `--scale F` of it) by window into C shares of
about equal work and records each share from a process of its own through the hall engine, every
service call committing on its own (its change, its timers and its audit event, as at a live
counter). Then, in the same database, pgbench's TPC-B-like script with C clients (`pgbench -c C -j C`).
Checks after each run that the engine's figures equal the plan, and that the cases and audit events
in the database are those of the single-client run: no lost update; a deadlock fails the run.

Prints service calls per second at 1 and C clients, pgbench's TPS at 1 and C clients and their
ratios; the last line is one JSON object of the figures.

    .venv/bin/python benchmarks/hall_replay_pg.py [--scale 0.1] [--clients 8] [--pgbench-seconds 20]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
ROOT = Path(__file__).resolve().parents[1]
SETUP_ACTIONS = ("org.unit.imported", "hall.matter.imported", "org.staff.created")


def server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def libpq_args(url: str) -> list[str]:
    parts = urlsplit(url)
    return ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]


def admin(url: str, sql: str) -> None:
    with psycopg.connect(server_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def pgbench_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    if urlsplit(url).password:
        env["PGPASSWORD"] = urlsplit(url).password
    return env


def run_pgbench(url: str, database: str, scale: int, seconds: int, clients: int) -> float:
    env = pgbench_env(url)
    subprocess.run(["pgbench", "-i", "-q", "-s", str(scale), *libpq_args(url), database], check=True, env=env,
                   capture_output=True, text=True)
    done = subprocess.run(["pgbench", "-T", str(seconds), "-c", str(clients), "-j", str(clients),
                           *libpq_args(url), database], check=True, env=env, capture_output=True, text=True)
    match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", done.stdout) or re.search(
        r"tps = ([0-9.]+)", done.stdout)
    if match is None:
        raise RuntimeError(f"pgbench printed no TPS:\n{done.stdout}\n{done.stderr}")
    return float(match.group(1))


# ---- the worker processes (this script run with --worker MODE) -------------------------------------

def worker(mode: str, scale: float, seed: int | None, windows: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yizhan.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from yizhan.demo import seed_replay

    kwargs = {} if seed is None else {"seed": seed}
    if mode == "build":
        call_command("migrate", interactive=False, verbosity=0)
        seed_replay.build_center(at=seed_replay.at_local(seed_replay.FIRST_DAY, seed_replay.time(8, 0)))
        plan = seed_replay.make_plan(scale, **kwargs)
        weights: dict[str, int] = {}
        for case in plan.cases:
            weights[case.window] = weights.get(case.window, 0) + len(case.steps)
        for c in (*plan.consultations, *plan.complaints):
            weights[c.window] = weights.get(c.window, 0) + 1
        print(json.dumps(weights))
    elif mode == "record":
        plan = seed_replay.make_plan(scale, **kwargs)
        print("ready", flush=True)
        sys.stdin.readline()  # wait for the start signal: every client starts together
        events = seed_replay.record_windows(plan, set(windows))
        print(json.dumps({"events": events}), flush=True)
    elif mode == "check":
        plan = seed_replay.make_plan(scale, **kwargs)
        figures = seed_replay.hall_figures(seed_replay.FIRST_DAY, seed_replay.LAST_DAY)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_auditevent WHERE NOT (action = ANY(%s))", [list(SETUP_ACTIONS)])
            audit = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM hall_case")
            cases = cursor.fetchone()[0]
        calls = plan.step_count() + len(plan.consultations) + 2 * len(plan.complaints)
        print(json.dumps({"mismatches": {k: list(v) for k, v in seed_replay.figures_match(figures, plan).items()},
                          "audit": audit, "cases": cases, "planned_cases": len(plan.cases), "calls": calls}))


def split(weights: dict[str, int], parts: int) -> list[list[str]]:
    """Windows in `parts` groups of about equal work (largest first, each to the lightest group)."""
    groups: list[list[str]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for window, weight in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0])):
        i = loads.index(min(loads))
        groups[i].append(window)
        loads[i] += weight
    return [g for g in groups if g]


def me(url: str, mode: str, options: argparse.Namespace, windows: list[str] = (), **popen) -> subprocess.Popen:
    env = {**os.environ, "YIZHAN_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yizhan.settings"}
    args = [sys.executable, __file__, "--worker", mode, "--scale", str(options.scale),
            "--windows", ",".join(windows)]
    if options.seed is not None:
        args += ["--seed", str(options.seed)]
    return subprocess.Popen(args, env=env, cwd=ROOT, text=True, **popen)


def output(process: subprocess.Popen, what: str) -> str:
    out, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"{what} failed ({'deadlock' if 'deadlock detected' in err else 'error'}):\n{err[-4000:]}")
    return out


def run_clients(base: str, clients: int, options: argparse.Namespace) -> dict:
    database = f"yizhan_bench_{os.getpid()}_{clients}"
    admin(base, f'CREATE DATABASE "{database}"')
    url = server_url(base, database)
    try:
        weights = json.loads(output(me(url, "build", options, stdout=subprocess.PIPE, stderr=subprocess.PIPE),
                                    "building the city").strip().splitlines()[-1])
        groups = split(weights, clients)
        workers = [me(url, "record", options, group, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                      stderr=subprocess.PIPE) for group in groups]
        for w in workers:
            if w.stdout.readline().strip() != "ready":
                raise RuntimeError(output(w, "a client"))
        started = time.perf_counter()
        for w in workers:
            w.stdin.write("go\n")
            w.stdin.flush()
        for i, w in enumerate(workers):
            output(w, f"client {i + 1} of {len(workers)}")
        seconds = time.perf_counter() - started
        check = json.loads(output(me(url, "check", options, stdout=subprocess.PIPE, stderr=subprocess.PIPE),
                                  "the check").strip().splitlines()[-1])
        tps = run_pgbench(base, database, options.pgbench_scale, options.pgbench_seconds, clients)
        return {"clients": len(workers), "seconds": seconds, "calls_per_s": check["calls"] / seconds,
                "pgbench_tps": tps, **check}
    finally:
        admin(base, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.1, help="share of the seed workload (default 0.1)")
    parser.add_argument("--seed", type=int, default=None, help="the replay generator's seed")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients of the second run (default 8)")
    parser.add_argument("--pgbench-scale", type=int, default=10, help="pgbench -i -s (default 10)")
    parser.add_argument("--pgbench-seconds", type=int, default=20, help="pgbench -T (default 20)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--windows", default="", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.worker:
        worker(options.worker, options.scale, options.seed, [w for w in options.windows.split(",") if w])
        return 0
    if not 1 <= options.clients <= 32:
        parser.error("--clients must be 1–32")

    base = os.environ.get("YIZHAN_DATABASE_URL") or DEFAULT_URL
    if not base.startswith(("postgres://", "postgresql://")):
        parser.error("YIZHAN_DATABASE_URL must be a postgres:// URL")
    one = run_clients(base, 1, options)
    many = run_clients(base, options.clients, options)
    whole = all(not r["mismatches"] and r["cases"] == r["planned_cases"] for r in (one, many))
    same = (one["audit"], one["cases"]) == (many["audit"], many["cases"])
    rows = [
        ("service calls (case steps, consultations, complaints)", f"{one['calls']:,}"),
        ("cases / audit events in the database, 1 client", f"{one['cases']:,} / {one['audit']:,}"),
        (f"cases / audit events in the database, {many['clients']} clients", f"{many['cases']:,} / {many['audit']:,}"),
        ("service calls per second, 1 client", f"{one['calls_per_s']:.1f}"),
        (f"service calls per second, {many['clients']} clients", f"{many['calls_per_s']:.1f}"),
        (f"pgbench TPC-B-like -s {options.pgbench_scale}, 1 client: TPS", f"{one['pgbench_tps']:.1f}"),
        (f"pgbench TPC-B-like -s {options.pgbench_scale}, {many['clients']} clients: TPS", f"{many['pgbench_tps']:.1f}"),
        ("ratio service calls/s ÷ pgbench TPS, 1 client", f"{one['calls_per_s'] / one['pgbench_tps']:.3f}"),
        (f"ratio service calls/s ÷ pgbench TPS, {many['clients']} clients",
         f"{many['calls_per_s'] / many['pgbench_tps']:.3f}"),
        ("engine figures equal the plan in both runs", "yes" if whole else "NO"),
        ("same cases and audit events at 1 and at 8 clients (no lost update)", "yes" if same else "NO"),
    ]
    print(f"\nhall replay on PostgreSQL, scale {options.scale}, every service call its own transaction")
    width = max(len(label) for label, _v in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value:>18}")
    print(json.dumps({
        "scale": options.scale, "service_calls": one["calls"], "clients": [1, many["clients"]],
        "calls_per_s_1": round(one["calls_per_s"], 1), "calls_per_s_n": round(many["calls_per_s"], 1),
        "pgbench_tps_1": round(one["pgbench_tps"], 1), "pgbench_tps_n": round(many["pgbench_tps"], 1),
        "ratio_1": round(one["calls_per_s"] / one["pgbench_tps"], 3),
        "ratio_n": round(many["calls_per_s"] / many["pgbench_tps"], 3),
        "figures_equal_plan": whole, "no_lost_update": same, "deadlocks": 0,
    }))
    return 0 if whole and same else 1


if __name__ == "__main__":
    sys.exit(main())
