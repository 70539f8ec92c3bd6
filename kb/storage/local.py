"""The data directory on disk: private permissions, and one ingest at a time.

Lessons quote postmortems, which are often confidential: the folder is created 0700 and the
SQLite file 0600 before SQLite opens it (SQLite gives its -wal and -shm files the database
file's permissions). A second ``kb ingest`` on the same data directory used to race the first
one's schema creation and stop with a raw SQL error; a lock file turns that into a clear error.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from kb.errors import BusyError
from kb.settings import Settings
from kb.storage.sqlite_reads import sqlite_file

LOCK_FILE = "ingest.lock"


def private_home(settings: Settings) -> Path:
    """Create the data directory (0700) and the default SQLite file (0600) when missing."""
    home = settings.home
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    database = sqlite_file(settings.resolved_database_url)
    if database is not None and not database.exists():
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another process created it meanwhile
            os.close(os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    return home


@contextlib.contextmanager
def ingest_lock(settings: Settings) -> Iterator[None]:
    """Hold the data directory's ingest lock, or raise :class:`BusyError` if another process has it.

    An advisory ``flock``: the kernel releases it when the holder exits, even on ``kill -9``,
    so a crashed ingest never leaves a stale lock behind.
    """
    import fcntl

    home = private_home(settings)
    fd = os.open(home / LOCK_FILE, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError(
                f"another ingest is running on this knowledge base ({home}); "
                "wait for it to finish and run this one again"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
