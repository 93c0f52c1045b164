import json
import unicodedata
from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from yizhan.hall.stats import FIGURE_KEYS, FIGURE_LABELS, format_value, hall_figures
from yizhan.org.models import OrgUnit

help = "统计：某一时段（含首尾两天，本地日期）、某一机构及其下级的咨询、受理、办结、即办、按时办结等数字"
description = (
    "按统一口径统计行政服务大厅的数字：咨询事项、受理事项、办结事项、即办事项和即办率、按时办结和按时办结率、"
    "时段末超期未办结、问责记录、办理用时中位数（工作日）、有效投诉。--from/--to 为本地日期（含首尾），"
    "--unit 为机构编码（中心、部门或窗口，含其下级），默认全部机构；--json 输出 JSON。"
)


def add_period_arguments(parser) -> None:
    """--from, --to, --unit and --json, shared by the commands that report over a period and a subtree."""
    parser.add_argument("--from", dest="first", metavar="DATE", required=True, help="起始日期，如 2010-03-01")
    parser.add_argument("--to", dest="last", metavar="DATE", required=True, help="截止日期（含当天），如 2010-10-31")
    parser.add_argument("--unit", metavar="CODE", help="机构编码：只统计该部门或窗口（含下级），默认全部")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")


def add_arguments(parser) -> None:
    add_period_arguments(parser)


def parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CommandError(
            _("%(option)s：不是有效的日期（格式 YYYY-MM-DD，如 2010-03-01）：%(value)s")
            % {"option": option, "value": value}
        ) from None


def period_options(options: dict) -> tuple[date, date, OrgUnit | None]:
    """The period and unit from --from/--to/--unit, each checked with an error naming its option."""
    first, last = parse_date(options["first"], "--from"), parse_date(options["last"], "--to")
    if first > last:
        raise CommandError(_("--from 不能晚于 --to：%(first)s > %(last)s") % {"first": first, "last": last})
    unit = None
    if options.get("unit"):
        unit = OrgUnit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(_("--unit：机构编码不存在：%(code)s") % {"code": options["unit"]})
    return first, last, unit


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """Left-justify to a width in terminal columns (a Chinese character takes two)."""
    return text + " " * max(0, width - display_width(text))


def period_title(first: date, last: date, unit: OrgUnit | None) -> str:
    scope = f"{unit.code} {unit.name}" if unit else _("全部机构")
    return _("%(first)s 至 %(last)s，%(scope)s") % {"first": first, "last": last, "scope": scope}


def run(options: dict, stdout) -> None:
    first, last, unit = period_options(options)
    figures = hall_figures(first, last, unit)
    if options.get("json"):
        stdout.write(json.dumps(figures.as_dict(), ensure_ascii=False, indent=2))
        return
    labels = {key: f"{FIGURE_LABELS[key]} {key}" for key in FIGURE_KEYS}
    width = max(display_width(label) for label in labels.values()) + 2
    stdout.write(_("行政服务大厅统计：%(title)s") % {"title": period_title(first, last, unit)})
    for key in FIGURE_KEYS:
        stdout.write(pad(labels[key], width) + format_value(key, getattr(figures, key)))
