"""The `resilience:` section of `.archlint.yaml` (already checked against the schema): named policies of recovery
objectives, which journeys and criticalities they judge, and the team's own recovery figures, every value with the
line that sets it."""

from __future__ import annotations

from typing import Any

from archlint.model import Span
from archlint.model.resilience import POLICY_KINDS, FigureOverride, Objective, Policy, ResiliencePolicy
from archlint.model.units import duration_ms


def resilience(section: Any, name: str, errors: list[tuple[int, str]]) -> ResiliencePolicy:
    """The policy; a name that points nowhere or an unknown mechanism is an error of the configuration."""
    if not isinstance(section, dict):
        return ResiliencePolicy(file=name)
    policies: dict[str, Policy] = {}
    raw = section.get("policies") if isinstance(section.get("policies"), dict) else {}
    for key, value in raw.items():
        if isinstance(value, dict):
            policies[str(key)] = _policy(str(key), value, name, _span(name, raw, key))
    default = section.get("default") if isinstance(section.get("default"), str) else None
    if default is not None and default not in policies:
        errors.append(_unknown(name, section, "default", default, policies))
    criticality = _names(section.get("criticality"), name, "criticality", policies, errors)
    journeys = _names(section.get("journeys"), name, "journeys", policies, errors)
    figures = _figures(section.get("figures"), name, errors)
    return ResiliencePolicy(policies, default, journeys, criticality, figures, name)


def _policy(key: str, value: dict, name: str, span: Span) -> Policy:
    objectives = {}
    for kind in POLICY_KINDS:
        given = value.get(kind)
        if isinstance(given, dict):
            objectives[kind] = Objective(_seconds(given.get("rto")), _seconds(given.get("rpo")),
                                         _span(name, given, "rto") if "rto" in given else None,
                                         _span(name, given, "rpo") if "rpo" in given else None)
    availability = value.get("availability")
    return Policy(key, span, objectives, float(availability) if isinstance(availability, (int, float)) else None,
                  _span(name, value, "availability") if "availability" in value else None)


def _names(mapping: Any, name: str, where: str, policies: dict, errors: list) -> dict[str, tuple[str, Span]]:
    if not isinstance(mapping, dict):
        return {}
    found = {}
    for key, value in mapping.items():
        if not isinstance(value, str):
            continue
        if value not in policies:
            errors.append(_unknown(name, mapping, key, value, policies, f"{where}.{key}"))
        found[str(key)] = (value, _span(name, mapping, key))
    return found


def _figures(items: Any, name: str, errors: list) -> tuple[FigureOverride, ...]:
    from archlint.catalog.recovery import figures

    if not isinstance(items, list):
        return ()
    known = figures().mechanisms()
    found = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("mechanism"), str):
            continue
        line = getattr(item, "line", 1)
        if item["mechanism"] not in known:
            errors.append((line, f"{name}:{line}: resilience.figures[{index}].mechanism: unknown mechanism "
                                 f"{item['mechanism']!r} (known: {', '.join(sorted(known))})"))
            continue
        low, high = _seconds(item.get("low")), _seconds(item.get("high"))
        if low is not None and high is not None and low > high:
            errors.append((line, f"{name}:{line}: resilience.figures[{index}]: low is above high"))
        found.append(FigureOverride(item["mechanism"], str(item.get("measure", "rto")), low, high,
                                    str(item.get("source", "")), str(item.get("date", "")), item.get("provider"),
                                    Span(name, line)))
    return tuple(found)


def _seconds(value: Any) -> float | None:
    if value == 0 and not isinstance(value, bool):
        return 0.0
    if not isinstance(value, str):
        return None
    milliseconds = duration_ms(value)
    return milliseconds / 1000 if milliseconds is not None else None


def _span(name: str, mapping: Any, key: str) -> Span:
    line = mapping.line_of(key) if hasattr(mapping, "line_of") else getattr(mapping, "line", 1)
    return Span(name, line)


def _unknown(name: str, mapping: Any, key: str, value: str, policies: dict, path: str = "") -> tuple[int, str]:
    line = mapping.line_of(key) if hasattr(mapping, "line_of") else 1
    known = ", ".join(sorted(policies)) or "none declared"
    return line, f"{name}:{line}: resilience.{path or key}: no policy named {value!r} (policies: {known})"
