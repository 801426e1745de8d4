"""archlint against its peers, point by point: cases written for the project in the shape of Polaris's fixtures
(`<rule>/failure.<case>.yaml` archlint must flag with the rule, `<rule>/success.<case>.yaml` it must not), each
judged alone. The first comment lines give the peers' verdicts on the same file, read from their checks' code
(`# peers: kube-score pod-probes=fail; ...`); where archlint's verdict is not a peer's, a `# differs:` line says
why, and where every peer agrees there is none. README.md beside this file sums them up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archlint.engine import analyze
from archlint.engine.config import Config
from archlint.loaders.discover import discover
from archlint.loaders.pipeline import load
from archlint.rules import all_rules

HERE = Path(__file__).parent
CASES = sorted(p for p in HERE.glob("*/*.yaml"))
_PEER = re.compile(r"^(kube-score|polaris|kube-linter|checkov) ([\w.-]+)=(pass|fail)$")


def header(path: Path) -> tuple[list[tuple[str, str, str]], str]:
    peers, differs = [], ""
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# peers:"):
            for part in line.removeprefix("# peers:").split(";"):
                match = _PEER.match(part.strip())
                assert match, f"{path.name}: cannot read the peer verdict {part.strip()!r}"
                peers.append(match.groups())
        elif line.startswith("# differs:") or (differs and line.startswith("#   ")):
            differs += line[2:]
    return peers, differs


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_archlint_judges_the_case_as_its_name_says(case, tmp_path):
    (tmp_path / case.name).write_text(case.read_text())
    rules = {f.rule for f in analyze(load(discover([tmp_path], tmp_path)), Config(), all_rules()).findings}
    assert not [r for r in rules if r.startswith("IN")], "the case must be valid input"
    assert (case.parent.name in rules) is case.name.startswith("failure."), sorted(rules)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_where_archlint_parts_from_a_peer_the_case_says_why(case):
    peers, differs = header(case)
    assert peers, "name the peers' checks and their verdicts"
    flags = case.name.startswith("failure.")
    parted = [f"{tool} {check}" for tool, check, verdict in peers if (verdict == "fail") is not flags]
    assert bool(parted) is bool(differs), f"differs from {parted}" if parted else "every peer agrees"


def test_every_case_is_in_the_readme():
    readme = (HERE / "README.md").read_text()
    assert [c for c in CASES if f"{c.parent.name}/{c.name}" not in readme] == []
