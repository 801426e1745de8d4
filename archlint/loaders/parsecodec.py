"""How the parse cache writes parsed documents in plain values that marshal carries, and reads them back."""

from __future__ import annotations

import datetime
from typing import Any

from archlint.loaders.yamlsource import LineDict, Tagged

_KEY_TYPES = frozenset((str, int, float, bool, bytes, type(None)))


class Unfit(Exception):
    """A value marshal cannot carry exactly: the file is parsed every time instead."""


# The encoding: marshal carries plain values only, so a LineDict becomes (line, plain dict, key lines (an int or a
# tuple, as LineDict keeps them), keys whose values need decoding), a list holding such values (items, their indexes),
# a Tagged value (tag, value, 0), a date or a time (ISO text, None, 1 or 2). Every other tuple-free value is stored as
# is and comes back as is, so decoding touches only the containers that hold mappings. Shared nodes (YAML aliases) are
# encoded once and stay shared, so an alias bomb stays small. A document is (encoded value, line, end line), or (line,
# end line) for a document holding a Secret's values, which is parsed again from those lines of the file.

def encode(value: Any, memo: dict[int, Any], open_: set[int]) -> Any:
    kind = type(value)
    if kind in _KEY_TYPES:
        return value
    known = memo.get(id(value))
    if known is not None:
        return known
    if id(value) in open_:
        raise Unfit("recursive alias")
    open_.add(id(value))
    if kind is LineDict:
        plain, nested = {}, []
        for key, item in value.items():
            if type(key) not in _KEY_TYPES:
                raise Unfit(f"key of type {type(key).__name__}")
            if type(item) in _KEY_TYPES:  # most values (strings): themselves, without a call
                plain[key] = item
            elif type(encoded := encode(item, memo, open_)) is tuple:
                plain[key] = encoded
                nested.append(key)
            else:
                plain[key] = encoded
        result: Any = (value.line, plain, value._lines, tuple(nested))
    elif kind is list:
        items = [item if type(item) in _KEY_TYPES else encode(item, memo, open_) for item in value]
        indexes = tuple(i for i, item in enumerate(items) if type(item) is tuple)
        result = (items, indexes) if indexes else items
    elif kind is Tagged:
        result = (value.tag, encode(value.value, memo, open_), 0)
    elif kind is datetime.date or kind is datetime.datetime:  # `AWSTemplateFormatVersion: 2010-09-09` unquoted
        result = (value.isoformat(), None, 1 if kind is datetime.date else 2)
    else:
        raise Unfit(f"value of type {kind.__name__}")
    open_.discard(id(value))
    memo[id(value)] = result
    return result


def value(encoded: tuple, memo: dict[int, Any]) -> Any:
    done = memo.get(id(encoded))
    if done is not None:
        return done
    if len(encoded) == 4:
        line, plain, key_lines, nested = encoded
        result: Any = LineDict(plain)
        result.line, result._lines = line, key_lines
        for key in nested:
            result[key] = value(plain[key], memo)
    elif len(encoded) == 2:
        result, indexes = encoded
        for index in indexes:
            result[index] = value(result[index], memo)
    else:
        first, inner, kind = encoded
        if kind == 0:
            result = Tagged(first, value(inner, memo) if type(inner) is tuple else inner)
        else:
            result = (datetime.date if kind == 1 else datetime.datetime).fromisoformat(first)
    memo[id(encoded)] = result
    return result
