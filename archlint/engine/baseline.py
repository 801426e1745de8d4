"""Baselines: today's findings recorded once, so that a team adopting archlint sees only what is new.

Findings match by fingerprint (rule, file, node, key; never the line or the message), so moved lines and
reordered files do not make old findings new. Two findings with one fingerprint need two entries."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from archlint.finding import Finding

VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read or is not a baseline."""


def dumps(findings: tuple[Finding, ...] | list[Finding]) -> str:
    """The baseline of `findings` as JSON (schemas/baseline.schema.json): sorted, one entry per fingerprint."""
    counts = Counter(f.fingerprint for f in findings)
    first = {}
    for finding in findings:
        first.setdefault(finding.fingerprint, finding)
    entries = [{"fingerprint": fp, "rule": first[fp].rule, "file": first[fp].file, "node": first[fp].node,
                "count": counts[fp], "message": first[fp].message}
               for fp in sorted(counts, key=lambda k: (first[k].file, first[k].rule, first[k].node, k))]
    return json.dumps({"version": VERSION, "findings": entries}, indent=2) + "\n"


def load(path: Path) -> Counter:
    """Fingerprint -> how many findings it absorbs."""
    from archlint.validation import validate

    from archlint.configfile import ConfigFileError, read_json

    try:
        data = read_json(path.read_bytes())
    except OSError as error:
        raise BaselineError(f"{path}: cannot read: {error.strerror or error}") from None
    except ConfigFileError as error:
        raise BaselineError(f"{path}:{error.line}: {error.message}") from None
    errors = validate(data, "baseline.schema.json")
    if errors:
        raise BaselineError(f"{path}: {errors[0].path}: {errors[0].message}")
    return Counter({entry["fingerprint"]: entry["count"] for entry in data["findings"]})


def split(findings: tuple[Finding, ...], baseline: Counter) -> tuple[tuple[Finding, ...], tuple[Finding, ...], int]:
    """(new findings, the findings the baseline absorbed, how many baseline entries matched nothing: stale)."""
    left = Counter(baseline)
    new, absorbed = [], []
    for finding in findings:
        if left[finding.fingerprint] > 0:
            left[finding.fingerprint] -= 1
            absorbed.append(finding)
        else:
            new.append(finding)
    return tuple(new), tuple(absorbed), sum(left.values())
