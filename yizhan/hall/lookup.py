"""The applicant's case lookup (办件查询): the case number printed on the receipt plus the last four
digits of the applicant's phone or ID number shows the case's state, its timeline and its deadline —
and nothing else about the applicant or the staff.

Wrong guesses are counted per client address and per case number in Django's cache, which every
server process shares (the database cache or Redis in production). After YIZHAN_LOOKUP_FREE_TRIES
wrong guesses each further one must wait, twice as long each time (2 s, 4 s, 8 s, … up to
YIZHAN_LOOKUP_MAX_WAIT): four digits have 10,000 values, so guessing is slowed to days, while a
person who mistypes twice loses nothing. A right answer does not reset the counts (one's own case
would otherwise buy free tries at every other). Every wrong guess is logged and written to the audit log.
An unknown case number is answered exactly like a wrong suffix, so a guess learns nothing."""

import logging
import math
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yizhan.errors import InvalidInput, RuleError
from yizhan.hall.case_detail import public_status
from yizhan.hall.models import Case, CaseState, Rating, RatingSource
from yizhan.hall.pauses import pauses_of
from yizhan.hall.ratings import can_rate, rate_case
from yizhan.hall.service import audit, resolve_at

logger = logging.getLogger("yizhan.hall.lookup")
KEY = "yizhan:lookup:"
# The counters outlive the longest wait, so a patient guesser is still slowed down.
COUNTER_SECONDS = 24 * 3600


class LookupFailed(RuleError):
    default_rule = "lookup_failed"
    http_status = 404


class TooManyTries(RuleError):
    default_rule = "too_many_tries"
    http_status = 429

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(_("错误次数过多，请 %(s)d 秒后再试") % {"s": retry_after}, field="last4")


def client_address(request: Any) -> str:
    """The address a request came from, as the counters know it. Behind a reverse proxy, the proxy
    must set REMOTE_ADDR (e.g. gunicorn's --forwarded-allow-ips), never a header the client can forge."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def suffix_matches(case: Case, last4: str) -> bool:
    """The last four digits of the phone, or the last four characters of the ID number (X counts)."""
    phone = _digits(case.applicant_phone)
    ident = case.applicant_id.upper()
    return (len(phone) >= 4 and phone[-4:] == last4) or (len(ident) >= 4 and ident[-4:] == last4)


def _keys(client: str, case_no: str) -> list[str]:
    return [f"{KEY}client:{client}", f"{KEY}case:{case_no}"]


def _wait_left(keys: list[str], now: float) -> int:
    untils = [u for u in cache.get_many([f"{k}:until" for k in keys]).values() if u]
    return max((math.ceil(u - now) for u in untils), default=0)


def _count_failure(keys: list[str], now: float) -> int:
    free = getattr(settings, "YIZHAN_LOOKUP_FREE_TRIES", 3)
    cap = getattr(settings, "YIZHAN_LOOKUP_MAX_WAIT", 900)
    worst = 0
    for key in keys:
        cache.add(key, 0, COUNTER_SECONDS)
        try:
            failures = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, COUNTER_SECONDS)
            failures = 1
        worst = max(worst, failures)
        if failures > free:
            wait = min(2 ** (failures - free), cap)
            cache.set(f"{key}:until", now + wait, wait)
    return worst


def failures(client: str, case_no: str) -> int:
    """Wrong guesses counted against the client or the case number (for the screens and the tests)."""
    return max((v or 0 for v in cache.get_many(_keys(client, case_no)).values()), default=0)


def find_case(case_no: str, last4: str, *, client: str, at: datetime | None = None) -> Case:
    """The case, if `last4` matches it. Raises TooManyTries while the client or the case number must
    wait, LookupFailed for an unknown number or a wrong suffix (counted, logged), InvalidInput when
    the input cannot be a guess at all."""
    at = resolve_at(at)
    case_no, last4 = (case_no or "").strip(), (last4 or "").strip().upper()
    if not case_no:
        raise InvalidInput(_("请输入办件编号"), field="case_no", rule="required")
    if len(last4) != 4 or any(ch not in "0123456789X" for ch in last4):
        raise InvalidInput(_("请输入手机号或证件号码的后 4 位"), field="last4", rule="last4_format")
    keys, now = _keys(client, case_no), at.timestamp()
    wait = _wait_left(keys, now)
    if wait > 0:
        raise TooManyTries(wait)
    case = Case.objects.select_related("matter", "promised_timer").filter(case_no=case_no).first()
    if case is None or not suffix_matches(case, last4):
        count = _count_failure(keys, now)
        logger.warning("case lookup failed: case_no=%s client=%s failures=%d", case_no, client, count)
        with transaction.atomic():
            audit("hall.lookup.failed", ("hall.case", case_no), actor=None, actor_label=f"lookup:{client}", at=at,
                  client=client, failures=count, known=case is not None)
        raise LookupFailed(_("办件编号或后四位不正确"), field="last4")
    # A right guess resets nothing: the counts expire on their own (COUNTER_SECONDS).
    return case


# What the applicant's timeline calls each step; dates only, never who did it.
STEP_LABELS = {
    "received": _("收件"),
    "notice": _("出具一次性告知书"),
    "accepted": _("受理"),
    "paused": _("暂停计时"),
    "resumed": _("恢复计时"),
    "decided": _("作出决定"),
    "completed": _("办结"),
    "withdrawn": _("撤回"),
    "refused_to_accept": _("不予受理"),
    "rated": _("评价"),
}


def timeline(case: Case) -> list[dict[str, Any]]:
    steps: list[tuple[datetime, str, str]] = [(case.received_at, "received", "")]
    steps += [(n.issued_at, "notice", "") for n in case.notices.all()]
    if case.accepted_at:
        steps.append((case.accepted_at, "accepted", ""))
    for pause in pauses_of(case):
        steps.append((pause["started_at"], "paused", pause["reason_label"]))
        if pause["ended_at"]:
            steps.append((pause["ended_at"], "resumed", ""))
    if case.decided_at and case.state != CaseState.COMPLETED:
        steps.append((case.decided_at, "decided", ""))
    if case.completed_at:
        steps.append((case.completed_at, "completed", ""))
    elif case.state in (CaseState.WITHDRAWN, CaseState.REFUSED_TO_ACCEPT) and case.closed_at:
        steps.append((case.closed_at, str(case.state), ""))
    rating = Rating.objects.filter(case=case).first()
    if rating is not None:
        steps.append((rating.rated_at, "rated", str(rating.get_score_display())))
    steps.sort(key=lambda s: s[0])
    return [{"at": at, "step": step, "label": str(STEP_LABELS[step]), "note": note} for at, step, note in steps]


def public_view(case: Case) -> dict[str, Any]:
    """State, timeline and deadline; whether it can still be rated. No name, number, phone or staff."""
    return {**public_status(case), "timeline": timeline(case), "can_rate": can_rate(case)}


def lookup_case(case_no: str, last4: str, *, client: str, at: datetime | None = None) -> dict[str, Any]:
    return public_view(find_case(case_no, last4, client=client, at=at))


def rate_by_lookup(case_no: str, last4: str, *, score: int, comment: str = "", client: str,
                   at: datetime | None = None) -> Rating:
    """Rate from the lookup page: the same proof of holding the case as looking it up."""
    case = find_case(case_no, last4, client=client, at=at)
    return rate_case(case, score=score, comment=comment, source=RatingSource.LOOKUP, at=at)
