"""`yizhan hall`: sub-commands discovered from files, plain-language help, the warnings listing."""

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from tests.factories import at
from yizhan.hall import cases as engine
from yizhan.hall.early_warnings import open_warnings
from yizhan.subcommands import subcommands_of


def test_sub_commands_are_discovered_from_modules():
    names = set(subcommands_of("yizhan.hall", "hall"))
    assert {"import-org", "import-catalog", "export-catalog", "sweep", "warnings"} <= names
    assert all(not n.startswith("-") and "_" not in n for n in names)


def test_the_staff_import_the_hall_adds_is_a_sub_command_of_yizhan_org_not_of_yizhan_hall():
    assert {"import-units", "import-staff"} <= set(subcommands_of("yizhan.org", "org"))
    assert "import-staff" not in subcommands_of("yizhan.hall", "hall")


def test_help_lists_sub_commands_in_plain_language():
    out = subprocess.run([sys.executable, "-m", "yizhan", "hall", "--help"], capture_output=True, text=True,
                         check=True).stdout
    assert "import-catalog" in out and "超时预警" in out and "问责扫描" in out


def test_warnings_list_yellow_red_and_overdue_with_case_details(hall):
    yellow = hall.accepted(when="2010-03-02 09:00")   # promised deadline Tue 9 March: one working day left
    red = hall.accepted(when="2010-03-01 09:00")      # promised deadline Mon 8 March
    overdue = hall.accepted(when="2010-02-22 09:00")  # promised deadline Mon 1 March
    normal = hall.accepted(hall.build, hall.w21, when="2010-03-05 09:00")
    done = hall.accepted(when="2010-03-01 09:00")
    engine.withdraw_case(done, at=at("2010-03-02 09:00"))
    rows = {(r.case_no, r.purpose): r.level for r in open_warnings(at("2010-03-08 10:00"))}
    assert rows == {
        (yellow.case_no, "promised"): "yellow",
        (red.case_no, "promised"): "red",
        (overdue.case_no, "promised"): "overdue",
    }
    assert normal.case_no not in {no for no, _p in rows}


def test_warnings_command_prints_the_listing(hall, capsys):
    red = hall.accepted(when="2010-03-01 09:00")
    call_command("hall", "warnings", "--at", "2010-03-08T10:00")
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith(red.case_no))
    assert "食品经营许可" in line and "市场监管一号窗口" in line and "clerk" in line
    assert "2010-03-08 23:59" in line and "红色预警" in line
    call_command("hall", "warnings", "--at", "2010-03-08T10:00", "--unit", "D2")
    assert "共 0 条" in capsys.readouterr().out


def test_bad_options_are_named(hall):
    with pytest.raises(CommandError, match="--unit"):
        call_command("hall", "warnings", "--unit", "NOPE")
    with pytest.raises(CommandError, match="--at"):
        call_command("hall", "sweep", "--at", "yesterday")
