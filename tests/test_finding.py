"""The Finding value: its report order."""

from __future__ import annotations

from archlint.finding import Finding


def test_the_sort_key_is_file_line_rule_node_key_and_message():
    finding = Finding("FI001", "one replica", "k8s/web.yaml", 12, node="default/web", fix="scale", key="web",
                      fingerprint="f", related=(), nodes=("x",), instances=("a",), sources=("s",))
    assert finding.sort_key == ("k8s/web.yaml", 12, "FI001", "default/web", "web", "one replica")
    assert [Finding._fields[i] for i in (2, 3, 0, 4, 6, 1)] == ["file", "line", "rule", "node", "key", "message"]
