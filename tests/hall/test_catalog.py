"""The matter catalog: limit rules, CSV import (all broken rows reported, nothing written) and export."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from yizhan.audit.models import AuditEvent
from yizhan.errors import ImportFailed
from yizhan.hall.catalog_csv import export_catalog, import_catalog
from yizhan.hall.models import Material, Matter
from yizhan.hall.org_csv import import_org
from yizhan.org.models import OrgUnit

HEADER = "code,name,department_code,kind,statutory_days,promised_days,green_channel_days,materials,fee,legal_basis\n"


def csv(text: str) -> io.StringIO:
    return io.StringIO(text)


@pytest.mark.parametrize(("values", "field"), [
    ({"promised_days": 25}, "promised_days"),
    ({"green_channel_days": 6}, "green_channel_days"),
    ({"green_channel_days": None}, "green_channel_days"),
    ({"kind": "on_the_spot"}, "promised_days"),
])
def test_matter_limit_rules(hall, values, field):
    matter = hall.lic
    for name, value in values.items():
        setattr(matter, name, value)
    with pytest.raises(ValidationError) as info:
        matter.full_clean()
    assert field in info.value.message_dict


def test_conditional_material_needs_its_condition(hall):
    with pytest.raises(ValidationError) as info:
        Material(matter=hall.lic, name="婚姻证明", requirement="conditional").full_clean()
    assert "condition" in info.value.message_dict


def test_import_creates_and_updates_matters_with_audit(hall):
    result = import_catalog(csv(
        HEADER
        + "M1,个体工商户设立登记,D1,on_the_spot,15,0,,申请书;身份证明,0,《个体工商户条例》第八条\n"
        + "LIC,食品经营许可（新）,D1,promised,20,10,3,申请书;平面图,0,《食品安全法》第三十五条\n"
    ))
    assert (result.created, result.updated) == (1, 1)
    m1 = Matter.objects.get(code="M1")
    assert (m1.kind, m1.promised_days, m1.department) == ("on_the_spot", 0, hall.d1)
    assert [m.name for m in m1.materials.all()] == ["申请书", "身份证明"]
    hall.lic.refresh_from_db()
    assert (hall.lic.name, hall.lic.promised_days, hall.lic.green_channel_days) == ("食品经营许可（新）", 10, 3)
    # Existing materials keep their details; new names are added after them.
    assert [m.name for m in hall.lic.materials.all()] == ["申请书", "营业执照", "授权委托书", "平面图"]
    assert AuditEvent.objects.filter(action="hall.matter.imported").count() == 2


def test_import_reports_every_broken_row_with_line_and_field_and_writes_nothing(hall):
    before = (Matter.objects.count(), Material.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ImportFailed) as info:
        import_catalog(csv(
            HEADER
            + "M1,好的一行,D1,promised,20,5,,申请书,0,\n"
            + "M2,承诺长于法定,D1,promised,10,12,,,,\n"
            + "M3,部门不存在,D9,promised,10,5,,,,\n"
            + "M4,时限不是数字,D1,promised,十,5,,,,\n"
            + "M1,编码重复,D1,promised,20,5,,,abc,\n"
            + "M5,窗口不是部门,W11,sometimes,20,5,,,,\n"
        ))
    found = {(e.line, e.field) for e in info.value.errors}
    assert found == {
        (3, "promised_days"), (4, "department_code"), (5, "statutory_days"), (6, "code"), (6, "fee"),
        (7, "department_code"), (7, "kind"),
    }
    assert "第 3 行，字段 promised_days" in str(info.value)
    assert (Matter.objects.count(), Material.objects.count(), AuditEvent.objects.count()) == before


def test_missing_column_is_reported_on_line_one(hall):
    with pytest.raises(ImportFailed) as info:
        import_catalog(csv("code,name,department_code,kind,statutory_days\nX,名,D1,promised,5\n"))
    assert [(e.line, e.field) for e in info.value.errors] == [(1, "promised_days")]


def test_export_round_trips_through_import(hall):
    hall.lic.windows.set([hall.w11, hall.w12])
    out = io.StringIO()
    assert export_catalog(out) == 3
    text = out.getvalue()
    assert "LIC,食品经营许可,D1,promised,20,5,2,申请书;营业执照;授权委托书,0.00,《食品安全法》第三十五条,W11;W12" in text
    Matter.objects.filter(code="LIC").update(promised_days=4)
    result = import_catalog(io.StringIO(text))
    assert (result.created, result.updated) == (0, 3)
    hall.lic.refresh_from_db()
    assert hall.lic.promised_days == 5
    assert set(hall.lic.windows.values_list("code", flat=True)) == {"W11", "W12"}


def test_import_org_builds_the_tree_in_any_row_order(db):
    result = import_org(csv(
        "code,name,parent_code,kind\n"
        "W0101,工商一号窗,D01,window\n"
        "D01,工商局,KP,department\n"
        "KP,开平市行政服务中心,,center\n"
    ))
    assert result.created == 3
    assert OrgUnit.objects.get(code="W0101").path == "/KP/D01/W0101/"
    assert AuditEvent.objects.filter(action="org.unit.imported").count() == 3


def test_import_org_errors_name_line_and_field_and_write_nothing(db):
    with pytest.raises(ImportFailed) as info:
        import_org(csv(
            "code,name,parent_code,kind\n"
            "KP,中心,,center\n"
            "D01,工商局,NOPE,department\n"
            "W01,窗口,KP,window\n"
            "X,,KP,bureau\n"
        ))
    assert {(e.line, e.field) for e in info.value.errors} == {(3, "parent_code"), (4, "parent_code"), (5, "name"),
                                                             (5, "kind")}
    assert not OrgUnit.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="org.").exists()


def test_import_commands(hall, tmp_path, capsys):
    org = tmp_path / "org.csv"
    org.write_text("code,name,parent_code,kind\nW13,市场监管三号窗,D1,window\n", encoding="utf-8-sig")
    call_command("hall", "import-org", str(org))
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(HEADER + "M9,名称核准,D1,on_the_spot,5,0,,,,\n", encoding="utf-8")
    call_command("hall", "import-catalog", str(catalog))
    assert "新增 1 条" in capsys.readouterr().out
    assert Matter.objects.filter(code="M9").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "M10,名称,D1,promised,5,9,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行，字段 promised_days"):
        call_command("hall", "import-catalog", str(bad))
    out = tmp_path / "out.csv"
    call_command("hall", "export-catalog", str(out))
    assert "M9,名称核准,D1,on_the_spot,5,0" in out.read_text(encoding="utf-8")
