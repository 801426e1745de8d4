"""The report writer's JSON is `json.dumps(value, indent=2)`'s, byte for byte, for any value (errors included)."""

from __future__ import annotations

import enum
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.report.jsontext import dumps


class _Concern(str, enum.Enum):
    COST = "cost"


class _Level(enum.IntEnum):
    HIGH = 3


class _Mapping(dict):
    pass


_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
            | st.text() | st.sampled_from([_Concern.COST, _Level.HIGH, "", "\ud800", "\x00\n\"\\"]))
_keys = st.text() | st.sampled_from([1, 2.5, True, False, None])
_values = st.recursive(
    _scalars,
    lambda inner: (st.lists(inner, max_size=4) | st.tuples(inner, inner)
                   | st.dictionaries(st.text(max_size=5), inner, max_size=4)
                   | st.dictionaries(_keys, inner, max_size=3).map(_Mapping)),
    max_leaves=30)


def _outcome(write, value):
    try:
        return write(value), None
    except (TypeError, ValueError) as error:
        return None, (type(error), str(error))


@settings(max_examples=400, deadline=None)
@given(_values, st.booleans(), st.booleans())
def test_same_text_as_the_standard_library(value, sort_keys, ensure_ascii):
    expected = _outcome(lambda v: json.dumps(v, indent=2, sort_keys=sort_keys, ensure_ascii=ensure_ascii), value)
    assert _outcome(lambda v: dumps(v, sort_keys=sort_keys, ensure_ascii=ensure_ascii), value) == expected


def _cycle():
    items: list = []
    items.append(items)
    return items


@pytest.mark.parametrize("value", [_cycle(), {"x": object()}, {(1, 2): 3}, {"a": 1, 2: "b"}])
def test_same_errors_as_the_standard_library(value):
    assert _outcome(lambda v: dumps(v, sort_keys=True), value) == _outcome(
        lambda v: json.dumps(v, indent=2, sort_keys=True), value)


def test_deep_values_are_still_written():
    value: list = []
    for _ in range(300):
        value = [value]
    assert dumps(value) == json.dumps(value, indent=2)


@pytest.mark.parametrize("value", [{"b": [1, "x"], "a": None}, [], {"x": object()}])
def test_end_is_written_after_the_text_in_the_same_buffer(value):
    """`end` (a report's final newline) follows the text, also when the standard library writes it."""
    expected = _outcome(lambda v: json.dumps(v, indent=2, sort_keys=True) + "\n", value)
    assert _outcome(lambda v: dumps(v, sort_keys=True, end="\n"), value) == expected
