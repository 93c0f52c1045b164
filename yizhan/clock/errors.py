from yizhan.errors import RuleError


class ClockError(RuleError, ValueError):
    """An operation the timer's state does not allow (pausing a stopped timer, resuming a running one)."""

    default_rule = "clock"
