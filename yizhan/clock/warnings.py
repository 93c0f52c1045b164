"""Warning levels of an open timer (超时预警).

Working days: yellow when at most max(one working day, 20 % of the limit) is left, red on the
deadline day, overdue after it. Hours: yellow when at most max(1 hour, 20 %) is left, red in the last
10 %, overdue after. The shares are settings (YIZHAN_WARNING_POLICY) so a centre can tune them."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yizhan.calendar.workdays import WorkCalendar, local_date
from yizhan.clock.limits import LimitUnit


class Level(models.TextChoices):
    NORMAL = "normal", _("正常")
    YELLOW = "yellow", _("黄色预警")
    RED = "red", _("红色预警")
    OVERDUE = "overdue", _("已超时")
    PAUSED = "paused", _("已暂停计时")
    STOPPED = "stopped", _("已结束")


@dataclass(frozen=True)
class WarningPolicy:
    yellow_share: float = 0.2
    yellow_min_workdays: int = 1
    yellow_min_hours: float = 1.0
    red_share_hours: float = 0.1


def default_policy() -> WarningPolicy:
    return WarningPolicy(**getattr(settings, "YIZHAN_WARNING_POLICY", {}))


class TimerLike(Protocol):
    limit_amount: int
    limit_unit: str
    deadline: datetime
    paused_since: datetime | None
    stopped_at: datetime | None


def warning_level(timer: TimerLike, now: datetime, cal: WorkCalendar, policy: WarningPolicy | None = None) -> Level:
    policy = policy or default_policy()
    if timer.stopped_at is not None:
        return Level.STOPPED
    if timer.paused_since is not None:
        return Level.PAUSED
    if now > timer.deadline:
        return Level.OVERDUE
    if timer.limit_unit == LimitUnit.HOURS:
        left = timer.deadline - now
        limit = timedelta(hours=timer.limit_amount)
        if left <= limit * policy.red_share_hours:
            return Level.RED
        if left <= max(limit * policy.yellow_share, timedelta(hours=policy.yellow_min_hours)):
            return Level.YELLOW
        return Level.NORMAL
    today, last_day = local_date(now), local_date(timer.deadline)
    if today >= last_day:
        return Level.RED
    left_days = cal.workdays_between(today, last_day)
    if left_days <= max(policy.yellow_min_workdays, policy.yellow_share * timer.limit_amount):
        return Level.YELLOW
    return Level.NORMAL
