"""Import files: UTF-8 (with or without BOM) and GBK/GB18030 are read alike, the encoding detected;
every bad value is reported with its line and field, and nothing is written."""

import io

import pytest

from yizhan.csvrows import decode_csv
from yizhan.errors import ImportFailed
from yizhan.hall.catalog_csv import import_catalog
from yizhan.hall.models import Matter
from yizhan.hall.org_csv import import_org
from yizhan.org.models import OrgUnit, UnitKind

HEADER = "code,name,department_code,kind,statutory_days,promised_days,green_channel_days,materials,fee\n"
ROW = "M1,个体工商户设立登记,D1,promised,15,5,,申请书;身份证明,12.50\n"


@pytest.fixture
def department(db):
    center = OrgUnit.objects.create(code="C", name="中心", kind=UnitKind.CENTER)
    return OrgUnit.objects.create(code="D1", name="市场监督管理局", kind=UnitKind.DEPARTMENT, parent=center)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_each_encoding_imports_the_same_matter(department, encoding):
    result = import_catalog(io.BytesIO((HEADER + ROW).encode(encoding)))
    assert result.created == 1
    matter = Matter.objects.get(code="M1")
    assert matter.name == "个体工商户设立登记" and [m.name for m in matter.materials.all()] == ["申请书", "身份证明"]


def test_gbk_is_not_mistaken_for_utf8():
    text = "code,name\nW1,住房公积金提取窗口\n"
    assert text.encode("gbk").decode("utf-8", errors="replace") != text  # GBK bytes are not valid UTF-8 here
    assert decode_csv(text.encode("gbk")) == text
    assert decode_csv(text.encode("gb18030")) == text
    assert decode_csv(b"\xef\xbb\xbf" + text.encode()) == text


def test_undecodable_and_utf16_files_are_refused_with_the_line():
    with pytest.raises(ImportFailed) as info:
        decode_csv("code,name\nW1,窗口\n".encode() + b"W2,\x81\xff\n")
    [error] = info.value.errors
    assert error.line == 3 and "UTF-8" in error.message
    with pytest.raises(ImportFailed) as info:
        decode_csv("code,name\n".encode("utf-16"))
    assert "UTF-16" in info.value.errors[0].message


@pytest.mark.parametrize(("cells", "field", "words"), [
    ({"fee": "NaN"}, "fee", "金额"),
    ({"fee": "Infinity"}, "fee", "金额"),
    ({"fee": "-inf"}, "fee", "金额"),
    ({"fee": "1e5"}, "fee", "金额"),
    ({"fee": "12.345"}, "fee", "小数"),
    ({"fee": "99999999999"}, "fee", "整数"),
    ({"fee": "-3"}, "fee", "负数"),
    ({"statutory_days": "9" * 30}, "statutory_days", "不能大于"),
    ({"statutory_days": "9" * 5000}, "statutory_days", "不能大于"),
    ({"statutory_days": "3651"}, "statutory_days", "不能大于"),
    ({"statutory_days": "1_5"}, "statutory_days", "整数"),
    ({"statutory_days": "1.5"}, "statutory_days", "整数"),
    ({"promised_days": "-1"}, "promised_days", "负数"),
    ({"name": "长" * 201}, "name", "200"),
    ({"code": "M" * 33}, "code", "32"),
    ({"materials": "甲" * 201}, "materials", "200"),
    ({"name": "有\x00空字符"}, "name", "NUL"),
    ({"code": "M\x07"}, "code", "控制字符"),
])
def test_every_bad_value_is_named_with_line_and_field(department, cells, field, words):
    columns = HEADER.strip().split(",")
    good = dict(zip(columns, ROW.strip().split(","), strict=True))
    bad = {**good, "code": "M2", **cells}
    text = HEADER + ROW + ",".join(bad[c] for c in columns) + "\n"
    with pytest.raises(ImportFailed) as info:
        import_catalog(io.BytesIO(text.encode()))
    assert {(e.line, e.field) for e in info.value.errors} == {(3, field)}
    assert words in info.value.errors[0].message
    assert not Matter.objects.exists()


def test_all_bad_values_of_a_file_are_reported_at_once(department):
    text = HEADER + "M1,名,D1,promised,NaN,5,,,NaN\nM2,名,D1,promised,15,99999999999999999999,,,Infinity\n"
    with pytest.raises(ImportFailed) as info:
        import_catalog(io.StringIO(text))
    assert {(e.line, e.field) for e in info.value.errors} == {
        (2, "statutory_days"), (2, "fee"), (3, "promised_days"), (3, "fee")}


def test_full_width_codes_and_digits_are_normalised(department):
    import_catalog(io.StringIO(HEADER + "Ｍ１,名称,Ｄ１,promised,１５,５,,,１２.５０\n"))
    matter = Matter.objects.get(code="M1")
    assert (matter.department, matter.statutory_days, matter.promised_days, str(matter.fee)) == (
        department, 15, 5, "12.50")


def test_org_import_reads_gbk_and_refuses_long_names(db):
    text = "code,name,parent_code,kind\nC,开平市行政服务中心,,center\nD1,市场监督管理局,C,department\n"
    assert import_org(io.BytesIO(text.encode("gbk"))).created == 2
    assert OrgUnit.objects.get(code="D1").name == "市场监督管理局"
    with pytest.raises(ImportFailed) as info:
        import_org(io.StringIO("code,name,parent_code,kind\nD2," + "局" * 201 + ",C,department\n"))
    assert [(e.line, e.field) for e in info.value.errors] == [(2, "name")]


def test_the_command_reads_a_gbk_file(department, tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_bytes((HEADER + ROW).encode("gbk"))
    from django.core.management import call_command

    out = io.StringIO()
    call_command("hall", "import-catalog", str(path), stdout=out)
    assert Matter.objects.get(code="M1").name == "个体工商户设立登记"


def test_exported_cells_that_a_spreadsheet_would_run_are_text_and_import_back_unchanged():
    from yizhan.csvrows import Rows, neutral, writer

    for formula in ("=1+1", "+1-1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx"):
        assert neutral(formula) == "'" + formula
    for plain in ("张三", "-12.50", "-25,000.00", "+5", "2010-03-01", 12, None, "a=b"):
        assert neutral(plain) == plain
    out = io.StringIO()
    writer(out).writerows([["name", "note"], ["=HYPERLINK(\"x\")", "-3"]])
    assert out.getvalue().splitlines()[1] == '"\'=HYPERLINK(""x"")",-3'
    rows = list(Rows(io.StringIO(out.getvalue()), ["name", "note"]))
    assert rows == [(2, {"name": "=HYPERLINK(\"x\")", "note": "-3"})]
