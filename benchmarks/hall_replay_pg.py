"""The seed workload on PostgreSQL: hall cases per second next to pgbench TPS, in the same run.

Creates a fresh database on the server of YIZHAN_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/postgres), migrates it, replays the seed city's March–October 2010
(or `--scale F` of it) through the hall engine with every state change committed on its own
(`batch="transition"`, as at a live counter: each commit carries the change, its timers and its audit
event), then initialises pgbench's TPC-B-like tables in the same database (`pgbench -i -s N`) and runs
the default script with one client (`pgbench -T S -c 1`). Prints cases per second and transitions per
second of the replay, pgbench's TPS, their ratios, and the audit events counted in the database.
The database is dropped at the end.

    .venv/bin/python benchmarks/hall_replay_pg.py [--scale 1] [--batch transition|day]
                                                  [--pgbench-scale 10] [--pgbench-seconds 30]
"""

import argparse
import os
import re
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def libpq_args(url: str) -> list[str]:
    parts = urlsplit(url)
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
    return args


def admin(url: str, sql: str) -> None:
    with psycopg.connect(server_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def run_pgbench(url: str, database: str, scale: int, seconds: int) -> tuple[float, str]:
    env = dict(os.environ)
    password = urlsplit(url).password
    if password:
        env["PGPASSWORD"] = password
    subprocess.run(["pgbench", "-i", "-q", "-s", str(scale), *libpq_args(url), database], check=True, env=env,
                   capture_output=True, text=True)
    done = subprocess.run(["pgbench", "-T", str(seconds), "-c", "1", *libpq_args(url), database], check=True,
                          env=env, capture_output=True, text=True)
    match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", done.stdout)
    if match is None:
        match = re.search(r"tps = ([0-9.]+)", done.stdout)
    if match is None:
        raise RuntimeError(f"pgbench printed no TPS:\n{done.stdout}\n{done.stderr}")
    return float(match.group(1)), done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the seed workload (default 1: all of it)")
    parser.add_argument("--seed", type=int, default=None, help="the replay generator's seed")
    parser.add_argument("--pgbench-scale", type=int, default=10, help="pgbench -i -s (default 10)")
    parser.add_argument("--pgbench-seconds", type=int, default=30, help="pgbench -T (default 30)")
    parser.add_argument("--batch", choices=("transition", "day"), default="transition",
                        help="transition (default): every state change commits on its own; day: one "
                             "transaction per replayed working day, each change a savepoint")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    options = parser.parse_args(argv)

    base = os.environ.get("YIZHAN_DATABASE_URL") or DEFAULT_URL
    if not base.startswith(("postgres://", "postgresql://")):
        parser.error("YIZHAN_DATABASE_URL must be a postgres:// URL")
    database = f"yizhan_bench_{os.getpid()}"
    admin(base, f'CREATE DATABASE "{database}"')
    url = server_url(base, database)
    try:
        os.environ["YIZHAN_DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yizhan.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        from yizhan.demo import seed_replay

        call_command("migrate", interactive=False, verbosity=0)
        kwargs = {} if options.seed is None else {"seed": options.seed}
        result = seed_replay.replay(scale=options.scale, batch=options.batch,
                                    progress=lambda line: print(line, flush=True), **kwargs)
        mismatches = seed_replay.figures_match(result.figures, result.plan)
        with connection.cursor() as cursor:
            # Everything but the city's set-up (import of units and matters, staff accounts).
            cursor.execute("SELECT count(*) FROM audit_auditevent WHERE action NOT IN "
                           "('org.unit.imported', 'hall.matter.imported', 'org.staff.created')")
            audit_in_db = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM hall_case")
            cases_in_db = cursor.fetchone()[0]
        connections.close_all()

        tps, _output = run_pgbench(base, database, options.pgbench_scale, options.pgbench_seconds)

        seconds = result.record_seconds
        transitions = result.steps + len(result.plan.consultations) + 2 * len(result.plan.complaints)
        cases_per_s = result.cases / seconds
        transitions_per_s = transitions / seconds
        rows = [
            ("replay: cases recorded", f"{result.cases:,}"),
            ("replay: service calls (case steps, consultations, complaints)", f"{transitions:,}"),
            ("replay: audit events written (reported / counted in the database)",
             f"{result.audit_events:,} / {audit_in_db:,}"),
            ("replay: cases in the database", f"{cases_in_db:,}"),
            ("replay: recording time", f"{seconds:.1f} s"),
            ("replay: cases per second", f"{cases_per_s:.1f}"),
            ("replay: service calls per second", f"{transitions_per_s:.1f}"),
            (f"pgbench TPC-B-like, -s {options.pgbench_scale} -c 1 -T {options.pgbench_seconds}: TPS", f"{tps:.1f}"),
            ("ratio cases/s ÷ pgbench TPS", f"{cases_per_s / tps:.3f}"),
            ("ratio service calls/s ÷ pgbench TPS", f"{transitions_per_s / tps:.3f}"),
            ("engine figures equal the plan", "yes" if not mismatches else f"NO: {mismatches}"),
        ]
        mode = "one transaction per state change" if options.batch == "transition" else "one transaction per day"
        print(f"\nhall replay on PostgreSQL, scale {options.scale}, {mode}")
        width = max(len(label) for label, _v in rows)
        for label, value in rows:
            print(f"{label:<{width}}  {value:>18}")
        seed_replay.write_table(sys.stdout, result.figures, result.plan)
        return 0 if not mismatches else 1
    finally:
        if not options.keep:
            if "django.db" in sys.modules:  # set up: let go of its connections before dropping
                sys.modules["django.db"].connections.close_all()
            admin(base, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
