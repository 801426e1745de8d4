"""Seeded generators of synthetic systems for the benchmark: a service graph, Kubernetes manifests and Terraform."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path

#: Services per domain (a team's slice of the system: one namespace, one Terraform stack, one graph file).
DOMAIN = 50
_STORES = {40: "datastore", 41: "datastore", 42: "datastore", 43: "datastore", 44: "datastore",
           45: "cache", 46: "cache", 47: "cache", 48: "queue", 49: "queue"}
_IMAGES = {"datastore": "postgres:16", "cache": "redis:7", "queue": "rabbitmq:3.13"}
_SCHEMES = {"datastore": "postgres", "cache": "redis", "queue": "amqp"}


@dataclass
class Call:
    target: int
    retries: int
    backoff: str
    timeout_ms: int | None
    breaker: bool


@dataclass
class Node:
    index: int
    domain: int
    position: int
    kind: str
    replicas: int
    zones: int
    autoscaling: bool
    slo: float | None
    calls: list[Call] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"d{self.domain:04d}-{_ROLE.get(self.kind, 'svc')}{self.position:02d}"

    @property
    def namespace(self) -> str:
        return f"d{self.domain:04d}"


_ROLE = {"gateway": "gw", "datastore": "db", "cache": "cache", "queue": "mq"}


def topology(n: int, seed: int = 7) -> list[Node]:
    """`n` components in domains of 50: a gateway (entrypoint), 7 APIs, 32 services and 10 stores each.

    Calls go down a domain's layers; product domains also call the APIs of shared platform domains (sqrt(domains)
    of them, at most 20, at the end), which call later platform domains: a large fan-in (every gateway reaches
    the platform) while what one component reaches stays bounded, as in a real system, so that a linear
    analysis shows as linear. One domain in ten has a two-service synchronous cycle."""
    rng = random.Random(seed)
    domains = math.ceil(n / DOMAIN)
    platform = min(20, max(1, round(math.sqrt(domains)))) if domains > 1 else 0
    first_platform = domains - platform
    nodes: list[Node] = []
    for index in range(n):
        domain, position = divmod(index, DOMAIN)
        kind = "gateway" if position == 0 else _STORES.get(position, "service")
        single = rng.random() < 0.1
        nodes.append(Node(index, domain, position, kind,
                          replicas=1 if (kind in ("datastore", "queue") and rng.random() < 0.5) or single else
                          rng.choice((2, 3, 3, 4)),
                          zones=1 if rng.random() < 0.05 else 2,
                          autoscaling=kind == "service" and rng.random() < 0.3,
                          slo=99.95 if position == 0 else 99.9 if position < 8 else
                          rng.choice((99.5, 99.9, 99.95)) if kind != "service" else None))
    for node in nodes:
        base = node.domain * DOMAIN
        last = min(n, base + DOMAIN) - 1
        if node.kind != "service" and node.kind != "gateway":
            continue
        reach = range(node.index + 1, min(last, node.index + 12) + 1)
        if node.kind == "gateway":
            targets = sorted(rng.sample(range(base + 1, min(last, base + 7) + 1), min(4, last - base)))
        else:
            targets = sorted({rng.choice(reach) for _ in range(rng.randint(1, 3))}) if reach else []
            stores = [base + p for p in _STORES if base + p <= last]
            if stores and rng.random() < 0.6:
                targets.append(rng.choice(stores))
        if node.position == 9 and node.domain % 10 == 3 and base + 10 <= last:
            targets.append(base + 10)  # with the edge below, a synchronous cycle
        if node.position == 10 and node.domain % 10 == 3:
            targets.append(base + 9)
        cross = node.domain < first_platform and rng.random() < 0.15
        cross = cross or (node.domain >= first_platform and node.domain + 1 < domains and rng.random() < 0.05)
        if cross:
            low = max(first_platform, node.domain + 1)
            other = rng.randint(low, domains - 1) if low < domains else None
            api = other * DOMAIN + rng.randint(1, 7) if other is not None else None
            if api is not None and api < n:
                targets.append(api)
        for target in dict.fromkeys(targets):
            if target == node.index:
                continue
            retries = rng.choice((0, 0, 0, 1, 2, 3))
            node.calls.append(Call(target, retries, rng.choice(("none", "exponential", "exponential-jitter")),
                                   rng.choice((200, 500, 1000, 2000)) if rng.random() < 0.9 else None,
                                   rng.random() < 0.3))
    return nodes


def _chunks(nodes: list[Node]):
    for start in range(0, len(nodes), DOMAIN):
        yield nodes[start:start + DOMAIN]


def write_graph(root: Path, nodes: list[Node]) -> int:
    """One archlint service graph per domain; returns the number of files."""
    root.mkdir(parents=True, exist_ok=True)
    files = 0
    for chunk in _chunks(nodes):
        lines = ["apiVersion: archlint.dev/v1", "kind: ServiceGraph", f"metadata: {{name: {chunk[0].namespace}}}",
                 "spec:", "  defaults:", "    location: {provider: aws, region: eu-west-1}", "  components:"]
        for node in chunk:
            zones = "[eu-west-1a]" if node.zones == 1 else "[eu-west-1a, eu-west-1b]"
            lines.append(f"    - name: {node.name}")
            lines.append(f"      kind: {node.kind}")
            if node.kind == "gateway":
                lines.append("      entrypoint: true")
            elif node.position < 3:
                lines.append("      user_facing: true")
            lines.append(f"      replicas: {node.replicas}")
            lines.append(f"      location: {{zones: {zones}}}")
            if node.autoscaling:
                lines.append(f"      autoscaling: {{min: {node.replicas}, max: {node.replicas * 4}}}")
            if node.slo is not None:
                lines.append(f"      slo: {{availability: {node.slo}}}")
            if node.calls:
                lines.append("      dependencies:")
            for call in node.calls:
                target = nodes[call.target]
                kind = {"datastore": "reads", "cache": "reads", "queue": "publishes"}.get(target.kind, "calls")
                mode = "async" if target.kind == "queue" else "sync"
                extra = f", timeout: {call.timeout_ms}ms" if call.timeout_ms else ""
                if call.retries:
                    extra += f", retries: {call.retries}, backoff: {call.backoff}"
                if call.breaker:
                    extra += ", circuit_breaker: true"
                lines.append(f"        - {{target: {target.name}, kind: {kind}, mode: {mode}{extra}}}")
        (root / f"{chunk[0].namespace}.yaml").write_text("\n".join(lines) + "\n")
        files += 1
    return files


def write_kubernetes(root: Path, nodes: list[Node]) -> int:
    """A file per component: Deployment (or StatefulSet), Service, and an HPA and a PDB where they apply."""
    root.mkdir(parents=True, exist_ok=True)
    for node in nodes:
        directory = root / node.namespace
        directory.mkdir(exist_ok=True)
        (directory / f"{node.name}.yaml").write_text(_manifest(node, nodes))
    return len(nodes)


def _manifest(node: Node, nodes: list[Node]) -> str:
    name, ns = node.name, node.namespace
    store = node.kind in _IMAGES
    image = _IMAGES.get(node.kind, f"ghcr.io/bench/{_ROLE.get(node.kind, 'svc')}:1.{node.index % 40}.0")
    env = []
    for number, call in enumerate(node.calls):
        target = nodes[call.target]
        host = target.name if target.namespace == ns else f"{target.name}.{target.namespace}"
        scheme = _SCHEMES.get(target.kind, "http")
        env.append(f"            - {{name: DEP_{number}_URL, value: \"{scheme}://{host}:{_port(target)}\"}}")
    annotations = f"\n  annotations: {{archlint.dev/availability: \"{node.slo}\"}}" if node.slo else ""
    docs = [f"""apiVersion: apps/v1
