"""`yizhan org import-staff FILE.csv`: users, badge numbers and roles from a file; a broken row is
reported with its line and field and nothing is written."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from yizhan.audit.models import AuditEvent
from yizhan.errors import ImportFailed
from yizhan.hall.models import StaffProfile
from yizhan.hall.staff_csv import import_staff
from yizhan.org.models import StaffRole

HEADER = "username,name,role,unit_code,badge_no,phone,email\n"
GOOD = HEADER + (
    "li.chuang,李窗口,clerk,W11,KP0101,0750-2222333,li@example.org\n"
    "wang.head,王主任,department_head,D1,KP0001,,\n"
    "wang.head,王主任,clerk,W12,KP0001,,\n"
)


def test_staff_roles_and_badges_are_imported(hall):
    result = import_staff(io.StringIO(GOOD))
    assert (result.created, result.updated) == (2, 0)
    li = get_user_model().objects.get(username="li.chuang")
    assert (li.first_name, li.email, li.has_usable_password()) == ("李窗口", "li@example.org", False)
    assert (li.hall_profile.badge_no, li.hall_profile.unit) == ("KP0101", hall.w11)
    assert set(StaffRole.objects.filter(user__username="wang.head").values_list("role", "unit__code")) == {
        ("department_head", "D1"), ("clerk", "W12")}
    assert AuditEvent.objects.filter(action="org.staff.imported").count() == 2
    again = import_staff(io.StringIO(GOOD))
    assert (again.created, again.updated) == (0, 2) and StaffRole.objects.filter(user=li).count() == 1


@pytest.mark.parametrize(("row", "line", "field"), [
    ("x,某人,wizard,W11,KP9,,", 2, "role"),
    ("x,某人,clerk,NOPE,KP9,,", 2, "unit_code"),
    ("x,某人,department_head,W11,KP9,,", 2, "unit_code"),
    ("x,,clerk,W11,KP9,,", 2, "name"),
    ("x y,某人,clerk,W11,KP9,,", 2, "username"),
    ("x,某人,clerk,W11,KP9,电话,", 2, "phone"),
    ("x,某人,clerk,W11,KP9,,not-an-email", 2, "email"),
])
def test_a_broken_row_names_line_and_field_and_writes_nothing(hall, row, line, field):
    users = get_user_model().objects.count()
    with pytest.raises(ImportFailed) as info:
        import_staff(io.StringIO(HEADER + row + "\n" + "ok.user,好人,clerk,W11,KP7,,\n"))
    assert [(e.line, e.field) for e in info.value.errors] == [(line, field)]
    assert get_user_model().objects.count() == users and not StaffProfile.objects.exists()


def test_a_badge_number_belongs_to_one_person(hall):
    with pytest.raises(ImportFailed) as info:
        import_staff(io.StringIO(HEADER + "a,甲,clerk,W11,KP1,,\nb,乙,clerk,W11,KP1,,\n"))
    assert [(e.line, e.field) for e in info.value.errors] == [(3, "badge_no")]
    StaffProfile.objects.create(user=hall.clerk, name="老员工", badge_no="KP2")
    with pytest.raises(ImportFailed) as info:
        import_staff(io.StringIO(HEADER + "c,丙,clerk,W11,KP2,,\n"))
    assert info.value.errors[0].field == "badge_no"


def test_the_command_reports_the_line_and_field(hall, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("org", "import-staff", str(path), stdout=out)
    assert "新增 2 条" in out.getvalue()
    path.write_text(HEADER + "x,某人,clerk,NOPE,KP9,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行，字段 unit_code"):
        call_command("org", "import-staff", str(path), stdout=io.StringIO())
