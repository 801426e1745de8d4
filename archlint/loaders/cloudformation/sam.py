"""What the SAM transform adds: Globals, the alias behind provisioned concurrency, and implicit APIs for events."""

from __future__ import annotations

from typing import Any

from archlint.loaders.cloudformation.intrinsics import function
from archlint.loaders.yamlsource import LineDict

#: Resource types SAM's `Globals` sections apply to.
_GLOBALS = {"AWS::Serverless::Function": "Function", "AWS::Serverless::Api": "Api",
            "AWS::Serverless::HttpApi": "HttpApi", "AWS::Serverless::SimpleTable": "SimpleTable"}
#: Event types served by an API, the property naming an explicit one, and the API SAM creates otherwise.
API_EVENTS = {"Api": ("RestApiId", "ServerlessRestApi", "AWS::Serverless::Api"),
              "HttpApi": ("ApiId", "ServerlessHttpApi", "AWS::Serverless::HttpApi")}


def with_globals(template: dict, kind: str, props: Any) -> Any:
    """The resource's properties over the template's `Globals` for its type (maps merge, lists add up)."""
    section = template.get("Globals")
    defaults = section.get(_GLOBALS.get(kind, "")) if isinstance(section, dict) else None
    return _merge(defaults, props) if isinstance(defaults, dict) else props


def _merge(base: Any, own: Any) -> Any:
    if isinstance(base, list) and isinstance(own, list):
        return base + own
    if not (isinstance(base, dict) and isinstance(own, dict)) or function(base) or function(own):
        return own
    out = LineDict()
    out.line, out.key_lines = getattr(own, "line", getattr(base, "line", 1)), {}
    for source, merged in ((base, False), (own, True)):
        line_of = getattr(source, "line_of", None)
        for key, value in source.items():
            out[key] = _merge(base[key], value) if merged and key in base else value
            out.key_lines[key] = line_of(key) if line_of else out.line
    return out


def api_events(props: Any) -> list[tuple[str, str | None, str, int]]:
    """(event type, explicit API's logical id or None, implicit API's logical id, line) for each API event."""
    events = props.get("Events") if isinstance(props, dict) else None
    found = []
    for name, event in events.items() if isinstance(events, dict) and not function(events) else ():
        kind = event.get("Type") if isinstance(event, dict) else None
        if not isinstance(kind, str) or kind not in API_EVENTS:  # `Type: [SQS]` is no event type SAM knows
            continue
        key, implicit, _ = API_EVENTS[kind]
        properties = event.get("Properties")
        explicit = properties.get(key) if isinstance(properties, dict) else None
        call = function(explicit)
        target = call[1] if call and call[0] == "Ref" and isinstance(call[1], str) else None
        if explicit is not None and target is None:
            continue  # an API of another stack, or an expression: nothing to link here
        found.append((kind, target, implicit, events.line_of(name) if hasattr(events, "line_of") else 1))
    return found


def alias(props: Any) -> Any:
    """The `AutoPublishAlias` that provisioned concurrency is configured on, None without one."""
    return props.get("AutoPublishAlias") if isinstance(props, dict) else None
