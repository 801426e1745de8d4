"""What the application-code scanner reports, call by call and loop by loop (and what it stays silent on)."""

from __future__ import annotations

import textwrap
import warnings

import pytest

with warnings.catch_warnings():  # libcst 1.0 imports a deprecated mypy_extensions.TypedDict
    warnings.simplefilter("ignore", DeprecationWarning)
    from archlint.loaders.appcode.scan import scan

from archlint.loaders.appcode.aws import clients_without_retries
from archlint.loaders.appcode.http import calls_without_timeout
from archlint.loaders.appcode.retries import retry_loops_without_backoff

HEAD = ("import asyncio, itertools, os, random, subprocess, time\n"
        "import aiohttp, boto3, botocore.session, httpx, requests, urllib3\n"
        "from botocore.config import Config\nfrom urllib.request import urlopen\n")


def _found(check, body: str) -> list[tuple]:
    """(line counted from the body's first line, call, detail) of each fact."""
    offset = HEAD.count("\n")
    return [(f["line"] - offset, f["call"], f["detail"]) for f in check(scan("app.py", (HEAD + textwrap.dedent(
        body)).encode()))]


NO, NONE = "without a timeout", "with timeout=None"

HTTP = {
    "aliases": ("import requests as r\nr.get(u)\nfrom requests import post as p\np(u, timeout=3)\n",
                [(2, "requests.get", NO)]),
    "kwargs may hold the timeout": ("requests.request('GET', u, **options)\n", []),
    "a name bound to None": ("T = None\nrequests.get(u, timeout=T)\n", [(2, "requests.get", NONE)]),
    "a class attribute": ("class C:\n    s = requests.Session()\n    def f(self):\n        self.s.get(u)\n",
                          [(4, "requests.Session.get", NO)]),
    "a chained session": ("requests.Session().get(u)\n", [(1, "requests.Session.get", NO)]),
    "a session parameter is unknown": ("def f(s):\n    s.get(u)\n", []),
    "a name bound twice is unknown": ("s = requests.Session()\ns = other()\ns.get(u)\n", []),
    "objects archlint cannot follow": ("session = make_session()\nsession.get(u)\nclient.get(u)\n", []),
    "httpx defaults to 5 s": ("httpx.get(u)\nhttpx.Client().get(u)\n", []),
    "httpx without a timeout": ("c = httpx.Client(timeout=None)\nhttpx.Timeout(None, connect=5)\nhttpx.Timeout(10)\n",
                                [(1, "httpx.Client", NONE), (2, "httpx.Timeout", "with no read timeout")]),
    "urllib3 pool timed per request": ("pool = urllib3.PoolManager()\npool.request('GET', u, timeout=2)\n", []),
    "urllib3 pool with a timeout": ("pool = urllib3.PoolManager(timeout=urllib3.Timeout(5))\npool.request('GET', u)\n",
                                    []),
    "urllib3.request defaults to 3 s": ("urllib3.request('GET', u)\nurllib3.request('GET', u, timeout=None)\n",
                                        [(2, "urllib3.request", NONE)]),
    "urlopen": ("urlopen(u)\nurlopen(u, None, 5)\n", [(1, "urllib.request.urlopen", NO)]),
    "aiohttp": ("async def f():\n    async with aiohttp.ClientSession() as s:\n        await s.get(u)\n"
                "        await s.get(u, timeout=None)\n    aiohttp.ClientSession(timeout=None)\n"
                "    aiohttp.ClientTimeout(total=None)\n    aiohttp.ClientTimeout(total=None, sock_read=30)\n",
                [(4, "aiohttp.ClientSession.get", NONE), (5, "aiohttp.ClientSession", NONE),
                 (6, "aiohttp.ClientTimeout", "without total or sock_read")]),
}

