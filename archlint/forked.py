"""Work shared with a forked child on a second core: Linux only, never with another thread running.

`shared(count, work, encode, decode, order)` does `work(index)` for every index: this process takes them in
`order` from the first on, a forked child from the last back, each marking what it takes in memory both see, until
they meet. Neighbours in `order` should share what they compute on first use (the rules of one concern, one cached
analysis): each process then computes little of it twice. Both processes may take the index where they meet: the work is then done twice and
this process keeps its own result. The child sends back what it made, each result encoded on its own into plain
values that marshal carries; a result it could not encode, and anything a child that failed or was killed did not
deliver, is simply done here. The results come back in index order, as a loop would give them: which process did
which index changes nothing but the time.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

Result = TypeVar("Result")


def available() -> bool:
    """Linux with two cores or more for this process (fork without exec is not safe on macOS, absent on Windows),
    and no other thread running (a program that uses archlint as a library might hold a lock a child would wait
    on forever)."""
    threading = sys.modules.get("threading")
    alone = threading is None or threading.active_count() == 1
    return alone and sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) > 1


def shared(count: int, work: Callable[[int], Result], encode: Callable[[Result], Any],
           decode: Callable[[Any], Result], order: list[int] | None = None, reserved: int = 0,
           meanwhile: Callable[[], object] | None = None) -> list[Result]:
    """`[work(i) for i in range(count)]`, shared with a forked child when one can be had; `order` (every index
    once) is the order the indices are taken in. The last `reserved` indices of `order` are the child's: this
    process does not take them (work that imports what this process need not, such as NetworkX), and does only
    those the child did not deliver. `meanwhile`, when a child is forked, is run here first, before this process
    takes any index: work the run needs later anyway, done while the child works alone (not run without a child)."""
    if count < 2 or not available():
        return [work(index) for index in range(count)]
    import mmap

    order = list(range(count)) if order is None else order
    taken = mmap.mmap(-1, count)  # anonymous and shared: one byte per index, set by whoever takes it
    results, sender = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: take from the end, send, and leave without running the parent's exit handlers
        code = 1
        try:
            os.close(results)
            made = {}
            for index in _taking(taken, reversed(order)):
                try:
                    made[index] = marshal.dumps(encode(work(index)))
                except Exception:  # noqa: BLE001  (not plain values: the parent does this one again)
                    continue
            with os.fdopen(sender, "wb") as pipe:
                pipe.write(marshal.dumps(made))
            code = 0
        finally:
            sys.stderr.flush()
            os._exit(code)
    os.close(sender)
    reader = os.fdopen(results, "rb")
    try:
        if meanwhile is not None:
            meanwhile()
        mine = {index: work(index) for index in _taking(taken, order[:count - reserved])}
        payload = reader.read()
    except BaseException:
        reader.close()  # before waiting: a child still writing gets a broken pipe instead of blocking forever
        os.waitpid(pid, 0)
        taken.close()
        raise
    reader.close()
    taken.close()
    # The child has closed its pipe, so its results are in. Its exit (the unmapping of a copy of this process)
    # takes a few milliseconds on the other core: this process goes on instead of waiting for it, and a child
    # still ending is collected by the next call (the last one by the system, at this process's exit).
    _unreaped.append(pid)
    collect()
    delivered = _delivered(payload)
    return [mine[index] if index in mine else _theirs(delivered.get(index), decode, work, index)
            for index in range(count)]


_unreaped: list[int] = []


def collect() -> None:
    """Collect the exit of every child that has ended (without waiting for the others)."""
    for child in list(_unreaped):
        try:
            done, _ = os.waitpid(child, os.WNOHANG)
        except ChildProcessError:  # collected by someone else (a SIGCHLD handler of a program using archlint)
            done = child
        if done:
            _unreaped.remove(child)


def _taking(taken: Any, order: Iterable[int]) -> Iterator[int]:
    """The indices of `order` until one the other process took, each marked as taken before it is given."""
    for index in order:
        if taken[index]:
            return
        taken[index] = 1
        yield index


def _delivered(payload: bytes) -> dict:
    try:
        delivered = marshal.loads(payload)
    except (ValueError, TypeError, EOFError):
        return {}
    return delivered if isinstance(delivered, dict) else {}


def _theirs(entry: Any, decode: Callable[[Any], Result], work: Callable[[int], Result], index: int) -> Result:
    if isinstance(entry, bytes):
        try:
            return decode(marshal.loads(entry))
        except (ValueError, TypeError, EOFError, IndexError, KeyError):
            pass
    return work(index)
