
from yizhan.tenants import demo as demo
from yizhan.tenants.figures import figures
from yizhan.tenants.models import Room, Tenant


def test_the_demo_builds_the_property_office_once_and_reports_its_figures(db):
    demo.build(lambda line: None)
    row = figures(None)
    assert (row["rooms"], row["flats"], row["shops"]) == (500, 440, 60)
    assert 950 <= row["tenants"] <= 1050 and len(row["by_province"]) == 12
    assert row["registrations_overdue"] > 0 and row["commitments_overdue"] > 0 and row["hazards_open"] > 0
    lines = []
    demo.report(lines.append)
    assert "房间 500 间" in lines[0] and "河南省" in lines[1] and "超期未登记" in lines[2]
    demo.build(lambda line: None)
    assert Room.objects.count() == 500 and Tenant.objects.count() == row["tenants"]
