"""A component's replicas span and its autoscaler's spans may be given deferred: worked out on first read, then kept."""

from __future__ import annotations

import dataclasses

from archlint.model import Autoscaling, Component, NodeKind, Span


class Later:
    """What a loader hands over instead of a Span: `resolve()` traces it (counted here)."""

    def __init__(self, span: Span) -> None:
        self.span, self.calls = span, 0

    def resolve(self) -> Span:
        self.calls += 1
        return self.span


def test_a_deferred_replicas_span_is_worked_out_once_when_read():
    later = Later(Span("stacks/prod/main.tf", 12))
    component = Component(id="a", name="a", kind=NodeKind.SERVICE, span=Span("modules/app/main.tf", 3),
                          source="terraform", replicas_span=later)
    assert later.calls == 0
    assert component.replicas_span == Span("stacks/prod/main.tf", 12)
    assert component.replicas_span is later.span
    assert later.calls == 1


def test_autoscaling_spans_are_worked_out_when_read_and_compare_as_spans():
    span, low = Later(Span("main.tf", 5)), Later(Span("main.tf", 6))
    scaling = Autoscaling(1, 4, "aws_appautoscaling_target.this", span, min_span=low)
    assert (span.calls, low.calls) == (0, 0)
    assert scaling == Autoscaling(1, 4, "aws_appautoscaling_target.this", Span("main.tf", 5),
                                  min_span=Span("main.tf", 6))
    assert scaling.min_span == Span("main.tf", 6) and (span.calls, low.calls) == (1, 1)


def test_the_fields_stay_what_they_were():
    names = [f.name for f in dataclasses.fields(Component)]
    assert names.index("replicas_span") == names.index("replicas") + 1
    component = Component(id="a", name="a", kind=NodeKind.SERVICE, span=Span("f", 1), source="compose")
    assert component.replicas_span is None
    component.replicas_span = Span("f", 2)
    assert dataclasses.replace(component, name="b").replicas_span == Span("f", 2)
