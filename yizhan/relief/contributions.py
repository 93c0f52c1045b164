"""Money into the fund: contributions recorded one by one (the screen, the API) or imported from a
CSV file, each a posting on the fund's ledger; a wrong one is corrected by a reversing entry.

CSV columns: `kind,contributor,amount` and optionally `staff_no,contributors,received_on,note`;
`kind` is staff (one staff member's contribution), union (the union's transfer of many staff
contributions: `contributors` says how many) or company (the company's grant); `amount` in yuan.
Every broken row is reported with its line and field and nothing is written."""

from datetime import date, datetime, time
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from yizhan import csvrows
from yizhan.audit.log import record
from yizhan.calendar.workdays import local_date, local_tz
from yizhan.clock.moments import resolve_at
from yizhan.csvrows import Rows
from yizhan.errors import InvalidInput
from yizhan.ledger import posting
from yizhan.ledger.models import Entry
from yizhan.ledger.money import check_fen, parse_yuan, yuan
from yizhan.org.scope import require_covers
from yizhan.relief.models import CATEGORY, TREASURERS, Contribution, ContributionKind, Fund
from yizhan.textlimits import field_limit

COLUMNS = ["kind", "contributor", "amount"]
OPTIONAL = ["staff_no", "contributors", "received_on", "note"]
MAX_CONTRIBUTORS = 100_000


def _treasurer(actor: Any, fund: Fund) -> None:
    require_covers(actor, TREASURERS, fund.company, field="fund", rule="treasurer_only",
                   message=_("只有本基金的出纳可以记账"))


def _check(kind: str, contributor: str, contributors: int, staff_no: str, note: str) -> None:
    if kind not in ContributionKind.values:
        raise InvalidInput(_("来源须为 staff、union 或 company"), field="kind", rule="choice")
    for field, value in (("contributor", contributor), ("staff_no", staff_no), ("note", note)):
        if len(value) > field_limit(Contribution, field):
            raise InvalidInput(_("不能超过 %(n)d 个字符") % {"n": field_limit(Contribution, field)}, field=field,
                               rule="max_length")
    if not contributor:
        raise InvalidInput(_("须写明捐款人或单位"), field="contributor", rule="required")
    if not 1 <= contributors <= MAX_CONTRIBUTORS or (kind != ContributionKind.UNION and contributors != 1):
        raise InvalidInput(_("捐款人数须为 1（工会汇缴为 1 至 %(n)d）") % {"n": MAX_CONTRIBUTORS},
                           field="contributors", rule="contributors")


def _book(fund: Fund, kind: str, amount_fen: int, contributor: str, staff_no: str, contributors: int, note: str,
          at: datetime, actor: Any, actor_label: str) -> Contribution:
    entry = posting.post(fund.account, amount_fen, category=CATEGORY[kind], party=contributor,
                         memo=note or str(ContributionKind(kind).label), at=at, actor=actor, actor_label=actor_label)
    contribution = Contribution.objects.create(
        fund=fund, kind=kind, contributor=contributor, staff_no=staff_no, contributors=contributors,
        amount_fen=amount_fen, received_at=at, entry=entry, note=note)
    record("relief.contribution.recorded", contribution, actor=actor, actor_label=actor_label, at=at,
           fund=fund.code, kind=kind, amount_fen=amount_fen, contributors=contributors, entry=entry.pk)
    return contribution


def contribute(fund: Fund, *, kind: str, amount_fen: int, contributor: str, staff_no: str = "",
               contributors: int = 1, note: str = "", at: datetime | None = None, actor: Any = None,
               actor_label: str = "") -> Contribution:
    """Record one contribution and post it to the fund's ledger, in one transaction."""
    at = resolve_at(at)
    _treasurer(actor, fund)
    contributor, staff_no, note = (contributor or "").strip(), (staff_no or "").strip(), (note or "").strip()
    _check(kind, contributor, contributors, staff_no, note)
    check_fen(amount_fen, field="amount_fen")
    with transaction.atomic():
        return _book(fund, kind, amount_fen, contributor, staff_no, contributors, note, at, actor, actor_label)


