"""Text messages to the duty epidemiologist. The sender is pluggable: `YIZHAN_SMS_SENDER` names a
class with `send(phone, text)`; the default writes each message to the log (no gateway configured),
and `MemorySender` keeps them for tests and the demo. A deployment plugs in its SMS gateway's client."""

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("yizhan.sms")


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LogSender:
    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone, text)


class MemorySender:
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySender.outbox.append((phone, text))


def sender() -> SmsSender:
    return import_string(getattr(settings, "YIZHAN_SMS_SENDER", "yizhan.surveillance.sms.LogSender"))()
