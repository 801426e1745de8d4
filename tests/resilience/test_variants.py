"""Systems and variants: a journey per variant its system was rendered in, the variants that agree folded into one
column of the matrix, the same disruption of the same component folded over variants; Compose files."""

from __future__ import annotations

from archlint.report.failure_modes import FailureModes, text
from archlint.resilience import FAILS

from tests.resilience.helpers import assessed, cell
from tests.resilience.test_kubernetes import FRONT, _workload


def _overlays(tmp_path, prod_replicas: int):
    base = {"base/front.yaml": FRONT, "base/cart.yaml": _workload("cart", replicas=1),
            "base/db.yaml": _workload("db", replicas=2),
            "base/kustomization.yaml": "resources: [front.yaml, cart.yaml, db.yaml]\n"}
    overlays = {
        "overlays/dev/kustomization.yaml": "resources: [../../base]\n",
        "overlays/prod/kustomization.yaml": "resources: [../../base]\nreplicas:\n  - {name: cart, count: %d}\n"
                                           % prod_replicas}
    return assessed(tmp_path, {**base, **overlays})


def test_a_journey_per_variant_named_alike_and_keyed_apart(tmp_path):
    model, assessment = _overlays(tmp_path, 3)
    keys = sorted(j.key for j in assessment.journeys)
    assert len(keys) == 2 and {j.name for j in assessment.journeys} == {"front"}
    assert all("@" in key for key in keys)
    dev, prod = sorted(assessment.journeys, key=lambda j: j.variant or "")
    node = [d for d in assessment.disruptions if d.kind == "node" and "cart" in d.subject]
    assert len({d.fold for d in node}) == 1 and len(node) == 2  # one row: the same component in both variants
    dev_cell = cell(assessment, dev.key, next(d.id for d in node if d.variant == dev.variant))
    assert dev_cell.outcome == FAILS
    prod_node = next(d.id for d in node if d.variant == prod.variant)
    assert assessment.cell(prod.key, prod_node) is None  # 3 replicas in prod: it survives


def test_the_text_folds_variants_that_agree_and_splits_those_that_differ(tmp_path):
    model, assessment = _overlays(tmp_path, 3)
    output = text(FailureModes("test", assessment, model))
    header = next(line for line in output.splitlines() if line.startswith("DISRUPTION"))
    assert "front [" in header and header.count("front [") == 2  # dev and prod differ: two columns
    (tmp_path / "overlays/prod/kustomization.yaml").write_text("resources: [../../base]\n")
    model, assessment = _overlays(tmp_path, 1)
    output = text(FailureModes("test", assessment, model))
    header = next(line for line in output.splitlines() if line.startswith("DISRUPTION"))
    assert "front (2 variants)" in header


def test_compose_services_of_several_files_are_named_by_file_and_a_stack_is_a_swarm(tmp_path):
    service = "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n    REPLICAS\n"
    _, assessment = assessed(tmp_path, {
        "docker-compose.yml": service.replace("    REPLICAS\n", ""),
        "docker-stack.yml": service.replace("REPLICAS", "deploy: {replicas: 2}")})
    assert sorted(j.name for j in assessment.journeys) == ["web (docker-compose.yml)", "web (docker-stack.yml)"]
    ids = {d.id for d in assessment.disruptions}
    assert any(i.startswith("node=compose:") for i in ids)  # the single Docker host of docker-compose.yml
    stack = next(d for d in assessment.disruptions if d.kind == "node" and "docker-stack" in d.subject)
    assert assessment.touched[stack.id] == 1 and assessment.cell("web (docker-stack.yml)", stack.id) is None