kind: {'StatefulSet' if store else 'Deployment'}
metadata:
  name: {name}
  namespace: {ns}{annotations}
  labels: {{app: {name}, team: {ns}}}
spec:
  replicas: {node.replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      topologySpreadConstraints:
        - {{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {{matchLabels: {{app: {name}}}}}}}
      containers:
        - name: main
          image: {image}
          ports: [{{containerPort: {_port(node)}}}]
          env:
            - {{name: LOG_FORMAT, value: json}}
{chr(10).join(env) if env else ''}
          resources:
            requests: {{cpu: 250m, memory: 256Mi}}
            limits: {{memory: 512Mi}}
          readinessProbe:
            httpGet: {{path: /ready, port: {_port(node)}}}
          livenessProbe:
            httpGet: {{path: /live, port: {_port(node)}}}
""".replace("\n\n", "\n"), f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
spec:
  type: {'LoadBalancer' if node.kind == 'gateway' else 'ClusterIP'}
  selector: {{app: {name}}}
  ports: [{{port: {_port(node)}, targetPort: {_port(node)}}}]
"""]
    if node.autoscaling:
        docs.append(f"""apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
  namespace: {ns}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {name}}}
  minReplicas: {node.replicas}
  maxReplicas: {node.replicas * 4}
  metrics:
    - type: Resource
      resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 70}}}}
""")
    if node.replicas > 1:
        docs.append(f"""apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
  namespace: {ns}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {{app: {name}}}
""")
    return "---\n".join(docs)


