"""SMS senders. A deployment points YIZHAN_SMS_BACKEND at a subclass of SMSSender that talks to its
provider (a government SMS gateway, say); the default only writes each message to the log."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("yizhan.sms")


class SMSSender:
    """Send one text message; raise on failure (the job that sent it is then retried)."""

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LoggingSender(SMSSender):
    """Writes the message to the `yizhan.sms` log instead of sending it (demo, tests, no gateway)."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone, text)


def sender() -> SMSSender:
    return import_string(settings.YIZHAN_SMS_BACKEND)()