def correct(contribution: Contribution, *, reason: str, at: datetime | None = None, actor: Any = None,
            actor_label: str = "") -> Entry:
    """Cancel a wrongly recorded contribution with a reversing entry (the ledger is never edited)."""
    _treasurer(actor, contribution.fund)
    with transaction.atomic():
        reversal = posting.reverse(contribution.entry, reason=reason, at=at, actor=actor, actor_label=actor_label)
        record("relief.contribution.reversed", contribution, actor=actor, actor_label=actor_label,
               at=reversal.booked_at, entry=reversal.pk, reason=reason)
    return reversal


def _day(rows: Rows, line: int, row: dict[str, str], default: date, last: date | None) -> date:
    raw = row.get("received_on", "")
    if not raw:
        return default
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        rows.error(line, "received_on", _("日期应写作 YYYY-MM-DD：%(v)s") % {"v": raw[:20]})
        return default
    if day > default:
        rows.error(line, "received_on", _("到账日期不能晚于今天：%(v)s") % {"v": raw})
    elif last is not None and day < last:
        rows.error(line, "received_on", _("到账日期早于台账最后一笔分录（%(d)s）") % {"d": last.isoformat()})
    return day


def import_contributions(fund: Fund, stream: IO[str] | IO[bytes], *, at: datetime | None = None, actor: Any = None,
                         actor_label: str = "import-contributions") -> int:
    """Import a file of contributions; returns how many were posted. Rows are booked by date, each
    on its day at noon (or at `at` when the row gives no date)."""
    at = resolve_at(at)
    _treasurer(actor, fund)
    rows = Rows(stream, COLUMNS, OPTIONAL, codes=("kind", "staff_no"))
    last_entry = fund.account.entries.order_by("-booked_at").values_list("booked_at", flat=True).first()
    last = local_date(last_entry) if last_entry else None
    today = local_date(at)
    parsed = []
    for line, row in rows:
        kind = rows.required(line, row, "kind")
        if kind and kind not in ContributionKind.values:
            rows.error(line, "kind", _("来源须为 staff、union 或 company：%(v)s") % {"v": kind[:20]})
        contributor = rows.required(line, row, "contributor")
        rows.text(line, row, "contributor", field_limit(Contribution, "contributor"))
        rows.text(line, row, "staff_no", field_limit(Contribution, "staff_no"))
        rows.text(line, row, "note", field_limit(Contribution, "note"))
        amount = 0
        if rows.required(line, row, "amount"):
            try:
                amount = parse_yuan(row["amount"], field="amount")
                check_fen(amount, field="amount")
            except InvalidInput as exc:
                rows.error(line, "amount", exc.message)
        count = rows.integer(line, row, "contributors", optional=True, maximum=MAX_CONTRIBUTORS)
        if count is None:
            count = 1
        if count < 1 or (kind and kind != ContributionKind.UNION and count != 1):
            rows.error(line, "contributors", _("捐款人数须为 1（工会汇缴为 1 至 %(n)d）") % {"n": MAX_CONTRIBUTORS})
        day = _day(rows, line, row, today, last)
        parsed.append((day, line, kind, amount, contributor, row.get("staff_no", ""), count, row.get("note", "")))
    rows.raise_if_any()
    if not parsed:
        raise InvalidInput(_("文件中没有捐款记录"), field="file", rule="required")
    with transaction.atomic():
        for day, _line, kind, amount, contributor, staff_no, count, note in sorted(parsed, key=lambda p: p[:2]):
            # Noon of the day received, never later than now nor before the ledger's last entry.
            moment = min(datetime.combine(day, time(12), local_tz()), at)
            if last_entry is not None:
                moment = max(moment, last_entry)
            _book(fund, kind, amount, contributor, staff_no, count, note, moment, actor, actor_label)
    return len(parsed)


def export_ledger(fund: Fund, out: IO[str]) -> int:
    """Write the fund's ledger as CSV (every entry, reversals included); returns the number of rows."""
    writer = csvrows.writer(out)
    writer.writerow(["id", "booked_at", "category", "party", "memo", "amount_yuan", "balance_yuan", "reverses"])
    entries = fund.account.entries.order_by("booked_at", "id")
    n = 0
    for e in entries.iterator():
        writer.writerow([e.pk, e.booked_at.astimezone(local_tz()).isoformat(), e.category, e.party, e.memo,
                         yuan(e.amount_fen).replace(",", ""), yuan(e.balance_after_fen).replace(",", ""),
                         e.reverses_id or ""])
        n += 1
    return n
