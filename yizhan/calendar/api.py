"""The working-day calendar's status: which years carry the State Council schedule, which are
provisional (computed Monday–Friday until their schedule is imported), and today."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from yizhan.api.common import FIRST_DAY, LAST_DAY
from yizhan.api.errors import ERROR_RESPONSES, ApiError
from yizhan.calendar.status import year_statuses
from yizhan.calendar.workdays import current_calendar, local_date

PREFIX = "/calendar"
router = Router(tags=["calendar"])


class YearOut(Schema):
    year: int
    source: str = Field(..., description="official (chinesecalendar), imported, or missing (provisional)")
    note: str


class CalendarStatus(Schema):
    today: date
    today_is_workday: bool
    today_provisional: bool
    overrides: int
    years: list[YearOut]


class YearsQuery(Schema):
    first: int | None = Field(None, alias="from", ge=FIRST_DAY.year, le=LAST_DAY.year,
                              description=f"first year (default: last year), {FIRST_DAY.year}–{LAST_DAY.year}")
    last: int | None = Field(None, alias="to", ge=FIRST_DAY.year, le=LAST_DAY.year,
                             description=f"last year (default: next year), {FIRST_DAY.year}–{LAST_DAY.year}")


@router.get("/status", response={200: CalendarStatus, **ERROR_RESPONSES}, summary="工作日历状态")
def status(request: HttpRequest, q: Query[YearsQuery]):
    """Same information as `yizhan calendar status`."""
    today = local_date(timezone.now())
    first, last = q.first or today.year - 1, q.last or today.year + 1
    if first > last or last - first > 50:
        raise ApiError(422, _("起始年份不能晚于结束年份，且跨度不超过 50 年"), field="from", rule="year_range")
    cal = current_calendar()
    years = [vars(y) for y in year_statuses(first, last)]
    return {"today": today, "today_is_workday": cal.is_workday(today), "today_provisional": cal.is_provisional(today),
            "overrides": len(cal.overrides), "years": years}
