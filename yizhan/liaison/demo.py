"""The Shennongjia education bureau's liaison points (联系点): five leaders each following one
school, a visit a month in 2009 with the problems raised followed up on the clock, and the ten
issues of the campaign brief (简报), one a month from March to December."""

import random
import secrets
import string
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from yizhan.demo.accounts import read_passwords, write_passwords
from yizhan.demo.places import BUREAU, bureau_and_schools
from yizhan.followups import service as followups
from yizhan.followups.models import FollowUp
from yizhan.liaison import briefs, points, visits
from yizhan.liaison.models import BriefIssue, LiaisonPoint, Visit
from yizhan.org.models import OrgUnit, Role, StaffRole

ORDER = 121
TZ = ZoneInfo("Asia/Shanghai")
LEADERS = (("snj_liaison", "张局长"), ("snj_leader2", "李副局长"), ("snj_leader3", "王副局长"),
           ("snj_leader4", "刘纪检组长"), ("snj_leader5", "陈工会主席"))
ACCOUNTS = [("snj_liaison", Role.LIAISON_LEADER, BUREAU[0], "神农架教育局 联系点领导（联系松柏镇第一小学）")]
FINDINGS = ("听课两节，查看教案与作业批改", "检查食堂与寄宿生宿舍", "与青年教师座谈", "查看校车接送与安全台账",
            "检查冬季取暖准备", "了解留守儿童关爱情况", "督查学校布局调整进展")
PROBLEMS = ("寄宿生宿舍缺少热水", "实验器材不足", "校车座位紧张", "取暖煤未到位", "围墙年久失修", "英语教师缺编",
            "操场排水不畅", "图书室藏书陈旧")


def _moment(day: date, hour: int = 16) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def _leader(username: str, name: str, bureau: OrgUnit):
    """The leaders exist before the accounts step, so the demo account's password is kept the same way."""
    user, created = get_user_model().objects.get_or_create(username=username,
                                                           defaults={"first_name": name, "is_staff": True})
    if created:
        if username in {a[0] for a in ACCOUNTS}:
            password = "".join(secrets.choice(string.ascii_letters + string.digits) for _i in range(12))
            user.set_password(password)
            write_passwords({**read_passwords(), username: password})
        else:
            user.set_unusable_password()
        user.save()
    StaffRole.objects.get_or_create(user=user, role=Role.LIAISON_LEADER, unit=bureau)
    return user


def build(progress) -> None:
    bureau, schools = bureau_and_schools()
    if BriefIssue.objects.filter(bureau=bureau).exists():
        return
    rng = random.Random(2010)
    leaders = [_leader(u, n, bureau) for u, n in LEADERS]
    picked = [schools[0][0], schools[3][0], schools[4][0], schools[5][0], schools[7][0]]
    for leader, school in zip(leaders, picked, strict=True):
        point = points.assign(school, leader, started_on=date(2009, 3, 1), at=_moment(date(2009, 3, 2), 9))
        for month in range(3, 13):
            day = date(2009, month, rng.randint(8, 20))
            while day.weekday() >= 5:
                day = day.replace(day=day.day + 1)
            raised = rng.sample(PROBLEMS, rng.choice((0, 1, 1, 2)))
            visit = visits.record_visit(point, visited_on=day, findings=rng.choice(FINDINGS), problems=raised,
                                        at=_moment(day), actor=leader)
            for problem in visit.problems.all():
                if rng.random() < 0.85:  # a few stay open; most done, one in five of them late
                    late = rng.random() < 0.2
                    done = _moment(date.fromordinal(day.toordinal() + (rng.randint(28, 40) if late else
                                                                       rng.randint(5, 18))), 11)
                    followups.complete(problem.follow_up, note="已整改到位", at=done, actor=leader)
    for month in range(3, 13):
        first = date(2009, month, 1)
        last = date(2009, month + 1, 1).replace(day=1) if month < 12 else date(2010, 1, 1)
        last = date.fromordinal(last.toordinal() - 1)
        briefs.issue(bureau, first_day=first, last_day=last, title="联系点工作简报",
                     at=_moment(date.fromordinal(last.toordinal() + 3), 10))
    progress(f"联系点：{LiaisonPoint.objects.filter(school__parent=bureau).count()} 个，"
             f"走访 {Visit.objects.filter(point__school__parent=bureau).count()} 次")


def report(write) -> None:
    bureau = OrgUnit.objects.filter(code=BUREAU[0]).first()
    if bureau is None:
        return
    issues = list(BriefIssue.objects.filter(bureau=bureau).order_by("number"))
    f = followups.figures(FollowUp.objects.filter(kind=visits.FOLLOW_UP_KIND,
                                                            unit__path__startswith=bureau.path),
                          now=_moment(date(2010, 3, 1)))
    write(f"联系点（神农架林区教育局）：{LiaisonPoint.objects.filter(school__parent=bureau).count()} 个联系点，"
          f"走访 {Visit.objects.filter(point__school__parent=bureau).count()} 次，反映问题 {f['total']} 个，"
          f"办结 {f['done']} 个（按时 {f['done_on_time']} 个），简报 {len(issues)} 期")
    for issue in issues:
        e = briefs.entries(issue)
        write(f"  第 {issue.number} 期（{issue.first_day:%Y-%m}）：走访 {len(e['visits'])} 次，问题 {e['problems']} 个，"
              f"办结 {len(e['done'])} 个")
