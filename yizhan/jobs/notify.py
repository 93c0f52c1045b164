"""The one way Yizhan sends a message: mail through Django's mail settings, SMS through the configured
SMSSender. Each message has a key naming what it is about; a key already sent is not sent again, so a
job that sends reminders can be retried or run twice. To send from a request without waiting, queue
the `jobs.notify` job (yizhan.jobs.tasks)."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from yizhan.jobs.models import Notification
from yizhan.jobs.sms import sender


def send(key: str, channel: str, recipient: str, body: str, subject: str = "") -> bool:
    """Send the message unless `key` was sent already; True if it was sent now. The record is written
    in the transaction that sends, so a failed send leaves none and the retry sends again; a second
    sender of the same key meets the unique key and stands back."""
    channel = Notification.Channel(channel)
    if Notification.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            Notification.objects.create(key=key, channel=channel, recipient=recipient, subject=subject,
                                        body=body, sent_at=timezone.now())
            if channel == Notification.Channel.MAIL:
                send_mail(subject, body, None, [recipient], fail_silently=False)
            else:
                sender().send(recipient, body)
    except IntegrityError:
        return False
    return True
