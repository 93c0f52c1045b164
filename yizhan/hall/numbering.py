"""Case numbers printed on the receipt: PREFIX-YYYYMMDD-NNNNN, the local date of receipt and a daily
sequence (e.g. KP-20100301-00042). The prefix is the setting YIZHAN_CASE_PREFIX (default "KP")."""

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from yizhan.calendar.workdays import local_date
from yizhan.clock import rows
from yizhan.hall.models import CaseSequence


def case_prefix() -> str:
    return getattr(settings, "YIZHAN_CASE_PREFIX", "KP")


def next_case_no(at: datetime, prefix: str | None = None) -> str:
    """Allocate the next number for the local date of `at`. Call inside the transaction that creates
    the case: the sequence row stays locked until it commits (PostgreSQL row lock; SQLite serialises
    write transactions), so two clerks never get the same number and no number is lost on rollback.
    Another `prefix` numbers something else the same way (appointments: YY-20100301-00001)."""
    prefix, day = prefix or case_prefix(), local_date(at)
    last = _increment(prefix, day)
    if last is None:
        # First case of the day: a concurrent creator makes the insert fail; then increment theirs.
        try:
            with transaction.atomic():
                CaseSequence.objects.create(prefix=prefix, day=day, last=1)
            last = 1
        except IntegrityError:
            last = _increment(prefix, day)
    return f"{prefix}-{day:%Y%m%d}-{last:05d}"


INCREMENT = 'UPDATE "hall_casesequence" SET "last" = "last" + 1 WHERE "prefix" = %s AND "day" = %s RETURNING "last"'
DAY = CaseSequence._meta.get_field("day")


def _increment(prefix: str, day: date) -> int | None:
    """The day's sequence moved on by one, in one statement; None when the day has no sequence yet."""
    row = rows.execute(INCREMENT, [prefix, DAY.get_db_prep_save(day, connection)], "one")
    return None if row is None else row[0]
