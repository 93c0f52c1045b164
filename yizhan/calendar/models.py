from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayOverride(models.Model):
    """A day whose status differs from the library's official calendar.

    `imported`: part of a year's State Council schedule loaded by the operator (a year the installed
    chinesecalendar does not know yet). `local`: a local decision (e.g. a typhoon closure, an extra
    working day), which wins over everything else."""

    # Set on the instance being saved by the calendar's signals (yizhan.calendar.signals): the day it
    # covered before an edit, and the deadlines the change moved (for the change's audit event).
    previous_date: date | None
    moved: list[dict]

    class Source(models.TextChoices):
        IMPORTED = "imported", _("国务院安排（导入）")
        LOCAL = "local", _("本地调整")

    date = models.DateField(_("日期"))
    is_workday = models.BooleanField(_("是否工作日"))
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.LOCAL)
    reason = models.CharField(_("事由"), max_length=200)
    changed_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历调整")
        verbose_name_plural = _("日历调整")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["date", "source"], name="calendar_override_unique")]

    def __str__(self) -> str:
        kind = _("上班") if self.is_workday else _("休息")
        return f"{self.date} {kind} {self.reason}"


class CalendarYear(models.Model):
    """A year whose official schedule was imported, so its days are no longer provisional."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source_note = models.CharField(_("依据"), max_length=300, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"))
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已导入年份")
        verbose_name_plural = _("已导入年份")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
