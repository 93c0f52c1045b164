"""Files that hold personal data (the embedded SQLite database, its data directory, the generated
secret key) are readable by their owner only. Used by the settings, so nothing here imports Django."""

import os
from pathlib import Path

DIR_MODE, FILE_MODE = 0o700, 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and its parents) if missing; make it the owner's only."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    _restrict(path, DIR_MODE)
    return path


def private_file(path: Path, content: str | None = None) -> Path:
    """Create `path` empty (or with `content`) as the owner's only, never readable by others even for
    an instant; an existing file is narrowed to the owner. An empty file is a valid SQLite database."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        fd = os.open(path, flags, FILE_MODE)
    except FileExistsError:
        _restrict(path, FILE_MODE)
        return path
    with os.fdopen(fd, "w") as f:
        if content:
            f.write(content)
    return path


def _restrict(path: Path, mode: int) -> None:
    # A directory given by the operator and owned by someone else (e.g. a mounted volume) is left alone.
    if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o777 != mode:
        path.chmod(mode)
