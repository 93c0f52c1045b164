"""How long a clerk's write waits behind a running case import on SQLite.

Builds a small hall in a fresh SQLite file, then runs `yizhan hall import-cases` on a file of N
historical cases in another process and, while it runs, has a clerk pause and resume a case over and
over (each one transaction through the engine, as at the counter). Prints the clerk's write times
with no import running (the peer) and during the import: median, worst, and worst ÷ peer median.
The last line is one JSON object of the figures.

    .venv/bin/python benchmarks/import_clerk_wait.py [--cases 3000]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = "case_no,matter_code,window_code,received_at,accepted_at,completed_at,outcome\n"


def history(path: Path, n: int) -> None:
    lines = [f"IMP-{i:06d},LIC,W11,2010-03-{1 + i % 20:02d}T09:00,2010-03-{1 + i % 20:02d}T09:30,"
             f"2010-03-{5 + i % 20:02d}T10:00,approved\n" for i in range(n)]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=3000, help="cases in the import file (default 3000)")
    options = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="yizhan-import-wait-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yizhan.settings", "YIZHAN_DATA_DIR": str(work),
           "YIZHAN_DATABASE_URL": f"sqlite:///{work / 'hall.sqlite3'}"}
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from yizhan.demo.small import small_hall
    from yizhan.hall.pauses import pause_case, resume_case

    call_command("migrate", interactive=False, verbosity=0)
    clerk, [case] = small_hall(1)

    def clerk_write(paused: bool) -> float:
        started = time.perf_counter()
        (resume_case if paused else pause_case)(case, actor=clerk, **({} if paused else {"reason": "hearing"}))
        return time.perf_counter() - started

    paused, alone = False, []
    for _ in range(40):
        alone.append(clerk_write(paused))
        paused = not paused

    path = work / "cases.csv"
    history(path, options.cases)
    importing = subprocess.Popen([sys.executable, "-m", "yizhan", "hall", "import-cases", str(path)], env=env,
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    during = []
    started = time.perf_counter()
    while importing.poll() is None:
        during.append(clerk_write(paused))
        paused = not paused
        time.sleep(0.05)
    import_seconds = time.perf_counter() - started
    out, err = importing.communicate()
    if importing.returncode != 0:
        print(err, file=sys.stderr)
        return 1
    figures = {
        "cases_imported": options.cases,
        "import_seconds": round(import_seconds, 1),
        "clerk_writes_during_import": len(during),
        "clerk_write_median_alone_s": round(statistics.median(alone), 4),
        "clerk_write_median_during_import_s": round(statistics.median(during), 4),
        "clerk_write_worst_during_import_s": round(max(during), 3),
        "worst_over_alone_median": round(max(during) / statistics.median(alone), 1),
    }
    print(out.strip())
    for key, value in figures.items():
        print(f"{key:<40} {value}")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
