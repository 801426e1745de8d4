"""Work shared with a forked child (archlint.forked): the results of a plain loop, in its order, whichever
process made each; what the child cannot send, or never sends, is made by the parent."""

from __future__ import annotations

import os
import time

import pytest

from archlint import forked
from tests.twocores import child_first

two_cores = pytest.mark.skipif(not forked.available(), reason="sharing work needs Linux and two cores")


def _same(value):
    return value


def _shared_by_both(make, directory):
    """`make`, the parent waiting in its first call until the child has begun (tests.twocores)."""
    pause = child_first(directory)

    def work(index):
        pause()
        return make(index)
    return work


@two_cores
def test_both_processes_work_and_the_results_come_back_in_index_order(tmp_path):
    parent = os.getpid()
    results = forked.shared(40, _shared_by_both(lambda index: (index, os.getpid()), tmp_path), _same, tuple)
    assert [index for index, _ in results] == list(range(40))
    makers = {pid for _, pid in results}
    assert parent in makers and len(makers) == 2  # the child took some from the end
    assert results[0][1] == parent and results[-1][1] != parent


@two_cores
def test_the_order_given_is_the_order_taken_from_both_ends(tmp_path):
    parent = os.getpid()
    order = list(range(1, 40, 2)) + list(range(0, 40, 2))  # odd indices first, then even
    results = forked.shared(40, _shared_by_both(lambda index: os.getpid(), tmp_path), _same, _same, order)
    assert results[1] == parent and results[38] != parent  # the first of the order here, the last in the child


@two_cores
def test_meanwhile_runs_here_once_before_this_process_takes_work(tmp_path):
    parent, ran = os.getpid(), []
    pause = child_first(tmp_path)

    def work(index):
        pause()
        return index, os.getpid(), len(ran)

    results = forked.shared(30, work, _same, tuple, meanwhile=lambda: ran.append(os.getpid()))
    assert ran == [parent]
    mine = [seen for _, pid, seen in results if pid == parent]
    assert mine and all(seen == 1 for seen in mine)  # every index here was taken after it had run
    assert any(seen == 0 for _, pid, seen in results if pid != parent)  # the child never runs it


@two_cores
def test_the_child_s_results_are_decoded_as_they_come_while_this_process_still_works(tmp_path):
    parent, pause, decoded, finished = os.getpid(), child_first(tmp_path), [], []

    def work(index):
        pause()
        if os.getpid() == parent:
            time.sleep(0.02)  # slower here than in the child: the child's results come while this process works
            finished.append(time.monotonic())
        else:
            time.sleep(0.005)
        return index

    def decode(value):
        decoded.append(time.monotonic())
        return value

    assert forked.shared(40, work, _same, decode) == list(range(40))
    assert len(finished) >= 2 and decoded and min(decoded) < max(finished)


@two_cores
def test_a_child_never_waits_for_this_process_to_read_what_it_sends():
    parent, big = os.getpid(), "x" * 200_000  # 4 MB in all: far more than a pipe holds

    def work(index):
        return big if os.getpid() != parent else index

    results = forked.shared(20, work, _same, _same, meanwhile=lambda: time.sleep(0.5))
    assert results.count(big) >= 18  # all but the first (or two) were the child's, done while this process slept


def test_meanwhile_is_not_run_without_a_child(monkeypatch):
    monkeypatch.setattr(forked, "available", lambda: False)
    ran = []
    assert forked.shared(5, lambda index: index, _same, _same, meanwhile=lambda: ran.append(1)) == list(range(5))
    assert ran == []


@two_cores
def test_a_result_the_child_cannot_send_is_made_by_the_parent(tmp_path):
    parent = os.getpid()
    results = forked.shared(20, _shared_by_both(lambda index: (index, os.getpid(), object()), tmp_path), _same, _same)
    assert [index for index, _, _ in results] == list(range(20))
    assert {pid for _, pid, _ in results} == {parent}  # marshal refuses the object: each made again here


@two_cores
def test_a_child_that_dies_delivers_nothing_and_the_parent_does_its_share(tmp_path):
    parent, pause = os.getpid(), child_first(tmp_path)

    def work(index):
        pause()
        if os.getpid() != parent:
            os._exit(3)  # killed in the middle of its first piece of work
        return index * index

    assert forked.shared(30, work, _same, _same) == [index * index for index in range(30)]


@two_cores
def test_the_reserved_last_indices_of_the_order_are_the_child_s_and_the_parent_s_if_it_fails():
    parent = os.getpid()

    def slow_child(index):
        if os.getpid() != parent and index == 9:
            time.sleep(0.2)  # the parent is long done with the others: still it leaves 8 and 9 to the child
        return os.getpid()

    results = forked.shared(10, slow_child, _same, _same, reserved=2)
    assert results[:8] == [parent] * 8 and parent not in results[8:]

    def dying_child(index):
        if os.getpid() != parent:
            os._exit(3)
        return index

    assert forked.shared(10, dying_child, _same, _same, reserved=3) == list(range(10))


def test_without_a_second_core_it_is_a_plain_loop(monkeypatch):
    monkeypatch.setattr(forked, "available", lambda: False)
    parent = os.getpid()
    assert forked.shared(5, lambda index: (index, os.getpid()), _same, tuple) == [(i, parent) for i in range(5)]


@two_cores
def test_the_parent_does_not_wait_for_a_child_to_end_and_collects_every_child_that_has(tmp_path, monkeypatch):
    children, fork = [], os.fork

    def recorded_fork():
        pid = fork()
        if pid:
            children.append(pid)
        return pid
    monkeypatch.setattr(os, "fork", recorded_fork)
    for run in range(4):
        (tmp_path / str(run)).mkdir()
        assert forked.shared(20, _shared_by_both(lambda index: index, tmp_path / str(run)), _same, _same) == list(
            range(20))
    assert len(children) == 4 and set(forked._unreaped) <= set(children)
    for pid in set(children) - set(forked._unreaped):  # collected already, by a later call
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    deadline = time.monotonic() + 30
    while forked._unreaped and time.monotonic() < deadline:  # those still ending are collected once they have
        time.sleep(0.01)
        forked.collect()
    assert forked._unreaped == []
