"""How far a first start's background build has got, for the landing page to show while it serves.

`yizhan demo` serves at once and builds the demo city in a process beside the server; that process
reports its stage here and every page process reads it. A small JSON file in DATA_DIR, written
atomically (rename), so that a reader never sees half a report and the database's single writer is
left to the build itself."""

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings

# The stages of a first start, in order: the present (the hall's last eight weeks, then the other
# systems with theirs), then the 2010 replay.
PRESENT, SYSTEMS, REPLAY, FINISHED = "present", "systems", "replay", "finished"


@dataclass(frozen=True)
class StartupProgress:
    stage: str  # PRESENT, SYSTEMS, REPLAY or FINISHED
    done: int = 0  # events recorded so far (present, replay)
    total: int = 0  # events planned (present, replay)
    day: str = ""  # the last day recorded, ISO

    @property
    def building(self) -> bool:
        return self.stage != FINISHED

    @property
    def percent(self) -> int | None:
        return None if not self.total else min(100, self.done * 100 // self.total)


def _path() -> Path:
    return Path(settings.DATA_DIR) / "startup-progress.json"


def report(progress: StartupProgress) -> None:
    path = _path()
    scratch = path.with_suffix(f".{os.getpid()}.tmp")
    scratch.write_text(json.dumps(asdict(progress)), encoding="utf-8")
    scratch.replace(path)


def current() -> StartupProgress | None:
    """The latest report, or None when no build was ever reported here (or the report is unreadable)."""
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
        return StartupProgress(**data)
    except (OSError, ValueError, TypeError):
        return None
