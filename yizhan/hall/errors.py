"""Errors of the hall engine beyond the shared ones of `yizhan.errors`."""

from yizhan.errors import RuleError


class NoticeRefused(RuleError):
    """A one-time notice that would break Art. 32 (nothing missing, or a material the first notice
    did not list, without a supervisor's override)."""

    default_rule = "notice_refused"
