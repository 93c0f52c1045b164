"""Case numbers stay unique and gap-free when several clerks receive cases at the same moment: real
separate processes (separate connections) against a real database file or server."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import Hall
from yizhan.hall.models import Case

WORKER = """
import os, sys
from datetime import datetime
from zoneinfo import ZoneInfo
import django
django.setup()
from django.contrib.auth import get_user_model
from yizhan.hall.cases import receive_case
from yizhan.hall.models import Matter
from yizhan.org.models import OrgUnit, UnitKind

if sys.argv[1] == "setup":
    c = OrgUnit.objects.create(code="C", name="中心", kind=UnitKind.CENTER)
    d = OrgUnit.objects.create(code="D1", name="部门", kind=UnitKind.DEPARTMENT, parent=c)
    OrgUnit.objects.create(code="W11", name="窗口", kind=UnitKind.WINDOW, parent=d)
    Matter.objects.create(code="LIC", name="许可", department=d, statutory_days=20, promised_days=5)
else:
    matter, window = Matter.objects.get(code="LIC"), OrgUnit.objects.get(code="W11")
    for _ in range(int(sys.argv[2])):
        receive_case(matter=matter, window=window, applicant_name="张三",
                     at=datetime(2010, 3, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
"""


def run(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WORKER, *args], env=env, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_receipts_get_distinct_consecutive_numbers(django_user_model, tmp_path: Path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yizhan.settings", "YIZHAN_DATA_DIR": str(tmp_path)}
    if connection.vendor == "sqlite":
        # The test database is in memory; give the workers a database file of their own.
        env["YIZHAN_DATABASE_URL"] = f"sqlite:///{tmp_path / 'hall.sqlite3'}"
        subprocess.run([sys.executable, "-m", "yizhan", "migrate", "-v0"], env=env, check=True)
        setup = run(env, "setup")
        assert setup.wait() == 0, setup.stderr.read()
    else:
        s = connection.settings_dict
        env["YIZHAN_DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
        Hall(django_user_model)
    workers = [run(env, "work", "5") for _ in range(4)]
    for w in workers:
        assert w.wait() == 0, w.stderr.read()
    if connection.vendor == "sqlite":
        import sqlite3

        with sqlite3.connect(tmp_path / "hall.sqlite3") as db:
            numbers = sorted(row[0] for row in db.execute("SELECT case_no FROM hall_case"))
    else:
        numbers = sorted(Case.objects.values_list("case_no", flat=True))
    assert numbers == [f"KP-20100301-{n:05d}" for n in range(1, 21)]
