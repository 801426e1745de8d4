"""The console entry point leaves with os._exit once its output is flushed (archlint._entry): the exit code is the
one sys.exit would give, nothing written is lost, and a reader that goes away early costs no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

_ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def _leaving(code: str) -> subprocess.CompletedProcess:
    program = ("import sys\nfrom archlint._entry import _leave\nsys.stdout.write('out' * 1000)\n"
               f"sys.stderr.write('err')\n_leave({code})\nprint('never')\n")
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=_ENV, timeout=60)


@pytest.mark.parametrize("code, status", [("None", 0), ("0", 0), ("1", 1), ("2", 2)])
def test_the_exit_status_is_sys_exit_s_and_every_byte_written_arrives(code, status):
    done = _leaving(code)
    assert done.returncode == status
    assert done.stdout == "out" * 1000 and done.stderr == "err"


def test_a_message_for_an_exit_is_printed_and_the_status_is_one():
    done = _leaving("'archlint: gone'")
    assert done.returncode == 1 and done.stderr == "errarchlint: gone\n"


def test_a_reader_that_stops_early_costs_no_traceback():
    program = ("import sys\nfrom archlint._entry import _leave\nsys.stdout.write('line\\n' * 200_000)\n_leave(1)\n")
    process = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=_ENV)
    assert process.stdout.readline() == b"line\n"
    process.stdout.close()  # as `archlint check | head -1` does
    _, errors = process.communicate(timeout=60)
    assert errors == b"" and process.returncode in (0, 1)
