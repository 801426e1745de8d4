"""`archlint cost --catalog`: how many prices the bundled catalog holds per provider and family, and from where."""

from __future__ import annotations

import json

from archlint.catalog import catalog


def render(fmt: str) -> str:
    prices = catalog()
    coverage = prices.coverage()
    sources: dict[str, set[str]] = {}
    for row in prices.rows:
        sources.setdefault(row.provider or "any", set()).add(row.source)
    if fmt == "json":
        return json.dumps({"date": prices.date, "rows": len(prices.rows),
                           "coverage": [{"provider": p, "family": f, "rows": n} for (p, f), n in coverage.items()],
                           "sources": {p: sorted(s) for p, s in sorted(sources.items())}}, indent=2) + "\n"
    out = [f"archlint price catalog of {prices.date}: {len(prices.rows)} rows, USD, on-demand list prices", "",
           "PROVIDER  FAMILY           ROWS"]
    out += [f"{p:<9} {f:<16} {n:>4}" for (p, f), n in coverage.items()]
    out += ["", "Sources:"]
    for provider, found in sorted(sources.items()):
        out += [f"  {provider}: {source}" for source in sorted(found)]
    return "\n".join(out) + "\n"
