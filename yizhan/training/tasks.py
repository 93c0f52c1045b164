"""Registers the training reminder job with the jobs app (found by `yizhan.plugins.app_modules("tasks")`)."""

from yizhan.training.reminders import remind_job

__all__ = ["remind_job"]
