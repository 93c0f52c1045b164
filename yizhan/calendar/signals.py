from django.dispatch import Signal

# Sent inside the transaction that changed the calendar, with `dates`: the days whose status changed.
calendar_changed = Signal()


def override_saved_or_deleted(sender, instance, **kwargs) -> None:
    from yizhan.calendar.workdays import invalidate

    invalidate()
    if not kwargs.get("raw"):
        calendar_changed.send(sender=sender, dates=[instance.date])


def year_saved_or_deleted(sender, instance, **kwargs) -> None:
    from yizhan.calendar.workdays import invalidate

    invalidate()