def _port(node: Node) -> int:
    return {"datastore": 5432, "cache": 6379, "queue": 5672}.get(node.kind, 8080)


#: Terraform module per kind of component: (module folder, resource type of its component).
_TF_MODULES = {"gateway": ("lb", "aws_lb"), "service": ("service", "aws_ecs_service"),
               "datastore": ("db", "aws_db_instance"), "cache": ("cache", "aws_elasticache_replication_group"),
               "queue": ("queue", "aws_sqs_queue")}


def write_terraform(root: Path, nodes: list[Node]) -> int:
    """A stack (root module) per domain calling shared local modules, with variables, tfvars, count and references."""
    modules = root / "modules"
    for folder, text in _TF_MODULE_FILES.items():
        (modules / folder).mkdir(parents=True, exist_ok=True)
        (modules / folder / "main.tf").write_text(text)
        (modules / folder / "variables.tf").write_text(_TF_VARIABLES)
    files = 2 * len(_TF_MODULE_FILES)
    for chunk in _chunks(nodes):
        stack = root / "stacks" / chunk[0].namespace
        stack.mkdir(parents=True, exist_ok=True)
        blocks = [f'provider "aws" {{\n  region = var.region\n  default_tags {{\n    tags = {{ team = "{chunk[0].namespace}" }}\n  }}\n}}\n',
                  'variable "region" {\n  type    = string\n  default = "eu-west-1"\n}\n',
                  'variable "environment" {\n  type = string\n}\n',
                  'locals {\n  prefix  = "${var.environment}-app"\n  is_prod = var.environment == "prod"\n}\n']
        for node in chunk:
            folder, _ = _TF_MODULES[node.kind if node.kind in _TF_MODULES else "service"]
            upstream = ", ".join(f"module.{nodes[c.target].name.replace('-', '_')}.id" for c in node.calls
                                 if nodes[c.target].domain == node.domain)
            enabled = "" if node.index % 17 else "\n  count   = local.is_prod ? 1 : 0"
            blocks.append(f'module "{node.name.replace("-", "_")}" {{\n  source  = "../../modules/{folder}"{enabled}\n'
                          f'  name    = "${{local.prefix}}-{node.name}"\n  size    = {node.replicas}\n'
                          f'  ha      = {str(node.zones > 1).lower()}\n  depends = [{upstream}]\n}}\n')
        (stack / "main.tf").write_text("\n".join(blocks))
        (stack / "terraform.tfvars").write_text('environment = "prod"\n')
        files += 2
    return files


_TF_VARIABLES = """variable "name" {
  type = string
}

variable "size" {
  type    = number
  default = 1
}

variable "ha" {
  type    = bool
  default = false
}

variable "depends" {
  type    = list(string)
  default = []
}
"""

_TF_MODULE_FILES = {
    "lb": """resource "aws_lb" "this" {
  name               = var.name
  internal           = false
  load_balancer_type = "application"
  tags               = { upstream = join(",", var.depends) }
}

output "id" {
  value = aws_lb.this.arn
}
""",
    "service": """resource "aws_security_group" "this" {
  name = "${var.name}-sg"
}

resource "aws_ecs_service" "this" {
  name            = var.name
  desired_count   = var.size
  launch_type     = "FARGATE"
  security_groups = [aws_security_group.this.id]
  tags            = { upstream = join(",", var.depends) }
}

output "id" {
  value = aws_ecs_service.this.id
}
""",
    "db": """resource "aws_db_instance" "this" {
  identifier              = var.name
  engine                  = "postgres"
  instance_class          = var.ha ? "db.r6g.large" : "db.t4g.medium"
  multi_az                = var.ha
  backup_retention_period = var.size > 1 ? 7 : 0
  deletion_protection     = true
}

resource "aws_db_instance" "replica" {
  count               = var.size - 1
  identifier          = "${var.name}-replica-${count.index}"
  replicate_source_db = aws_db_instance.this.identifier
  instance_class      = "db.t4g.medium"
}

output "id" {
  value = aws_db_instance.this.id
}
""",
    "cache": """resource "aws_elasticache_replication_group" "this" {
  replication_group_id       = var.name
  description                = "cache"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = var.size
  automatic_failover_enabled = var.size > 1
}

output "id" {
  value = aws_elasticache_replication_group.this.id
}
""",
    "queue": """resource "aws_sqs_queue" "this" {
  name                      = var.name
  message_retention_seconds = 1209600
}

output "id" {
  value = aws_sqs_queue.this.arn
}
""",
}
