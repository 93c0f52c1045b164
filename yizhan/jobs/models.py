"""What the background work leaves behind: each run of a job, each scheduled period, each message sent."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One attempt at one job, whatever backend ran it (the database queue or RQ on Redis)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("运行中")
        SUCCEEDED = "succeeded", _("成功")
        FAILED = "failed", _("失败")
        SKIPPED = "skipped", _("已跳过（同一键已成功）")

    job = models.CharField(_("任务"), max_length=100)
    key = models.CharField(_("幂等键"), max_length=200, blank=True,
                           help_text=_("同一任务同一键只成功运行一次（定时任务的键是它的周期）"))
    attempt = models.PositiveSmallIntegerField(_("第几次尝试"), default=1)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    task_id = models.CharField(_("队列任务编号"), max_length=64, blank=True)
    backend = models.CharField(_("后端"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    result = models.JSONField(_("结果"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    retry_at = models.DateTimeField(_("重试时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("任务运行记录")
        verbose_name_plural = _("任务运行记录")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["job", "key", "status"])]

    def __str__(self) -> str:
        return f"{self.job} {self.key} #{self.attempt} {self.status}"


class PeriodicRun(models.Model):
    """A period for which a scheduled job was started: unique, so that several workers (or machines)
    start it once."""

    job = models.CharField(_("任务"), max_length=100)
    period = models.DateTimeField(_("周期开始"))
    task_id = models.CharField(_("队列任务编号"), max_length=64, blank=True)
    enqueued_at = models.DateTimeField(_("排队时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("定时任务周期")
        verbose_name_plural = _("定时任务周期")
        ordering = ["-period", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="jobs_periodic_once")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.period:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """A message sent by mail or SMS. Its key names what it is about (a case's red warning, say), so
    that a retry or a second worker never sends it twice."""

    class Channel(models.TextChoices):
        MAIL = "mail", _("邮件")
        SMS = "sms", _("短信")

    key = models.CharField(_("键"), max_length=200, unique=True)
    channel = models.CharField(_("渠道"), max_length=4, choices=Channel.choices)
    recipient = models.CharField(_("收件人"), max_length=254)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    sent_at = models.DateTimeField(_("发送时间"))

    class Meta:
        verbose_name = _("已发送通知")
        verbose_name_plural = _("已发送通知")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}: {self.subject or self.body[:30]}"


class Hold(models.Model):
    """The periodic schedule waits while a hold is in force: history is being written in bulk (the
    demo city's build, a large import), and a sweep or a detection run over half-written history would
    record breaches and alarms that never happened. A hold lapses at `until` unless renewed, so one
    left by a process that was killed does not stop the schedule for good."""

    reason = models.CharField(_("原因"), max_length=200)
    since = models.DateTimeField(_("开始时间"))
    until = models.DateTimeField(_("有效至"))

    class Meta:
        verbose_name = _("定时任务暂停")
        verbose_name_plural = _("定时任务暂停")
        ordering = ["-since"]

    def __str__(self) -> str:
        return f"{self.reason} ({self.since:%Y-%m-%d %H:%M} – {self.until:%H:%M})"
