"""Surveillance at scale on PostgreSQL, each figure next to a peer measured in the same run.

1. City: one scheduled detection run (`run_detection`) for a CDC with 20 townships × 20 villages
   (400 clinics) and 40 diseases (MPM per township, single-case alerts per village), over three years
   of daily counts. Peer: the same MPM evaluated with numpy on the panel already in memory.
2. National panel: MPM for 2,800 counties × 40 diseases on three years of daily counts (one day's
   run, then the whole last year). Peer: one pass of numpy's cumulative sum over the same panels.
3. DHIS2: importing N data values (default 1,000,000, in payloads of 100,000 as a DHIS2 client
   sends them) through `import_data_value_set`. Peer: psycopg COPY of the same rows into a plain
   table of the same shape.

A fresh database is created on the server of YIZHAN_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/postgres) and dropped at the end. The last line is one JSON object.

    .venv/bin/python benchmarks/surveillance_detect.py [--dhis2-values 1000000] [--seed 1]
"""

import argparse
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "yz_bench_surveillance"
DAY = date(2024, 6, 30)
HISTORY = 3 * 365 + 14


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def admin(url: str, sql: str) -> None:
    with psycopg.connect(with_db(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def setup_django(url: str) -> None:
    os.environ["YIZHAN_DATABASE_URL"] = with_db(url, DB_NAME)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yizhan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def city(rng: np.random.Generator) -> dict[str, float]:
    from django.db import connection

    from yizhan.detect import mpm
    from yizhan.org.models import OrgUnit
    from yizhan.surveillance.counts import column_of, daily_panel
    from yizhan.surveillance.detection import run_detection
    from yizhan.surveillance.models import AggregateCount, DetectorConfig, Disease

    cdc = OrgUnit.objects.create(code="B-CDC", name="CDC", kind="cdc")
    townships = [OrgUnit.objects.create(code=f"B-T{t:02d}", name=f"T{t}", kind="township", parent=cdc) for t in range(20)]
    OrgUnit.objects.bulk_create([OrgUnit(code=f"B-T{t:02d}-V{v:02d}", name=f"V{v}", kind="village", parent=tw,
                                         path=f"{tw.path}B-T{t:02d}-V{v:02d}/")
                                 for t, tw in enumerate(townships) for v in range(20)])
    diseases = list(Disease.objects.order_by("code")[:40])
    Disease.objects.exclude(pk__in=[d.pk for d in diseases]).update(active=False)
    DetectorConfig.objects.all().delete()
    DetectorConfig.objects.bulk_create([DetectorConfig(disease=d, level="township", method="mpm") for d in diseases]
                                       + [DetectorConfig(disease=d, level="village", method="fixed",
                                                         params={"threshold": 1}) for d in diseases[:8]])
    first = DAY - timedelta(days=HISTORY)
    days = [first + timedelta(days=k) for k in range(HISTORY + 1)]
    rows = []
    for d in diseases[8:]:
        values = rng.poisson(0.3, size=(len(days), len(townships)))
        for k, i in zip(*np.nonzero(values), strict=True):
            rows.append((d.pk, townships[i].pk, days[k].strftime("%Y%m%d"), "day", days[k], int(values[k, i])))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {AggregateCount._meta.db_table} (disease_id, unit_id, period, period_type, "
                           "start, value) VALUES (%s, %s, %s, %s, %s, %s)", rows)
    started = time.perf_counter()
    run, _ran, opened = run_detection(DAY)
    run_seconds = time.perf_counter() - started
    columns = column_of(townships)
    panels = [daily_panel(d, townships, first, DAY, columns=columns) for d in diseases]
    started = time.perf_counter()
    for panel in panels:
        mpm(panel, freq=365, periods=[panel.shape[0] - 1])
    peer = time.perf_counter() - started
    return {"city_count_rows": len(rows), "city_series": run.series, "city_alarms": run.alarms,
            "city_signals": len(opened), "city_run_seconds": round(run_seconds, 3),
            "city_numpy_mpm_seconds": round(peer, 4), "city_run_over_numpy": round(run_seconds / peer, 1)}


def national(rng: np.random.Generator) -> dict[str, float]:
    from yizhan.detect import mpm

    counties, diseases = 2800, 40
    one_day = last_year = passes = 0.0
    for _d in range(diseases):
        panel = rng.poisson(0.5, size=(HISTORY + 365, counties)).astype(np.int64)
        started = time.perf_counter()
        mpm(panel, freq=365, periods=[panel.shape[0] - 1])
        one_day += time.perf_counter() - started
        started = time.perf_counter()
        mpm(panel, freq=365, periods=range(panel.shape[0] - 365, panel.shape[0]))
        last_year += time.perf_counter() - started
        started = time.perf_counter()
        np.cumsum(panel, axis=0)
        passes += time.perf_counter() - started
    return {"national_series": counties * diseases, "national_one_day_seconds": round(one_day, 3),
            "national_last_year_seconds": round(last_year, 3), "national_cumsum_seconds": round(passes, 3),
            "national_one_day_over_cumsum": round(one_day / passes, 2),
            "national_last_year_over_cumsum": round(last_year / passes, 1)}


def dhis2(url: str, n_values: int, rng: np.random.Generator) -> dict[str, float]:
    from yizhan.org.models import OrgUnit
    from yizhan.surveillance.dhis2 import import_data_value_set
    from yizhan.surveillance.models import Disease

    codes = list(Disease.objects.filter(active=True).values_list("code", flat=True))
    units = list(OrgUnit.objects.filter(kind="village").values_list("code", flat=True))
    chunk = 100_000
    imported = 0
    seconds = 0.0
    start_day = date(2020, 1, 1)
    for offset in range(0, n_values, chunk):
        values = []
        for k in range(offset, min(offset + chunk, n_values)):
            unit, rest = units[k % len(units)], k // len(units)
            code, day = codes[rest % len(codes)], start_day + timedelta(days=rest // len(codes))
            values.append({"dataElement": code, "period": day.strftime("%Y%m%d"), "orgUnit": unit,
                           "value": str(int(rng.integers(0, 9)))})
        started = time.perf_counter()
        summary = import_data_value_set({"dataValues": values})
        seconds += time.perf_counter() - started
        imported += summary["importCount"]["imported"]
    rows = [(k, k % 400, f"P{k}", "day", date(2020, 1, 1), k % 9) for k in range(n_values)]
    with psycopg.connect(with_db(url, DB_NAME), autocommit=True) as conn:
        conn.execute("CREATE TABLE copy_peer (disease_id int, unit_id int, period text, period_type text, start date, "
                     "value int)")
        started = time.perf_counter()
        with conn.cursor().copy("COPY copy_peer FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        copy_seconds = time.perf_counter() - started
    return {"dhis2_values": n_values, "dhis2_imported": imported, "dhis2_values_per_second": round(imported / seconds),
            "copy_rows_per_second": round(n_values / copy_seconds),
            "copy_over_dhis2": round((n_values / copy_seconds) / (imported / seconds), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dhis2-values", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    url = os.environ.get("YIZHAN_DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("YIZHAN_DATABASE_URL must name a PostgreSQL server")
    admin(url, f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin(url, f"CREATE DATABASE {DB_NAME}")
    try:
        setup_django(url)
        rng = np.random.default_rng(args.seed)
        figures = {**city(rng), **national(rng), **dhis2(url, args.dhis2_values, rng)}
        from django.db import connections

        connections.close_all()
    finally:
        admin(url, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
