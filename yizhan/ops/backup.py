"""Backups of the configured database: `pg_dump --format=custom` for PostgreSQL, SQLite's online
backup for the embedded file; a restore puts one back into the configured database."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.utils.translation import gettext as _

from yizhan.errors import InvalidInput


def _settings(alias: str = "default") -> dict:
    return connections[alias].settings_dict


def _pg_env(db: dict) -> dict[str, str]:
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _is_postgres(db: dict) -> bool:
    return db["ENGINE"] == "django.db.backends.postgresql"


def backup(path: Path, alias: str = "default") -> Path:
    """Write a consistent copy of the database to `path` while Yizhan keeps running."""
    db = _settings(alias)
    path.parent.mkdir(parents=True, exist_ok=True)
    if _is_postgres(db):
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path)], env=_pg_env(db), check=True)
    else:
        with sqlite3.connect(db["NAME"]) as source, sqlite3.connect(path) as target:
            source.backup(target)
    path.chmod(0o600)  # it holds applicants' ID numbers and phones
    return path


def restore(path: Path, alias: str = "default") -> None:
    """Replace the database's contents with the backup at `path` (stop the server first)."""
    if not path.is_file():
        raise InvalidInput(_("%(f)s：备份文件不存在") % {"f": path}, field="file", rule="not_found")
    db = _settings(alias)
    connections[alias].close()
    if _is_postgres(db):
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        "--exit-on-error", "--dbname", db["NAME"], str(path)], env=_pg_env(db), check=True)
    else:
        with sqlite3.connect(path) as source, sqlite3.connect(db["NAME"]) as target:
            source.backup(target)
