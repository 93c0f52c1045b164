"""The hall's scheduled work: the accountability sweep and the overtime-warning reminders."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from yizhan.calendar.workdays import local_tz
from yizhan.clock.warnings import Level
from yizhan.hall.accountability import sweep
from yizhan.hall.early_warnings import open_warnings
from yizhan.hall.labels import purpose_label
from yizhan.jobs import job, notify


@job("hall.accountability_sweep", every=timedelta(minutes=15))
def accountability_sweep() -> dict:
    """Open the accountability records of cases past their statutory deadline (idempotent: sweep)."""
    return {"created": len(sweep())}


@job("hall.warning_reminders", every=timedelta(hours=1))
def warning_reminders() -> dict:
    """Mail each handler once per case, deadline and level (yellow, red, overdue) reached."""
    rows = open_warnings()
    users = {u.get_username(): u for u in get_user_model().objects.filter(
        username__in={r.handler for r in rows if r.handler}).exclude(email="")}
    sent = skipped = 0
    for row in rows:
        user = users.get(row.handler)
        if user is None:
            skipped += 1
            continue
        deadline = row.deadline.astimezone(local_tz())
        subject = _("【超时预警】%(case)s %(level)s") % {"case": row.case_no, "level": Level(row.level).label}
        body = _("办件 %(case)s（%(matter)s，%(window)s）的%(purpose)s将于 %(deadline)s 到期，当前为%(level)s。") % {
            "case": row.case_no, "matter": row.matter, "window": row.window,
            "purpose": purpose_label(row.purpose), "deadline": f"{deadline:%Y-%m-%d %H:%M}",
            "level": Level(row.level).label}
        key = f"hall.warning:{row.case_id}:{row.purpose}:{row.level}"
        if notify.send(key, "mail", user.email, body, subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}"):
            sent += 1
    return {"warnings": len(rows), "sent": sent, "no_address": skipped}
