from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "wd", _("工作日")
    HOURS = "h", _("小时")


@dataclass(frozen=True)
class Limit:
    """A time limit: N working days (counted on the official calendar) or N hours around the clock."""

    amount: int
    unit: LimitUnit = LimitUnit.WORKING_DAYS

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("a time limit cannot be negative")

    @classmethod
    def days(cls, n: int) -> "Limit":
        return cls(n, LimitUnit.WORKING_DAYS)

    @classmethod
    def hours(cls, n: int) -> "Limit":
        return cls(n, LimitUnit.HOURS)

    def __str__(self) -> str:
        return f"{self.amount} {LimitUnit(self.unit).label}"
