"""Reminders before the year ends to the people short of their post's hours: one message a month
per person (the notification key names the person and the month, so a second run of the day, or a
retry, sends nothing new), by SMS when the person has a mobile number, else by mail."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from yizhan.calendar.workdays import local_date
from yizhan.jobs import job, notify
from yizhan.jobs.models import Notification
from yizhan.training.records import Shortfall, shortfalls

# The scheduled job reminds in the last quarter; the command reminds whenever it is run.
FIRST_MONTH = 10


@dataclass(frozen=True)
class Sent:
    short: int
    sent: int
    unreachable: int


def message(short: Shortfall, day: date) -> str:
    return _("%(n)s：您 %(y)d 年的培训学时为 %(d)s，岗位（%(p)s）要求 %(r)s，尚差 %(m)s 学时，请在年底前完成。") % {
        "n": short.trainee.name, "y": day.year, "d": short.done, "p": short.trainee.post, "r": short.required,
        "m": short.missing}


def send_reminders(day: date) -> Sent:
    sent = unreachable = 0
    short = shortfalls(day.year)
    for item in short:
        person = item.trainee
        key = f"training.remind:{person.pk}:{day:%Y-%m}"
        if person.phone:
            sent += notify.send(key, Notification.Channel.SMS, person.phone, message(item, day))
        elif person.email:
            sent += notify.send(key, Notification.Channel.MAIL, person.email, message(item, day),
                                subject=_("培训学时提醒"))
        else:
            unreachable += 1
    return Sent(len(short), sent, unreachable)


@job("training.remind", every=timedelta(days=1), offset=timedelta(hours=9))
def remind_job() -> dict:
    """Daily at 09:00; sends only from October on (the messages are monthly per person)."""
    today = local_date(timezone.now())
    if today.month < FIRST_MONTH:
        return {"skipped": today.isoformat()}
    result = send_reminders(today)
    return {"short": result.short, "sent": result.sent, "unreachable": result.unreachable}
