"""The Jinshan Petrochemical Construction company (上海金山石油化工建筑有限公司) of the seed's section 4,
shared by its demo systems (hardship visits, anniversaries): the company and its party branches."""

from yizhan.org.models import OrgUnit, UnitKind

COMPANY = "JSPC"
BRANCHES = (("JSPC-B1", "第一党支部（安装分公司）"), ("JSPC-B2", "第二党支部（土建分公司）"),
            ("JSPC-B3", "第三党支部（机关）"))


def company() -> OrgUnit:
    unit, _created = OrgUnit.objects.get_or_create(
        code=COMPANY, defaults={"name": "上海金山石油化工建筑有限公司", "kind": UnitKind.COMPANY})
    return unit


def branches() -> list[OrgUnit]:
    parent = company()
    return [OrgUnit.objects.get_or_create(code=code, defaults={"name": name, "kind": UnitKind.OFFICE,
                                                                "parent": parent})[0]
            for code, name in BRANCHES]
