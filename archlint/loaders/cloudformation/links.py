"""Edges through resources archlint does not model: listeners, target groups, API methods, event source mappings."""

from __future__ import annotations

from collections import deque

#: Resources that join two others: (properties naming the one that routes, properties naming where it routes to).
GLUE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "AWS::ElasticLoadBalancingV2::Listener": (("LoadBalancerArn",), ("DefaultActions",)),
    "AWS::ElasticLoadBalancingV2::ListenerRule": (("ListenerArn",), ("Actions",)),
    "AWS::ElasticLoadBalancingV2::TargetGroup": ((), ("Targets",)),
    "AWS::ApiGateway::Method": (("RestApiId",), ("Integration",)),
    "AWS::ApiGatewayV2::Route": (("ApiId",), ("Target",)),
    "AWS::ApiGatewayV2::Integration": (("ApiId",), ("IntegrationUri",)),
    "AWS::Lambda::EventSourceMapping": (("FunctionName",), ("EventSourceArn",)),
}
#: A target group is also reached from what registers in it (an ECS service, an autoscaling group).
TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup"

Hop = tuple[str, int]


def routes(types: dict[str, str], refs: dict[str, list[Hop]], sides: dict[str, tuple[list[Hop], list[Hop]]]) \
        -> dict[str, list[Hop]]:
    """Hops between logical ids: `sides` holds each glue resource's (from, to) references, `refs` every
    resource's references, `types` every resource's CloudFormation type."""
    hops: dict[str, list[Hop]] = {}
    for glue, (sources, targets) in sides.items():
        for source, line in sources:
            hops.setdefault(source, []).append((glue, line))
        hops.setdefault(glue, []).extend(targets)
    for resource, found in refs.items():
        if types.get(resource) in GLUE:
            continue
        for target, line in found:
            if types.get(target) == TARGET_GROUP:
                hops.setdefault(target, []).append((resource, line))
    return hops


def reach(start: str, hops: dict[str, list[Hop]], modelled: set[str]) -> list[Hop]:
    """The modelled resources `start` reaches through resources that are not modelled, with the last hop's line."""
    found: dict[str, int] = {}
    seen = {start}
    queue = deque(hops.get(start, ()))
    while queue:
        target, line = queue.popleft()
        if target in seen:
            continue
        seen.add(target)
        if target in modelled:
            found.setdefault(target, line)
        else:
            queue.extend(hops.get(target, ()))
    return list(found.items())
