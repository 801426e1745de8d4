"""How messages list names: each once, and a long list cut short."""

from __future__ import annotations

from collections.abc import Iterable

#: Names a message lists before it says "and N more": the rest are in the finding's nodes and in JSON.
LISTED = 5


def listing(names: Iterable[object], limit: int = LISTED) -> str:
    """`a, b, c, d, e and 47 more`: each name once, in the order given, cut after `limit`."""
    unique = list(dict.fromkeys(str(name) for name in names))
    if len(unique) <= limit + 1:  # "and 1 more" says no less than the name itself
        return ", ".join(unique)
    return ", ".join(unique[:limit]) + f" and {len(unique) - limit} more"
