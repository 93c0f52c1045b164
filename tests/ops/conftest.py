"""A scratch database that separate `yizhan` processes (server, worker, backup) can share: a SQLite
file, or a fresh PostgreSQL database beside the test database, dropped afterwards."""

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


class Scratch:
    def __init__(self, url: str, data_dir: Path, pg: dict | None) -> None:
        self.url, self.data_dir, self.pg = url, data_dir, pg

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("YIZHAN_", "PYTEST", "DJANGO_"))}
        return {**env, "YIZHAN_DATABASE_URL": self.url, "YIZHAN_DATA_DIR": str(self.data_dir),
                "DJANGO_SETTINGS_MODULE": "yizhan.settings", **extra}

    def yizhan(self, *args: str, timeout: float = 300, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "yizhan", *args], env=self.env(**extra), cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout, check=False)

    def query(self, sql: str) -> list[tuple]:
        if self.pg is None:
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as conn:
                return conn.execute(sql).fetchall()
        with psycopg.connect(**self.pg, dbname=self.pg_name) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else []

    @property
    def pg_name(self) -> str:
        return self.url.rsplit("/", 1)[1]


def _pg_params() -> dict | None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return None
    return {k.lower(): db[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if db.get(k)}


def _new_database(pg: dict, name: str, template: str | None = None) -> str:
    with psycopg.connect(**pg, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    user = f"{pg['user']}@" if pg.get("user") else ""
    return f"postgres://{user}{pg.get('host', '127.0.0.1')}:{pg.get('port', 5432)}/{name}"


def _drop(pg: dict, *names: str) -> None:
    with psycopg.connect(**pg, dbname="postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch(tmp_path) -> Scratch:
    """An empty database (no tables)."""
    pg = _pg_params()
    data_dir = tmp_path / "data"
    if pg is None:
        yield Scratch(f"sqlite:///{tmp_path / 'scratch.sqlite3'}", data_dir, None)
        return
    name = f"yz_scratch_{uuid.uuid4().hex[:10]}"
    try:
        yield Scratch(_new_database(pg, name), data_dir, pg)
    finally:
        _drop(pg, name, f"{name}_restored")


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory):
    """Migrated once per run by a real `yizhan migrate`; each test gets its own copy."""
    pg = _pg_params()
    tmp = tmp_path_factory.mktemp("template")
    if pg is None:
        template = Scratch(f"sqlite:///{tmp / 'template.sqlite3'}", tmp / "data", None)
    else:
        template = Scratch(_new_database(pg, f"yz_template_{uuid.uuid4().hex[:10]}"), tmp / "data", pg)
    try:
        for step in (("migrate", "--noinput", "-v", "0"), ("collectstatic", "--noinput", "-v", "0")):
            done = template.yizhan(*step)
            assert done.returncode == 0, done.stderr
        yield template
    finally:
        if pg is not None:
            _drop(pg, template.pg_name)


@pytest.fixture
def migrated(_migrated_template, tmp_path) -> Scratch:
    """A migrated database of its own, sharing the template's data directory (key, static files)."""
    template = _migrated_template
    if template.pg is None:
        path = tmp_path / "migrated.sqlite3"
        shutil.copyfile(template.url.removeprefix("sqlite:///"), path)
        yield Scratch(f"sqlite:///{path}", template.data_dir, None)
        return
    name = f"yz_scratch_{uuid.uuid4().hex[:10]}"
    try:
        yield Scratch(_new_database(template.pg, name, template=template.pg_name), template.data_dir, template.pg)
    finally:
        _drop(template.pg, name, f"{name}_restored")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"not within {seconds:.0f} s: {what}")
