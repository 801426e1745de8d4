"""Kubernetes label-selector semantics: equality maps (Services) and LabelSelectors (PDBs, NetworkPolicies)."""

from __future__ import annotations

from typing import Any, Callable


def matches_map(selector: dict[str, str], labels: dict[str, str]) -> bool:
    """A Service's `spec.selector`: every pair must be present. An empty selector selects nothing."""
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def label_selector(selector: Any) -> Callable[[dict[str, str]], bool]:
    """A metav1.LabelSelector as a test of labels: matchLabels AND every matchExpression. `{}` selects
    everything, null nothing. Read once, run against every workload of a namespace."""
    if not isinstance(selector, dict):
        return _nothing
    match_labels = selector.get("matchLabels") or {}
    if not isinstance(match_labels, dict):
        return _nothing
    pairs = tuple((str(k), _text(v)) for k, v in match_labels.items())
    expressions = list(selector.get("matchExpressions") or [])
    if not all(isinstance(e, dict) for e in expressions):
        return _nothing

    def holds(labels: dict[str, str]) -> bool:
        for key, value in pairs:
            if labels.get(key) != value:
                return False
        return all(_expression_holds(expression, labels) for expression in expressions)

    return holds


def _nothing(labels: dict[str, str]) -> bool:
    return False


def _expression_holds(expression: dict, labels: dict[str, str]) -> bool:
    key, operator = str(expression.get("key", "")), expression.get("operator")
    values = [_text(v) for v in expression.get("values") or []]
    if operator == "In":
        return labels.get(key) in values
    if operator == "NotIn":
        return labels.get(key) not in values
    if operator == "Exists":
        return key in labels
    if operator == "DoesNotExist":
        return key not in labels
    return False  # an unknown operator is rejected by the API server: it selects nothing


def _text(value: Any) -> str:
    """Label values are strings; YAML may have typed `true` or `1`, which kubectl would reject or quote."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def string_map(value: Any) -> dict[str, str]:
    """Labels or annotations as str -> str, ignoring what is not a mapping."""
    if not isinstance(value, dict):
        return {}
    return {str(k): _text(v) for k, v in value.items() if v is not None}
