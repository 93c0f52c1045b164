"""`yizhan relief …` is thin over the services: rules loaded, a file imported (or refused naming the
line and field), the ledger exported, the report printed."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.relief.conftest import RULES
from yizhan.relief.models import Contribution, Rules


def run(*args) -> str:
    out = io.StringIO()
    call_command("relief", *args, stdout=out)
    return out.getvalue()


def test_load_rules_import_export_and_report(bh, tmp_path):
    import json

    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({**RULES, "version": "2011-1", "effective_from": "2011-01-01"}, ensure_ascii=False),
                     encoding="utf-8")
    assert "2011-1" in run("load-rules", str(rules))
    assert Rules.objects.count() == 2
    file = tmp_path / "c.csv"
    file.write_text("kind,contributor,amount,staff_no\nstaff,张师傅,100,E001\n", encoding="gbk")
    assert "¥200,100.00" in run("import-contributions", str(file), "--fund", "BH-RELIEF")
    ledger = run("export-ledger", "--fund", "BH-RELIEF").splitlines()
    assert len(ledger) == 4 and ledger[-1].split(",")[2] == "staff_contribution"
    report = run("report", "--fund", "BH-RELIEF")
    assert "801 人，¥80,100.00" in report and "¥200,100.00" in report


def test_a_broken_file_names_the_line_and_field_and_writes_nothing(bh, tmp_path):
    file = tmp_path / "c.csv"
    file.write_text("kind,contributor,amount\nstaff,张,100\ncompany,,5\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run("import-contributions", str(file), "--fund", "BH-RELIEF")
    assert "第 3 行，字段 contributor" in str(refused.value)
    assert Contribution.objects.count() == 2
    with pytest.raises(CommandError):
        run("report", "--fund", "NOPE")
