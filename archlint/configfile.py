"""What every reader of a configuration-type file shares (`.archlint.yaml`, policies, price and usage files,
baselines): a bound on nesting and on number size, scalars that cannot fail to construct, and errors that are one
plain sentence at a line. A bad configuration file is exit 2 with `file:line: sentence`, never a traceback.

The loaders' YAML reader (loaders/yamlsource.py) reads `.archlint.yaml` and the cost files with these bounds; the
policy reader (its own YAML loader, which keeps the line of every list too) and the baseline reader (JSON) use the
functions here directly.
"""

from __future__ import annotations

import json
from typing import Any

#: Deeper flow nesting than this is refused before parsing: libyaml's composer recurses in C and would overflow
#: the stack (a crash, not an exception) near 20,000 levels, and CPython's json, PyYAML's constructor and the
#: loaders, which walk values recursively, pass Python's recursion limit near 1,000. The deepest real documents
#: (CRD schemas in JSON, Terraform plans) nest under a hundred levels.
MAX_DEPTH = 200
#: Digits of an integer read as a number; a longer one stays the string it was written as (Python refuses to
#: convert past 4,300 digits, and no figure of a configuration has more than a few dozen).
MAX_DIGITS = 4000

_BRACKETS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_OTHERS = bytes(b for b in range(256) if b not in b"[{]}")


class ConfigFileError(Exception):
    """A configuration-type file archlint will not read: `message` is one sentence, `line` 1-based."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def too_deep(data: bytes) -> int | None:
    """The line of the first bracket nested deeper than MAX_DEPTH, or None (brackets inside strings count too: a
    safe bound, and cheap: one translate and one running sum over the bytes)."""
    if data.count(b"[") + data.count(b"{") <= MAX_DEPTH:
        return None
    import array
    from itertools import accumulate

    steps = array.array("b", data.translate(_BRACKETS, _OTHERS))
    for index, depth in enumerate(accumulate(steps)):
        if depth > MAX_DEPTH:
            offset = -1
            for _ in range(index + 1):  # the byte offset of that bracket, found again only in this rare case
                offset = min(p for p in (data.find(b"[", offset + 1), data.find(b"{", offset + 1),
                                         data.find(b"]", offset + 1), data.find(b"}", offset + 1)) if p >= 0)
            return data.count(b"\n", 0, max(offset, 0)) + 1
    return None


def read_json(data: bytes) -> Any:
    """A JSON document, bounded: nesting (MAX_DEPTH), integers (MAX_DIGITS: longer ones stay strings, which the
    schema then refuses at their place) and no NaN or Infinity; ConfigFileError with the line otherwise."""
    line = too_deep(data)
    if line is not None:
        raise ConfigFileError(f"nested deeper than {MAX_DEPTH:,} levels: not read", line)
    try:
        return json.loads(data, parse_int=_integer, parse_constant=_constant)
    except UnicodeDecodeError as error:
        raise ConfigFileError(f"not UTF-8 text (byte {error.start})", data.count(b"\n", 0, error.start) + 1) from None
    except json.JSONDecodeError as error:
        raise ConfigFileError(f"not JSON: {error.msg}", error.lineno) from None
    except ValueError as error:  # _constant
        raise ConfigFileError(str(error)) from None
    except RecursionError:
        raise ConfigFileError("nested too deeply to read") from None


def _integer(text: str) -> int | str:
    return int(text) if len(text.lstrip("-")) <= MAX_DIGITS else text


def _constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


#: What PyYAML's scalar constructors raise on a value that does not fit its tag, besides its ConstructorError.
SCALAR_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError)


def safe_scalars(loader: type) -> None:
    """Make every scalar constructor of the YAML `loader` class total: a plain scalar that only looks like a date,
    a time or a number its constructor refuses (`2024-02-30`, `25:61:00`, 5,000 digits) is the string it was written
    as (as YAML 1.2, Go and JSON tools read it); under an explicit tag that does not fit (`!!int abc`) it is an
    error at the scalar's line, as the parser's own errors are."""
    import yaml

    for tag, construct in list(loader.yaml_constructors.items()):
        if tag is None or tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):
            continue
        loader.add_constructor(tag, _guarded(construct, yaml))


def _guarded(construct, yaml):
    def guarded(self, node):
        try:
            if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int" and not node.style:
                digits = node.value.lstrip("+-").replace("_", "")
                if len(digits) > MAX_DIGITS and self.resolve(yaml.ScalarNode, node.value, (True, False)) == node.tag:
                    return node.value
            return construct(self, node)
        except yaml.MarkedYAMLError:
            raise
        except SCALAR_ERRORS as error:
            if isinstance(node, yaml.ScalarNode) and not node.style and \
                    self.resolve(yaml.ScalarNode, node.value, (True, False)) == node.tag:
                return node.value
            tag = node.tag.rsplit(":", 1)[-1]
            value = node.value if isinstance(node.value, str) else ""
            shown = f"{shorten(value)} " if value else ""
            raise yaml.constructor.ConstructorError(None, None, f"the value {shown}is not a valid !!{tag}",
                                                    node.start_mark) from error
    return guarded


def shorten(value: Any, limit: int = 60) -> str:
    """`repr(value)`, its middle cut when long: a message quotes a 5,000-digit figure by its ends and its length."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit // 2]}...{text[-10:]} ({len(text):,} characters)"
