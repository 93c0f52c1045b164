"""Recording a visit: who was visited, when, by whom, and the money given — 慰问金 and 助学帮困费 as
two payments from a budget of the ledger, each entry pointing at the visit, all in the visit's own
transaction. The budget's row is locked first, so a payment the balance does not cover is refused
naming the amount that overdraws it, and nothing is written."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yizhan.audit.log import record
from yizhan.calendar.workdays import local_tz
from yizhan.errors import InvalidInput, NotPermitted
from yizhan.ledger import posting
from yizhan.ledger.models import Account, AccountKind
from yizhan.ledger.money import check_fen, yuan
from yizhan.org.scope import require_covers
from yizhan.textlimits import field_limit
from yizhan.visits.models import VISIT_CHANGE_ROLES, Family, Festival, Visit

CONSOLATION, STUDY_AID = "visit_consolation", "visit_study_aid"
# The two kinds of money a visit gives, by the field that carries each and its ledger category.
KINDS = (("consolation_fen", CONSOLATION), ("study_aid_fen", STUDY_AID))


def _amount(value: Any, field: str) -> int:
    if value in (None, 0):
        return 0
    return check_fen(value, field=field)


def check_covered(family: Family, budget: Account, amounts: dict[str, int]) -> None:
    """Refuse a budget that is not a budget of the family's unit (or above it), and amounts its balance
    does not cover, naming the first amount that overdraws it. The screen calls it as the form is typed;
    record_visit again under the budget's lock."""
    if budget.kind != AccountKind.BUDGET or not family.unit.path.startswith(budget.unit.path):
        raise NotPermitted(_("经费来源须为本单位的预算账户：%(a)s") % {"a": budget.code}, field="budget",
                           rule="not_a_budget_of_the_unit")
    covered = 0
    for field, _category in KINDS:
        covered += amounts.get(field, 0)
        if covered > budget.balance_fen:
            raise InvalidInput(_("预算余额不足：%(a)s 余额 ¥%(b)s，本次共发放 ¥%(x)s") % {
                "a": budget.code, "b": yuan(budget.balance_fen), "x": yuan(sum(amounts.values()))},
                field=field, rule="over_budget_balance")


def record_visit(family: Family, *, visited_on: date, visitors: str, consolation_fen: int = 0,
                 study_aid_fen: int = 0, budget: Account | None = None, festival: Festival | None = None,
                 note: str = "", actor: Any = None, at: datetime | None = None) -> Visit:
    """Record the visit and post its payments. Refuses an empty visitor list, a visit in the future,
    a family struck off the register, an account that is not a budget of the family's company, and a
    payment over the budget's balance (field `consolation_fen` or `study_aid_fen`)."""
    at = at or timezone.now()
    require_covers(actor, VISIT_CHANGE_ROLES, family.unit, field="family", rule="welfare_officer_only",
                   message=_("只有本单位的工会福利干事可以登记走访"))
    visitors = (visitors or "").strip()
    note = (note or "").strip()
    if not visitors:
        raise InvalidInput(_("请填写走访人"), field="visitors", rule="required")
    for name, value in (("visitors", visitors), ("note", note)):
        if len(value) > field_limit(Visit, name):
            raise InvalidInput(_("不能超过 %(n)d 个字符") % {"n": field_limit(Visit, name)}, field=name,
                               rule="max_length")
    if not isinstance(visited_on, date) or visited_on > timezone.localtime(at, local_tz()).date():
        raise InvalidInput(_("走访日期不能晚于今天"), field="visited_on", rule="not_in_future")
    if not family.active:
        raise InvalidInput(_("该家庭已不在困难家庭名册中"), field="family", rule="not_on_register")
    amounts = {"consolation_fen": _amount(consolation_fen, "consolation_fen"),
               "study_aid_fen": _amount(study_aid_fen, "study_aid_fen")}
    total = sum(amounts.values())
    if total and budget is None:
        raise InvalidInput(_("发放慰问金或助学帮困费须选择经费来源"), field="budget", rule="required")
    with transaction.atomic():
        if budget is not None:
            budget = Account.objects.select_for_update().get(pk=budget.pk)
            check_covered(family, budget, amounts)
        visit = Visit.objects.create(family=family, visited_on=visited_on, visitors=visitors, festival=festival,
                                     budget=budget if total else None, note=note, recorded_at=at,
                                     recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                                     **amounts)
        record("visits.visit.recorded", visit, actor=actor, at=at, family=family.household_no,
               visited_on=visited_on, visitors=visitors, budget=budget.code if budget and total else None,
               festival=festival.code if festival else None, **amounts)
        for field, category in KINDS:
            if amounts[field]:
                posting.post(budget, -amounts[field], category=category, source=visit, at=at,
                             party=f"{family.household_no} {family.head_name}", actor=actor,
                             memo=_("%(d)s 走访 %(f)s") % {"d": visited_on.isoformat(), "f": family.head_name})
    return visit
