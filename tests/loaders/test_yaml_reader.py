"""The YAML reader's own constructor gives the values PyYAML's generic one gives, with lines, faster."""

from __future__ import annotations

import datetime

import pytest
import yaml

from archlint.loaders import yamlreader
from archlint.loaders.yamlsource import LineDict, ParseError, Tagged, parse_yaml


class _Reference(yamlreader._BaseLoader):
    """PyYAML's generic construction with archlint's map and tag constructors: what the fast path must equal."""


_Reference.add_constructor("tag:yaml.org,2002:map", yamlreader._construct_map)
_Reference.add_multi_constructor("!", yamlreader._construct_tagged)
_Reference.add_multi_constructor("tag:", yamlreader._construct_tagged)

TEXT = b"""\
base: &base {cpu: 500m, memory: 1Gi, replicas: 3}
api:
  <<: *base
  replicas: 5
  ports: [80, 443]
  enabled: yes
  ratio: 0.5
  nothing: ~
  since: 2024-01-02
  blob: !!binary aGVsbG8=
  ref: !Ref Bucket
  sub: !GetAtt [Bucket, Arn]
  quoted: "123"
list: &items [a, b]
again: *items
"""


def same_values(a, b) -> bool:
    """Equal values of the same types, mappings with the same lines and key lines, at every depth."""
    if type(a) is not type(b):
        return False
    if isinstance(a, LineDict):
        return (a.line, a.key_lines, list(a)) == (b.line, b.key_lines, list(b)) and all(
            same_values(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same_values, a, b))
    if isinstance(a, Tagged):
        return a.tag == b.tag and same_values(a.value, b.value)
    return a == b or (a != a and b != b)


def test_values_and_lines_equal_the_generic_constructor():
    ours = parse_yaml(TEXT, "a.yaml")[0].data
    reference = yaml.load(TEXT, Loader=_Reference)
    assert same_values(ours, reference)
    api = ours["api"]
    assert api["replicas"] == 5 and api["cpu"] == "500m" and api["enabled"] is True and api["nothing"] is None
    assert api["since"] == datetime.date(2024, 1, 2) and api["blob"] == b"hello" and api["quoted"] == "123"
    assert api["ref"] == Tagged("!Ref", "Bucket") and api["sub"] == Tagged("!GetAtt", ["Bucket", "Arn"])
    assert api.line_of("replicas") == 4 and api.line == 3


def test_an_aliased_node_is_built_once_and_shared():
    data = parse_yaml(TEXT, "a.yaml")[0].data
    assert data["again"] is data["list"]


def test_a_value_that_contains_itself_is_refused_at_its_alias():
    """yaml.v3 (kubectl) refuses it too; every loader's walk of such a value would go round forever."""
    with pytest.raises(ParseError, match="contains it") as refused:
        parse_yaml(b"kind: x\na: &x\n  self: *x\n", "r.yaml")
    assert refused.value.line == 2  # the anchor (an alias is the very node it names: its own place is not known)


def test_parsing_leaves_nothing_for_the_collector():
    """The collector is off while loading (cli/wiring.py): a parse that left cycles behind would keep every file's
    parser and node tree alive until the end (605 MB instead of 468 MB on 10,000 manifests)."""
    import gc

    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        parse_yaml(TEXT, "a.yaml")
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
