"""The Shennongjia bureau's teacher exchange (城乡教师交流): the teachers of its three town and five
country schools, and the autumn term of 2009 (1 September 2009 – 31 January 2010) in which town
teachers teach in the country and a few country teachers in town."""

import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

from yizhan.demo import fake
from yizhan.demo.places import BUREAU, bureau_and_schools
from yizhan.exchange import assignments, balance, teachers
from yizhan.exchange.models import Area, Assignment, SchoolSite, Teacher
from yizhan.org.models import OrgUnit, Role

ORDER = 122
TZ = ZoneInfo("Asia/Shanghai")
TERM = (date(2009, 9, 1), date(2010, 1, 31))
ACCOUNTS = [("snj_exchange", Role.TRAINING_OFFICER, BUREAU[0], "神农架教育局 人事股（城乡教师交流）")]
SUBJECTS = ("语文", "数学", "英语", "科学", "音乐", "体育", "美术", "信息技术")
AT = datetime(2009, 8, 20, 10, tzinfo=TZ)


def build(progress) -> None:
    bureau, schools = bureau_and_schools()
    if Teacher.objects.filter(school__parent=bureau).exists():
        return
    rng = random.Random(2009)
    for school, area in schools:
        SchoolSite.objects.get_or_create(school=school, defaults={"area": area})
    n = 0
    for school, area in schools:
        for _i in range(rng.randint(24, 36) if area == Area.TOWN else rng.randint(10, 16)):
            n += 1
            born = date(rng.randint(1952, 1988), rng.randint(1, 12), rng.randint(1, 28))
            resident_id = fake.random_resident_id(rng, "429021", born)
            teachers.register(code=f"SNJ-T{n:04d}", name=fake.person_name(rng),
                              school=school, sex=rng.choice("MF"), birth_year=born.year,
                              subject=rng.choice(SUBJECTS[:3] if rng.random() < 0.6 else SUBJECTS),
                              resident_id=resident_id, at=AT)
    town = [s for s, a in schools if a == Area.TOWN]
    country = [s for s, a in schools if a == Area.COUNTRY]
    outgoing = list(Teacher.objects.filter(school__in=town).order_by("code"))
    incoming = list(Teacher.objects.filter(school__in=country).order_by("code"))
    for teacher in rng.sample(outgoing, 15):
        assignments.assign(teacher, to_school=rng.choice(country), start=TERM[0], end=TERM[1], at=AT)
    for teacher in rng.sample(incoming, 5):
        assignments.assign(teacher, to_school=rng.choice(town), start=TERM[0], end=TERM[1], at=AT)
    progress(f"城乡教师交流：教师 {n} 人，交流 {Assignment.objects.filter(from_school__parent=bureau).count()} 人次")


def report(write) -> None:
    bureau = OrgUnit.objects.filter(code=BUREAU[0]).first()
    if bureau is None:
        return
    staff = Teacher.objects.filter(school__parent=bureau)
    schools = list(OrgUnit.objects.filter(parent=bureau).order_by("path"))
    areas = dict(SchoolSite.objects.filter(school__in=schools).values_list("school_id", "area"))
    rows = balance.before_and_after(staff, schools, TERM[0])
    write(f"城乡教师交流（神农架林区教育局，{TERM[0]} 至 {TERM[1]}）：教师 {staff.count()} 人，"
          f"交流 {Assignment.objects.filter(teacher__in=staff).count()} 人次")
    for area in (Area.TOWN, Area.COUNTRY):
        before = sum(r["before"].total for r in rows if areas.get(r["school"].pk) == area)
        after = sum(r["after"].total for r in rows if areas.get(r["school"].pk) == area)
        write(f"  {area.label}学校：交流前 {before} 人，交流后 {after} 人")
    for r in rows:
        write(f"  {r['school'].name}：{r['before'].total} → {r['after'].total} 人"
              f"（英语 {r['before'].subject['英语']} → {r['after'].subject['英语']}）")
