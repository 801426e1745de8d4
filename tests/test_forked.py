"""Work shared with a forked child (archlint.forked): the results of a plain loop, in its order, whichever
process made each; what the child cannot send, or never sends, is made by the parent."""

from __future__ import annotations

import os
import time

import pytest

from archlint import forked

two_cores = pytest.mark.skipif(not forked.available(), reason="sharing work needs Linux and two cores")


def _same(value):
    return value


def _slow(make):
    """`make` after a few milliseconds: time for the child to start and take its share."""
    def work(index):
        time.sleep(0.005)
        return make(index)
    return work


@two_cores
def test_both_processes_work_and_the_results_come_back_in_index_order():
    parent = os.getpid()
    results = forked.shared(40, _slow(lambda index: (index, os.getpid())), _same, tuple)
    assert [index for index, _ in results] == list(range(40))
    makers = {pid for _, pid in results}
    assert parent in makers and len(makers) == 2  # the child took some from the end
    assert results[0][1] == parent and results[-1][1] != parent


@two_cores
def test_the_order_given_is_the_order_taken_from_both_ends():
    parent = os.getpid()
    order = list(range(1, 40, 2)) + list(range(0, 40, 2))  # odd indices first: the parent's; even: the child's
    results = forked.shared(40, _slow(lambda index: os.getpid()), _same, _same, order)
    assert results[1] == parent and results[0] != parent


@two_cores
def test_a_result_the_child_cannot_send_is_made_by_the_parent():
    parent = os.getpid()
    results = forked.shared(20, _slow(lambda index: (index, os.getpid(), object())), _same, _same)
    assert [index for index, _, _ in results] == list(range(20))
    assert {pid for _, pid, _ in results} == {parent}  # marshal refuses the object: each made again here


@two_cores
def test_a_child_that_dies_delivers_nothing_and_the_parent_does_its_share():
    parent = os.getpid()

    def work(index):
        time.sleep(0.005)
        if os.getpid() != parent:
            os._exit(3)  # killed in the middle of its first piece of work
        return index * index

    assert forked.shared(30, work, _same, _same) == [index * index for index in range(30)]


def test_without_a_second_core_it_is_a_plain_loop(monkeypatch):
    monkeypatch.setattr(forked, "available", lambda: False)
    parent = os.getpid()
    assert forked.shared(5, lambda index: (index, os.getpid()), _same, tuple) == [(i, parent) for i in range(5)]
