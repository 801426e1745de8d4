"""Validates a document against one of archlint's JSON Schemas and says where each error is (file, line, path)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archlint.resources import schema


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One violation: the 1-based line, the path inside the document (`spec.components[2].slo`) and why."""

    line: int
    path: str
    message: str


def validate(document: Any, schema_name: str, first_line: int = 1) -> list[SchemaError]:
    """Every schema error of `document`, in document order. Lines come from the YAML reader's LineDicts.

    A valid document (the usual case) is confirmed by jsonschema-rs, compiled Rust: 0.03 s for a 10,000-component
    service graph where jsonschema takes 9.6 s. Only an invalid document, or one jsonschema-rs cannot take (YAML
    dates, custom tags), goes through jsonschema, whose errors say where and why in the words the tests pin."""
    if _fast_valid(document, schema_name):
        return []
    from jsonschema import Draft202012Validator  # jsonschema is heavy: imported only when something is invalid

    validator = Draft202012Validator(schema(schema_name))
    errors = []
    for error in validator.iter_errors(document):
        for leaf in _leaves(error):
            path = list(leaf.absolute_path)
            if leaf.validator == "additionalProperties" and isinstance(leaf.instance, dict):
                allowed = set(leaf.schema.get("properties", {}))
                for extra in sorted((k for k in leaf.instance if k not in allowed), key=str):
                    errors.append(SchemaError(_line_of(document, path + [extra], first_line), dotted(path + [extra]),
                                              _unknown_key(leaf.schema)))
                continue
            errors.append(SchemaError(_line_of(document, path, first_line), dotted(path), _message(leaf)))
    unique = {(e.line, e.path, e.message): e for e in errors}
    return sorted(unique.values(), key=lambda e: (e.line, e.path, e.message))


_COMPILED: dict[str, Any] = {}


def messages(value: Any, subschema: dict, check_schema: bool = False) -> list[str]:
    """Why `value` does not satisfy an inline schema (a rule option's), jsonschema's words; [] when it does.
    With `check_schema`, an invalid schema raises jsonschema's SchemaError. jsonschema-rs, which checks the schema
    against its meta-schema as it compiles it, answers when all is well: jsonschema (0.06 s to import) is only
    loaded to explain a problem."""
    try:
        import jsonschema_rs

        if jsonschema_rs.Draft202012Validator(subschema).is_valid(value):
            return []
    except Exception:  # not installed, an invalid schema, or a value it cannot convert: jsonschema decides
        pass
    from jsonschema import Draft202012Validator

    if check_schema:
        Draft202012Validator.check_schema(subschema)
    return [error.message for error in Draft202012Validator(subschema).iter_errors(value)]


def _fast_valid(document: Any, schema_name: str) -> bool:
    """True when jsonschema-rs says `document` is valid; False when it is not, or cannot say."""
    try:
        validator = _COMPILED.get(schema_name)
        if validator is None:
            import jsonschema_rs

            validator = _COMPILED[schema_name] = jsonschema_rs.Draft202012Validator(schema(schema_name))
        return bool(validator.is_valid(document))
    except Exception:  # not installed for this platform, or a value it cannot convert: jsonschema decides
        return False


def _leaves(error: Any) -> list[Any]:
    """For oneOf/anyOf failures, the errors of the closest alternative say more than 'is not valid under any':
    the one that got deepest into the value, else the only one whose type the value has when it lists the words
    allowed (`FI001: of` is a string: the enum of words, not the boolean or the mapping, says what is wrong)."""
    if error.context and error.validator in ("oneOf", "anyOf"):
        deepest = max(len(e.absolute_path) for e in error.context)
        best = [e for e in error.context if len(e.absolute_path) == deepest]
        if deepest > len(error.absolute_path):
            return [leaf for e in best for leaf in _leaves(e)]
        alternatives: dict[Any, list[Any]] = {}
        for e in error.context:
            alternatives.setdefault(e.relative_schema_path[0] if e.relative_schema_path else None, []).append(e)
        typed = [errors for errors in alternatives.values()
                 if not any(e.validator == "type" and len(e.absolute_path) == len(error.absolute_path) for e in errors)]
        if len(typed) == 1 and all(e.validator in ("enum", "const") for e in typed[0]):
            return [leaf for e in typed[0] for leaf in _leaves(e)]
    return [error]


def _unknown_key(schema: dict) -> str:
    allowed = ", ".join(sorted(schema.get("properties", {})))
    return "unknown key" + (f" (allowed: {allowed})" if allowed else "")


def _message(error: Any) -> str:
    from archlint.configfile import MAX_DIGITS, shorten

    instance = error.instance
    if error.validator == "type" and isinstance(instance, str) and len(instance) > MAX_DIGITS and \
            instance.lstrip("+-").replace("_", "").isdigit():  # the readers keep such a figure as its digits
        return f"a number of {len(instance):,} digits: archlint reads figures of at most {MAX_DIGITS:,} digits"
    if error.validator == "enum":
        return f"{shorten(instance)} is not one of {', '.join(map(str, error.validator_value))}"
    shown = repr(instance)
    if len(shown) > 60 and error.message.startswith(shown):  # a 5,000-character value quoted by its ends
        return shorten(instance) + error.message[len(shown):]
    return error.message


def _line_of(document: Any, path: list, fallback: int) -> int:
    """The line of the deepest key or item on `path` that the reader recorded."""
    line, node = getattr(document, "line", fallback), document
    for part in path:
        key_lines = getattr(node, "key_lines", None)
        if key_lines and part in key_lines:
            line = key_lines[part]
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(node, "line", line) if not key_lines or part not in key_lines else line
    return line


def dotted(path) -> str:
    """`spec.components[2].name`: a path inside a document as the error messages print it."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"
