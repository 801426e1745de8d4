"""Work shared with a forked child on a second core: Linux only, never with another thread running.

`shared(count, work, encode, decode, order)` does `work(index)` for every index: this process takes them in
`order` from the first on, a forked child from the last back, each marking what it takes in memory both see, until
they meet. Neighbours in `order` should share what they compute on first use (the rules of one concern, one cached
analysis): each process then computes little of it twice. Both processes may take the index where they meet: the work is then done twice and
this process keeps its own result. The child sends back each result as soon as it has made it, encoded on its
own into plain values that marshal carries, and this process decodes what has come between its own pieces of
work (so that decoding costs the time the child is still working, not time after). A result the child could not
encode, and anything a child that failed or was killed did not deliver, is simply done here. The results come
back in index order, as a loop would give them: which process did which index changes nothing but the time.
"""

from __future__ import annotations

import marshal
import os
import struct
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
    takes any index: work the run needs later anyway, done while the child works alone (not run without a child).
    `decode` is called on each of the child's results as it comes, between this process's pieces of work, in no
    particular order: it must not depend on the order (what must happen in index order happens on the results)."""
    if count < 2 or not available():
        return [work(index) for index in range(count)]
    import mmap

    order = list(range(count)) if order is None else order
    taken = mmap.mmap(-1, count)  # anonymous and shared: one byte per index, set by whoever takes it
    results, sender = os.pipe()
    _widen(results)
    pid = os.fork()
    if pid == 0:  # the child: take from the end, send, and leave without running the parent's exit handlers
        code = 1
        try:
            os.close(results)
            # each result is sent at once, for this process to decode while the child goes on; what the pipe
            # cannot take yet waits here, so that the child never waits for this process to read
            os.set_blocking(sender, False)
            unsent = bytearray()
            for index in _taking(taken, reversed(order)):
                try:
                    made = marshal.dumps(encode(work(index)))
                except Exception:  # noqa: BLE001  (not plain values: the parent does this one again)
                    continue
                unsent += _FRAME.pack(index, len(made))
                unsent += made
                _send(sender, unsent)
            os.set_blocking(sender, True)
            _send(sender, unsent)
            os.close(sender)
            code = 0
        finally:
            sys.stderr.flush()
            os._exit(code)
    os.close(sender)
    inbox = _Inbox(results, decode)
    try:
        if meanwhile is not None:
            meanwhile()
        mine = {}
        for index in _taking(taken, order[:count - reserved]):
            mine[index] = work(index)
            inbox.receive()
        inbox.receive(until_closed=True)
    except BaseException:
        os.close(results)  # before waiting: a child still writing gets a broken pipe instead of blocking forever
        os.waitpid(pid, 0)
        taken.close()
        raise
    os.close(results)
    taken.close()
    # The child has closed its pipe, so its results are in. Its exit (the unmapping of a copy of this process)
    # takes a few milliseconds on the other core: this process goes on instead of waiting for it, and a child
    # still ending is collected by the next call (the last one by the system, at this process's exit).
    _unreaped.append(pid)
    collect()
    theirs = inbox.decoded
    return [mine[index] if index in mine else theirs[index] if index in theirs else work(index)
            for index in range(count)]


#: A result's frame on the pipe: its index and the length of its marshal data, which follows.
_FRAME = struct.Struct("<IQ")


def _send(fd: int, unsent: bytearray) -> None:
    """Write what `fd` takes of `unsent` (all of it, on a blocking pipe), and drop that from `unsent`."""
    written = 0
    try:
        while written < len(unsent):
            written += os.write(fd, memoryview(unsent)[written:])
    except BlockingIOError:
        pass
    del unsent[:written]


def _widen(fd: int) -> None:
    """Give the pipe a buffer of 1 MB (Linux's usual limit for a user) instead of 64 KB, so that the child's
    results wait in the pipe rather than in the child while this process works."""
    import fcntl

    try:
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except OSError:
        pass


class _Inbox:
    """The child's results as they arrive on the pipe `fd`, decoded with `decode` (one that cannot be decoded is
    left out: this process makes it again)."""

    def __init__(self, fd: int, decode: Callable[[Any], Any]) -> None:
        self.fd, self.decode = fd, decode
        self.decoded: dict[int, Any] = {}
        self._pending = bytearray()
        os.set_blocking(fd, False)

    def receive(self, until_closed: bool = False) -> None:
        """Decode the complete results that have come; with `until_closed`, wait for all until the child closes
        the pipe (its last result, or its end)."""
        if until_closed:
            os.set_blocking(self.fd, True)
        while True:
            try:
                data = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                break
            if not data:
                break
            self._pending += data
            self._decode_complete()

    def _decode_complete(self) -> None:
        pending, start = self._pending, 0
        while len(pending) - start >= _FRAME.size:
            index, length = _FRAME.unpack_from(pending, start)
            end = start + _FRAME.size + length
            if len(pending) < end:
                break
            try:
                self.decoded[index] = self.decode(marshal.loads(pending[start + _FRAME.size:end]))
            except (ValueError, TypeError, EOFError, IndexError, KeyError):
                pass
            start = end
        del pending[:start]


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
