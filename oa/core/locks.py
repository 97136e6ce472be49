"""The repository's write lock: one `oa` writer at a time, so numbers, IDs and history appends never
race. `flock` is released by the kernel when the holder dies, so a killed process leaves no stale lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from oa.core.errors import OAError

LOCK_DIR = ".oa"


@contextmanager
def write_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    if timeout is None:
        timeout = float(os.environ.get("OA_LOCK_TIMEOUT", "30"))
    lock_dir = root / LOCK_DIR
    try:
        lock_dir.mkdir(exist_ok=True)
        fd = os.open(lock_dir / "write.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OAError("OA007", f"cannot create the write lock: {exc}", path=LOCK_DIR) from None
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OAError(
                        "OA006",
                        "another oa command is writing in this repository; "
                        f"gave up after {timeout:g} s",
                    ) from None
                time.sleep(0.02)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
