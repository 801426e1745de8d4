"""For tests of work shared with a forked child (archlint.forked): a pause that makes each process wait, in its
first piece of work, until the other has begun one, so that each surely takes a share (the parent its first
index, the child its last) however busy the machine is."""

from __future__ import annotations

import os
import time
from pathlib import Path


def child_first(directory: Path):
    """A function to call at the start of each piece of work: the first call in each process leaves its mark,
    then waits (ten seconds at most) for the other process's mark."""
    parent = os.getpid()
    marks = {True: directory / "parent-began", False: directory / "child-began"}

    def pause() -> None:
        mine = os.getpid() == parent
        if marks[mine].exists():
            return
        marks[mine].touch()
        deadline = time.monotonic() + 10
        while not marks[not mine].exists() and time.monotonic() < deadline:
            time.sleep(0.001)

    return pause
