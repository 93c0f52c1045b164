class ClockError(ValueError):
    """An operation the timer's state does not allow (pausing a stopped timer, resuming a running one)."""
