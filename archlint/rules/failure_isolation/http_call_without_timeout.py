"""Application code makes an HTTP call that can wait forever.

What it flags: in the Python code of a component's source directory (a service graph's `source`, a compose
service's `build` context, an `archlint.dev/source` annotation), a `requests` call or `requests.Session` method
without `timeout=` (requests has no default), `urllib.request.urlopen` without a timeout, a `urllib3.PoolManager`
without `timeout=` unless every request the file makes with it sets one, anything that passes `timeout=None`
(requests, httpx, urllib3, aiohttp), and timeouts that never end: `httpx.Timeout(None)` and `aiohttp.ClientTimeout`
without `total` or `sock_read`. Defaults that do end are not flagged: httpx's 5 seconds, `urllib3.request`'s 3 and
an `aiohttp.ClientSession`'s 5 minutes. Test code (`tests/`, `test_*.py`, `*_test.py`) is not read.
Why it matters: a call without a timeout waits as long as the peer keeps the connection open. When a dependency
hangs instead of failing, each request to it holds a worker thread, a connection or a task until every one of them
is stuck, and the caller stops answering too: one slow service takes its callers down with it.
How to fix: give every call a timeout below the caller's own deadline (`requests.get(url, timeout=(3.05, 10))`
for connect and read), or set it once on the client: `httpx.Client(timeout=5)`, `aiohttp.ClientSession(
timeout=aiohttp.ClientTimeout(total=10))`, `urllib3.PoolManager(timeout=urllib3.Timeout(connect=2, read=5))`.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import Span
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI030", name="http-call-without-timeout", title="HTTP call without a timeout in application code",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)


def check(model, options):
    for component in model.components():
        for call in component.attrs.get("code_calls_without_timeout", ()):
            yield finding(META, component, f"{call['call']} {call['detail']} in {component.name}'s code: it can wait "
                          "forever on a peer that does not answer",
                          "Pass a timeout below the caller's own deadline, or set one on the client.",
                          span=Span(call["file"], call["line"]), key=call["key"])
