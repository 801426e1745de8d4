"""The report writer's JSON is `json.dumps(value, indent=2)`'s, byte for byte, for any value (errors included)."""

from __future__ import annotations

import enum
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint import forked
from archlint.report.jsontext import dumps
from tests.twocores import child_first


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


def test_a_lazy_array_is_written_as_its_items_made_one_at_a_time():
    from json.encoder import encode_basestring_ascii

    from archlint.report.jsontext import Lazy, _writer

    events = []

    def make(n):
        events.append(("made", n))
        return {"n": n, "empty": Lazy((), str)}

    value = {"items": Lazy(range(3), make), "none": Lazy([], str)}
    expected = {"items": [{"n": n, "empty": []} for n in range(3)], "none": []}
    assert dumps(value, sort_keys=True) == json.dumps(expected, indent=2, sort_keys=True)
    events.clear()
    _writer(lambda text: events.append(("wrote", text)), encode_basestring_ascii, True)(value, "\n", 0)
    made = [i for i, event in enumerate(events) if event[0] == "made"]
    wrote = [i for i, event in enumerate(events) if event[0] == "wrote" and '"n": ' in event[1]]
    assert made[0] < wrote[0] < made[1] < wrote[1] < made[2] < wrote[2]  # each item written before the next is made


def test_a_lazy_array_with_an_unusual_item_takes_the_standard_library_s_rules():
    from archlint.report.jsontext import Lazy

    assert dumps({"a": Lazy([1, 2], lambda n: {n: "x"})}) == json.dumps({"a": [{1: "x"}, {2: "x"}]}, indent=2)
    assert _outcome(dumps, {"a": Lazy([1], lambda n: object())}) == _outcome(
        lambda v: json.dumps(v, indent=2), {"a": [object()]})


def test_a_lazy_array_s_strings_are_made_writable_too():
    """The JSON report's findings are a lazy array: a lone surrogate in one is escaped like any other string."""
    from archlint.report.escape import dumps as escaped
    from archlint.report.jsontext import Lazy

    text = escaped({"findings": Lazy(["ok", "bad\udcff"], lambda m: {"message": m})}, end="\n")
    assert json.loads(text) == {"findings": [{"message": "ok"}, {"message": "bad\\xff"}]}
    assert text.endswith("}\n")


def _findings_like(count: int) -> list:
    return [{"rule": f"R{n % 7}", "line": n, "message": f"m\u00e9ssage {n} \"q\"", "nested": {"b": [n, None, 1.5],
             "a": []}, "empty": {}} for n in range(count)]


@pytest.mark.skipif(not forked.available(), reason="writing on two cores needs Linux and two cores")
def test_a_large_lazy_array_written_on_two_cores_is_the_standard_library_s_text(monkeypatch, tmp_path):
    from archlint.report import jsontext

    items, made = _findings_like(1234), []
    pause = child_first(tmp_path)

    def make(item):
        pause()  # each process waits for the other to begin (tests.twocores)
        made.append(item["line"])
        return item

    document = {"findings": jsontext.Lazy(items, make), "total": 1234}
    for sort_keys in (False, True):
        for ensure_ascii in (True, False):
            assert dumps(document, sort_keys=sort_keys, ensure_ascii=ensure_ascii) == json.dumps(
                {"findings": items, "total": 1234}, indent=2, sort_keys=sort_keys, ensure_ascii=ensure_ascii)
    assert 0 < len(made) < 4 * 1234  # the child wrote some chunks (what it makes, this process never records)


def test_a_large_lazy_array_with_an_unusual_item_takes_the_standard_library_s_rules():
    from archlint.report import jsontext

    items = _findings_like(1234)
    items[1100]["odd"] = _Mapping(a=_Concern.COST)  # in a later chunk: the child's, then this process's, and then json's rules
    assert dumps({"findings": jsontext.Lazy(items, lambda item: item)}) == json.dumps({"findings": items}, indent=2)
    items[1100]["odd"] = object()
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"findings": jsontext.Lazy(items, lambda item: item)})
