"""What a team declares about resilience: user journeys (in the service graph) and the policy of recovery time
and recovery point objectives per disruption kind (in `.archlint.yaml`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from archlint.model.component import Span

#: Disruption kinds a policy sets objectives for. `primary` (a managed store's primary lost) is judged by the
#: `node` objectives and `node-pool` by the `cluster` ones: they are infrastructure failures of that scale.
POLICY_KINDS = ("component", "node", "cluster", "zone", "region", "provider", "external")
#: The policy kind that judges each disruption kind.
JUDGED_AS = {"component": "component", "node": "node", "primary": "node", "node-pool": "cluster",
             "cluster": "cluster", "zone": "zone", "region": "region", "provider": "provider",
             "external": "external"}


@dataclass(frozen=True, slots=True)
class DeclaredJourney:
    """A user journey named in a service graph: its entry component and, optionally, the components it needs
    (`calls`) and its availability target. Names are resolved against the model by the assessment."""

    name: str
    entry: str
    span: Span
    calls: tuple[str, ...] | None = None
    availability: float | None = None
    criticality: str | None = None
    #: Where each of `calls` is written, in order, and where `entry` is.
    call_spans: tuple[Span, ...] = ()
    entry_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Objective:
    """Recovery time and recovery point objectives (seconds; None: not set) and the line that sets each."""

    rto: float | None = None
    rpo: float | None = None
    rto_span: Span | None = None
    rpo_span: Span | None = None


@dataclass(frozen=True)
class Policy:
    """A named resilience policy: objectives per disruption kind and an availability target for journeys."""

    name: str
    span: Span
    objectives: Mapping[str, Objective] = field(default_factory=dict)
    availability: float | None = None
    availability_span: Span | None = None

    def objective(self, disruption_kind: str) -> Objective | None:
        return self.objectives.get(JUDGED_AS.get(disruption_kind, disruption_kind))


@dataclass(frozen=True, slots=True)
class FigureOverride:
    """A team's own figure for a recovery mechanism (from a game day, a contract): replaces the catalog's row."""

    mechanism: str
    measure: str
    low: float | None
    high: float | None
    source: str
    date: str
    provider: str | None = None
    span: Span | None = None


@dataclass(frozen=True)
class ResiliencePolicy:
    """The `resilience:` section of the configuration. `journeys` and `criticality` name a policy per journey and
    per criticality; `default` is the policy of every other journey (none: journeys without one are only shown)."""

    policies: Mapping[str, Policy] = field(default_factory=dict)
    default: str | None = None
    journeys: Mapping[str, tuple[str, Span]] = field(default_factory=dict)
    criticality: Mapping[str, tuple[str, Span]] = field(default_factory=dict)
    figures: tuple[FigureOverride, ...] = ()
    file: str = ".archlint.yaml"

    def relocated(self, file: str) -> "ResiliencePolicy":
        """The same policy with its lines in `file` (the configuration's name relative to the scan root)."""
        if file == self.file:
            return self
        move = lambda span: Span(file, span.line) if span is not None and span.file == self.file else span  # noqa: E731
        policies = {k: Policy(p.name, move(p.span), {kind: Objective(o.rto, o.rpo, move(o.rto_span), move(o.rpo_span))
                                                      for kind, o in p.objectives.items()},
                              p.availability, move(p.availability_span)) for k, p in self.policies.items()}
        figures = tuple(FigureOverride(f.mechanism, f.measure, f.low, f.high, f.source, f.date, f.provider,
                                       move(f.span)) for f in self.figures)
        return ResiliencePolicy(policies, self.default, {k: (v, move(s)) for k, (v, s) in self.journeys.items()},
                                {k: (v, move(s)) for k, (v, s) in self.criticality.items()}, figures, file)

    def policy_for(self, journey: str, criticality: str | None) -> Policy | None:
        """The policy that judges a journey: named for it, else for its criticality, else the default."""
        if journey in self.journeys:
            return self.policies.get(self.journeys[journey][0])
        if criticality in self.criticality:
            return self.policies.get(self.criticality[criticality][0])
        return self.policies.get(self.default) if self.default else None
