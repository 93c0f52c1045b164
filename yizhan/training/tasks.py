"""Registers the training reminder job with the jobs app (found by its autodiscovery of tasks.py)."""

from yizhan.training.reminders import remind_job

__all__ = ["remind_job"]
