from django.dispatch import Signal

from yizhan.calendar.workdays import invalidate

# Sent inside the transaction that changed the calendar, with `dates`: the days whose status changed.
# Receivers that move something (the clock moves open deadlines) return a list describing each move.
calendar_changed = Signal()


def announce(sender, dates: list) -> list:
    """Send `calendar_changed` and gather what its receivers moved."""
    return [move for _receiver, moves in calendar_changed.send(sender=sender, dates=dates) for move in moves or ()]


def net_moves(moves: list[dict]) -> list[dict]:
    """Moves gathered over several calendar changes, one per timer: its first old and last new
    deadline; a timer moved back where it was is left out."""
    first: dict = {}
    for move in moves:
        first[move["timer"]] = {**first.get(move["timer"], move), "new": move["new"]}
    return [m for m in first.values() if m["old"] != m["new"]]


def override_about_to_change(sender, instance, **kwargs) -> None:
    """Remembers the day an edited override covered before, since moving it changes that day too."""
    if instance.pk and not kwargs.get("raw"):
        instance.previous_date = sender._base_manager.filter(pk=instance.pk).values_list("date", flat=True).first()


def override_saved_or_deleted(sender, instance, **kwargs) -> None:
    """Keeps on the override what its change moved (`moved`), for the change's audit event."""
    invalidate()
    if not kwargs.get("raw"):
        dates = sorted({instance.date, getattr(instance, "previous_date", None) or instance.date})
        instance.moved = [*getattr(instance, "moved", ()), *announce(sender, dates)]


def year_saved_or_deleted(sender, instance, **kwargs) -> None:
    invalidate()
