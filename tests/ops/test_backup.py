"""A backup really taken and really restored (pg_dump/pg_restore on PostgreSQL, SQLite's online
backup), through `yizhan backup` and `yizhan restore` as docs/deploy.md tells an operator to."""

import pytest

pytestmark = pytest.mark.slow

CSV = "code,name,parent_code,kind\nC,开平市行政服务中心,,center\nD1,市市场监督管理局,C,department\n"


def counts(db) -> tuple:
    return (db.query("select count(*) from org_orgunit")[0][0], db.query("select count(*) from audit_auditevent")[0][0],
            db.query("select username from auth_user order by username"))


def test_a_backup_restores_the_database_as_it_was(migrated, tmp_path):
    org = tmp_path / "org.csv"
    org.write_text(CSV, encoding="utf-8")
    assert migrated.yizhan("hall", "import-org", str(org)).returncode == 0
    before = counts(migrated)
    assert before[0] == 2 and before[1] >= 2

    dump = tmp_path / "backups" / "yizhan.dump"
    done = migrated.yizhan("backup", str(dump))
    assert done.returncode == 0, done.stderr
    assert dump.stat().st_size > 0 and dump.stat().st_mode & 0o077 == 0

    # Things change after the backup: the department is gone.
    migrated.query("delete from org_orgunit where parent_id is not null")
    assert counts(migrated)[0] == 1

    done = migrated.yizhan("restore", "--yes", str(dump))
    assert done.returncode == 0, done.stderr
    assert counts(migrated) == before
    check = migrated.yizhan("migrate", "--check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_restore_asks_for_confirmation_and_a_file_that_exists(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x.dump"))
    with pytest.raises(CommandError, match="nope.dump"):
        call_command("restore", "--yes", str(tmp_path / "nope.dump"))
