"""The jobs Yizhan knows, by name: what to call, how often to retry, and how often to run."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _

from yizhan.errors import InvalidInput


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[..., Any]
    retries: int  # further attempts after a failure
    backoff: timedelta  # delay before the first retry; doubled for each one after
    every: timedelta | None  # run once per period of this length (local time), or only when enqueued
    offset: timedelta  # where in the period it starts, e.g. 02:00 for a daily job

    def retry_delay(self, attempt: int) -> timedelta:
        return self.backoff * 2 ** (attempt - 1)


REGISTRY: dict[str, Job] = {}


def job(name: str, *, retries: int = 3, backoff: timedelta = timedelta(minutes=1), every: timedelta | None = None,
        offset: timedelta = timedelta(0)) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as job `name`. Its keyword arguments and return value must be
    JSON (they travel through the queue and are kept in the run's record). It must be idempotent: a
    retry or a second worker may run it again."""
    if every is not None and every <= timedelta(0):
        raise ValueError(f"job {name}: every must be positive")

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        REGISTRY[name] = Job(name, func, retries, backoff, every, offset)
        return func

    return register


def get(name: str) -> Job:
    try:
        return REGISTRY[name]
    except KeyError:
        raise InvalidInput(_("没有名为 %(n)s 的后台任务") % {"n": name}, field="job", rule="unknown") from None


def periodic() -> list[Job]:
    return [j for j in REGISTRY.values() if j.every is not None]
