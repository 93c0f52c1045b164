"""The visit register as a table: the CSV export of the screen, the API and the command line."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yizhan.ledger.money import yuan
from yizhan.ui.export import Table
from yizhan.visits.models import Visit

HEADERS = [_("走访日期"), _("户号"), _("户主"), _("职工姓名"), _("困难原因"), _("走访人"), _("节日"), _("经费来源"),
           _("慰问金（元）"), _("助学帮困费（元）"), _("合计（元）"), _("备注")]


def visit_rows(visits: QuerySet[Visit]) -> Table:
    rows = [[v.visited_on.isoformat(), v.family.household_no, v.family.head_name, v.family.employee_name,
             v.family.get_reason_display(), v.visitors, v.festival.name if v.festival else "",
             v.budget.code if v.budget else "", yuan(v.consolation_fen), yuan(v.study_aid_fen), yuan(v.total_fen),
             v.note]
            for v in visits.select_related("family", "festival", "budget").order_by("visited_on", "id")]
    return Table("visits", _("走访记录"), HEADERS, rows)
