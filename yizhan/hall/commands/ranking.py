import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yizhan.hall.commands.stats import add_period_arguments, display_width, pad, period_options, period_title
from yizhan.hall.ranking import WEIGHTS, rank_windows
from yizhan.hall.stats import format_value

help = "标杆窗口评比：按统一口径的统计数字给窗口打分排名"
description = (
    "按时段（含首尾两天，本地日期）给各窗口打分并排名：按时办结率 50 分、即办率 20 分、办件量 30 分"
    "（与最忙窗口相比），每件有效投诉或问责记录扣 10 分，每件超期未办结扣 2 分；同分时依次比较有效投诉、"
    "问责、超期未办结（少者在前）、按时办结率、办结量（高者在前）、窗口编码。时段内没有办结件的窗口不参加排名，"
    "列在最后。--unit 只比较某部门的窗口；--json 输出 JSON。评分办法见 docs/ranking.md。"
)

COLUMNS = (
    ("rank", gettext_lazy("名次")), ("window", gettext_lazy("窗口")), ("name", gettext_lazy("名称")),
    ("score", gettext_lazy("得分")), ("on_time_rate", gettext_lazy("按时办结率")),
    ("on_the_spot_rate", gettext_lazy("即办率")), ("completed", gettext_lazy("办结")),
    ("valid_complaints", gettext_lazy("有效投诉")), ("accountability", gettext_lazy("问责")),
    ("overdue_open", gettext_lazy("超期未办结")),
)


def add_arguments(parser) -> None:
    add_period_arguments(parser)


def _cell(key: str, value) -> str:
    if key == "rank":
        return "—" if value is None else str(value)
    if key == "score":
        return "—" if value is None else f"{value:.2f}"
    if key in ("window", "name"):
        return value
    return format_value(key, value)


def run(options: dict, stdout) -> None:
    first, last, unit = period_options(options)
    rows = [r.as_dict() for r in rank_windows(first, last, unit)]
    if options.get("json"):
        payload = {"first": first.isoformat(), "last": last.isoformat(), "unit": unit.code if unit else None,
                   "weights": WEIGHTS, "windows": rows}
        stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    table = [[str(label) for _key, label in COLUMNS]]
    table += [[_cell(key, row[key]) for key, _label in COLUMNS] for row in rows]
    widths = [max(display_width(line[i]) for line in table) + 2 for i in range(len(COLUMNS))]
    stdout.write(_("标杆窗口评比：%(title)s") % {"title": period_title(first, last, unit)})
    for line in table:
        stdout.write("".join(pad(cell, w) for cell, w in zip(line, widths, strict=True)).rstrip())
    if not rows:
        stdout.write(_("该范围内没有窗口"))
