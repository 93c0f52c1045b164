"""The figures the public pages show (landing page, hall board): the same hall figures, computed at
most once per YIZHAN_PUBLIC_FIGURES_SECONDS for all server processes, since anyone may ask for them
without signing in."""

from datetime import date
from typing import Any

from django.conf import settings

from yizhan.hall.stats import hall_figures
from yizhan.sharedcache import remember


def public_figures(first: date, last: date) -> dict[str, Any]:
    """`hall_figures(first, last).as_dict()` for the whole center, shared and briefly cached."""
    return remember(f"hall:public-figures:{first.isoformat()}:{last.isoformat()}",
                    settings.YIZHAN_PUBLIC_FIGURES_SECONDS, lambda: hall_figures(first, last).as_dict())
