"""/surveillance/review/: the cards waiting for the CDC's review (审核), soonest deadline first with
the warning level of their clock, and the probable duplicates held beside the card they repeat:
review, settle by the rule (keep the higher diagnosis), keep the other card, not a duplicate, or
restore a deleted card. Every action is the service's, with the person as actor."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from yizhan.clock.warnings import Level
from yizhan.errors import InvalidInput, RuleError
from yizhan.surveillance import deletion, duplicates, returns, review, single_case
from yizhan.surveillance.models import CardState, CaseCard
from yizhan.surveillance.views.common import EPIDEMIOLOGIST
from yizhan.ui.access import require_roles

QUEUE_SIZE = 300
RELATED = ("disease", "reporting_unit", "entered_by_unit", "review_timer", "duplicate_of",
           "duplicate_of__reporting_unit", "kept_card")


def _cards(user):
    return CaseCard.objects.restrict(user).select_related(*RELATED)


def queue_rows(user) -> list[dict]:
    now = timezone.now()
    cards = _cards(user).filter(state__in=(CardState.PENDING, CardState.HELD)).order_by(
        "review_timer__deadline", "pk")[:QUEUE_SIZE]
    rows = []
    candidates = single_case.candidate_diseases()
    for card in cards:
        level = card.review_timer.level(now) if card.review_timer else Level.NORMAL
        row = {"card": card, "level": level, "level_label": Level(level).label}
        if card.state == CardState.HELD and card.duplicate_of is not None:
            row["keeps_held"] = duplicates.keeps_first(card, card.duplicate_of)
        if card.disease_id in candidates and single_case.watch_for(card.disease, card.reporting_unit) is not None:
            # Its signal and 2-hour verification clock (True while the queued check has not run yet).
            signal = single_case.open_signal_for(card)
            row["single_case"] = signal or True
            row["single_case_level"] = Level(signal.timer.level(now)).label if signal and signal.timer else ""
        rows.append(row)
    return rows


@require_roles(*EPIDEMIOLOGIST)
def review_queue(request: HttpRequest) -> HttpResponse:
    rows = queue_rows(request.user)
    deleted = _cards(request.user).filter(state=CardState.DELETED).order_by("-pk")[:50]
    return render(request, "surveillance/queue.html", {
        "rows": rows, "held": sum(1 for r in rows if r["card"].state == CardState.HELD), "deleted": deleted,
        "levels": [(level, Level(level).label, sum(1 for r in rows if r["level"] == level))
                   for level in (Level.OVERDUE, Level.RED, Level.YELLOW, Level.NORMAL)],
    })


def _act(card: CaseCard, action: str, request: HttpRequest) -> str:
    """Run the action; returns the message for the person."""
    actor = request.user
    if action == "review":
        review.review_card(card, actor=actor)
        return gettext("卡片 %(n)s 已审核") % {"n": card.card_no}
    if action == "resolve":
        kept = duplicates.resolve(card, actor=actor)
        return gettext("已按规则处理，保留卡片 %(n)s") % {"n": kept.card_no}
    if action == "keep-other":
        deletion.delete_card(card, kept=card.duplicate_of, actor=actor,
                               reason=request.POST.get("reason", "") or gettext("重复报告"))
        return gettext("已删除卡片 %(n)s，保留 %(k)s") % {"n": card.card_no, "k": card.duplicate_of.card_no}
    if action == "release":
        duplicates.release(card, actor=actor)
        return gettext("卡片 %(n)s 不是重复卡，转入待审核") % {"n": card.card_no}
    if action == "restore":
        deletion.restore(card, actor=actor)
        return gettext("卡片 %(n)s 已恢复") % {"n": card.card_no}
    reason = request.POST.get("reason", "")
    if action == "return":
        returns.return_card(card, reason=reason, actor=actor)
        return gettext("卡片 %(n)s 已退回报告单位") % {"n": card.card_no}
    if action == "exclude":
        review.exclude_card(card, reason=reason, actor=actor)
        return gettext("卡片 %(n)s 已排除") % {"n": card.card_no}
    if action == "delete":
        deletion.delete_card(card, reason=reason, actor=actor)
        return gettext("卡片 %(n)s 已删除") % {"n": card.card_no}
    raise InvalidInput(gettext("未知的操作：%(a)s") % {"a": action}, field="action", rule="choice")


@require_roles(*EPIDEMIOLOGIST)
def card_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("surveillance:review")
    card = get_object_or_404(_cards(request.user), pk=pk)
    if action == "keep-other" and card.duplicate_of is None:
        messages.error(request, gettext("卡片 %(n)s 不是待查的疑似重复卡") % {"n": card.card_no})
        return redirect("surveillance:review")
    try:
        messages.success(request, _act(card, action, request))
    except RuleError as exc:
        messages.error(request, exc.message)
    if request.POST.get("next") == "card":
        return redirect("surveillance:card", pk=card.pk)
    return redirect("surveillance:review")