_CONSTANT = "a constant time.sleep(1) between attempts"
LOOPS = {
    "constant sleep": ("for n in range(3):\n    try:\n        return requests.get(u, timeout=2)\n"
                       "    except OSError:\n        time.sleep(1)\n", [(1, "requests.get", _CONSTANT)]),
    "no sleep": ("while True:\n    try:\n        client.send(m)\n        break\n    except OSError:\n"
                 "        continue\n", [(1, "client.send", "no sleep between attempts")]),
    "itertools.count": ("for n in itertools.count():\n    try:\n        return fetch()\n    except OSError:\n"
                        "        time.sleep(1)\n", [(1, "fetch", _CONSTANT)]),
    "constant asyncio.sleep": ("async def f():\n    while True:\n        try:\n            return await fetch()\n"
                               "        except OSError:\n            await asyncio.sleep(0.2)\n",
                               [(2, "fetch", "a constant asyncio.sleep(0.2) between attempts")]),
    "reset to a constant": ("while True:\n    delay = 1\n    try:\n        return fetch()\n    except OSError:\n"
                            "        time.sleep(delay)\n",
                            [(1, "fetch", "a constant time.sleep(delay) between attempts")]),
    "growing delay": ("delay = 0.1\nwhile True:\n    try:\n        return fetch()\n    except OSError:\n"
                      "        time.sleep(delay)\n        delay *= 2\n", []),
    "exponent": ("for n in range(5):\n    try:\n        return fetch()\n    except OSError:\n"
                 "        time.sleep(2 ** n)\n", []),
    "jitter": ("for n in range(5):\n    try:\n        return fetch()\n    except OSError:\n"
               "        time.sleep(1 + random.random())\n", []),
    "a delay archlint cannot follow": ("while True:\n    try:\n        return fetch()\n    except OSError:\n"
                                       "        time.sleep(policy.next_delay())\n", []),
    "a list, not a retry": ("for item in items:\n    try:\n        send(item)\n    except OSError:\n"
                            "        continue\n", []),
    "no remote call": ("while True:\n    try:\n        return int(input())\n    except OSError:\n"
                       "        continue\n", []),
    "the handler gives up": ("while True:\n    try:\n        return fetch()\n    except OSError:\n        raise\n", []),
    "local calls only": ("for n in range(9):\n    try:\n        return os.open(name + str(n), os.O_EXCL)\n"
                         "    except FileExistsError:\n        continue\n", []),
    "a local object": ("p = subprocess.Popen(cmd)\nwhile True:\n    try:\n        p.wait()\n"
                       "    except KeyboardInterrupt:\n        pass\n    else:\n        break\n", []),
    "the handler may wait": ("while True:\n    try:\n        return sock.send(data)\n    except BlockingIOError:\n"
                             "        wait_for_write(sock)\n", []),
    "errors retried for reasons of their own": ("while True:\n    try:\n        return sock.recv(4096)\n"
                                                "    except InterruptedError:\n        continue\n", []),
    "a sleep of the project's own": ("while True:\n    try:\n        return connect()\n    except OSError:\n"
                                     "        await tasks.sleep(2)\n",
                                     [(1, "connect", "a constant tasks.sleep(2) between attempts")]),
    "an event's wait": ("while not stop.is_set():\n    try:\n        return connect()\n    except OSError:\n"
                        "        stop.wait(5)\n", [(1, "connect", "a constant stop.wait(5) between attempts")]),
    "success does not leave": ("while True:\n    try:\n        poll()\n    except OSError:\n"
                               "        time.sleep(1)\n", []),
}

_NOCONF = "without config="
AWS = {
    "no config": ("s3 = boto3.client('s3')\nboto3.client(service_name='kms', config=None)\n",
                  [(1, "boto3.client", _NOCONF), (2, "boto3.client", "with config=None")]),
    "retries through a name": ("C = Config(retries={'mode': 'standard'})\nboto3.client('s3', config=C)\n", []),
    "a Config without retries": ("boto3.resource('dynamodb', config=Config(connect_timeout=2))\n",
                                 [(1, "boto3.resource", "with a Config that sets no retries")]),
    "configs archlint cannot follow": ("def f(cfg, **o):\n    boto3.client('s3', config=cfg)\n"
                                       "    boto3.client('s3', config=Config(**o))\n    boto3.client('s3', **o)\n"
                                       "    boto3.client('s3', config=BASE.merge(Config(retries={})))\n", []),
    "sessions": ("s = boto3.session.Session()\ns.client('ec2', config=Config(retries={'max_attempts': 3}))\n"
                 "boto3.Session().resource('s3')\nbotocore.session.get_session().create_client('sqs')\n",
                 [(3, "boto3.Session.resource", _NOCONF), (4, "botocore.Session.create_client", _NOCONF)]),
}


@pytest.mark.parametrize("body, expected", HTTP.values(), ids=HTTP.keys())
def test_http_calls_without_timeout(body, expected):
    assert _found(calls_without_timeout, body) == expected


@pytest.mark.parametrize("body, expected", LOOPS.values(), ids=LOOPS.keys())
def test_retry_loops_without_backoff(body, expected):
    assert _found(retry_loops_without_backoff, "def g():\n" + textwrap.indent(body, "    ")) == [
        (line + 1, call, detail) for line, call, detail in expected]


@pytest.mark.parametrize("body, expected", AWS.values(), ids=AWS.keys())
def test_aws_clients_without_retries(body, expected):
    assert _found(clients_without_retries, body) == expected


def test_the_service_of_an_aws_client_is_kept_when_it_is_a_literal():
    code = scan("app.py", b"import boto3\nboto3.client('s3')\nboto3.client(name)\n")
    assert [f["service"] for f in clients_without_retries(code)] == ["s3", None]
