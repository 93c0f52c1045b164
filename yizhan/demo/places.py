"""The places of the seed's units that several demo systems share, as codes and units: Kaiping's
CDC network (the surveillance demo builds it; the assessment, quality and training demos work in it),
the Jinshan Petrochemical Construction company of section 4 (visits, anniversaries, councils,
tenants) and the Shennongjia education bureau of section 3 with its schools (liaison points, teacher
exchange). Kept here, in the demo layer, so that no app's demo imports another app's."""

from yizhan.org.models import OrgUnit, UnitKind

# Kaiping's three-tier network: the city CDC, 14 township health centers, three village clinics each.
CDC_CODE = "440783-CDC"
TOWNSHIPS = ("三埠", "长沙", "月山", "水口", "沙塘", "苍城", "龙胜", "大沙", "马冈", "塘口", "赤坎", "百合", "蚬冈", "金鸡")
VILLAGES = ("中心村", "东村", "西村")


def township_code(i: int) -> str:
    return f"440783-T{i + 1:02d}"


def cdc_network_exists() -> bool:
    return OrgUnit.objects.filter(code=CDC_CODE).exists()


# 上海金山石油化工建筑有限公司 and its party branches.
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


# 神农架林区教育局 and its schools; "SNJ-LX-" codes keep these units apart from the bureau's other demo
# systems (subsidies, training).
BUREAU = ("SNJ-LX-JYJ", "神农架林区教育局（联系点与交流）")
SCHOOLS = (("SNJ-LX-S01", "松柏镇第一小学", "town"), ("SNJ-LX-S02", "松柏镇中学", "town"),
           ("SNJ-LX-S03", "林区实验小学", "town"), ("SNJ-LX-S04", "红坪镇小学", "country"),
           ("SNJ-LX-S05", "木鱼镇中心学校", "country"), ("SNJ-LX-S06", "宋洛乡小学", "country"),
           ("SNJ-LX-S07", "新华镇小学", "country"), ("SNJ-LX-S08", "下谷坪乡学校", "country"))


def bureau_and_schools() -> tuple[OrgUnit, list[tuple[OrgUnit, str]]]:
    """The bureau and its schools with their area (town/country)."""
    bureau = OrgUnit.objects.get_or_create(code=BUREAU[0], defaults={"name": BUREAU[1], "kind": UnitKind.BUREAU})[0]
    return bureau, [(OrgUnit.objects.get_or_create(code=code, defaults={
        "name": name, "kind": UnitKind.SCHOOL, "parent": bureau})[0], area) for code, name, area in SCHOOLS]
