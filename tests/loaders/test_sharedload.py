"""Kubernetes groups loaded on two cores (archlint.loaders.sharedload): the model, the findings and the counts are
those one process makes, ids of the same object in several variants included; a group the encoding cannot carry
is loaded by the parent."""

from __future__ import annotations

import os
from collections import defaultdict

import pytest

from archlint import forked
from archlint.loaders import layering, sharedload
from archlint.loaders.yamlsource import parse_yaml
from archlint.model import ModelBuilder
from tests.twocores import child_first

APP = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: REPLICAS
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web:1
          env: [{name: DB, value: "db:5432"}]
          resources: {requests: {cpu: 100m, memory: 64Mi}}
          readinessProbe: {httpGet: {path: /healthz, port: 8080}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16, ports: [{containerPort: 5432}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec: {scaleTargetRef: {kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 5}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec: {defaultBackend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: NAME, annotations: {note: NOTE}}
spec: {template: {spec: {containers: [{name: x, image: "x:1"}]}}}
"""


def _groups(count: int):
    groups = []
    for n in range(count):  # the same objects in every variant: their ids are web, web@v1, web@v2, ...
        text = APP.replace("REPLICAS", str(n % 3 + 1)).replace("NAME", f"extra{n % 4}")
        text = text.replace("NOTE", '"a \\0 NUL"' if n == 7 else "plain")  # a NUL in group 7
        if n == 5:  # an object the API server refuses: a finding
            text += "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {labels: {a: b}}\n"
        groups.append((parse_yaml(text.encode(), f"v{n}/app.yaml"), ("app", f"v{n}")))
    return groups


def _after_the_child_began(load, directory):
    pause = child_first(directory)

    def paused(documents, builder, problems, stats):
        pause()  # the parent waits for the child to begin (tests.twocores)
        load(documents, builder, problems, stats)
    return paused


def _loaded(groups, monkeypatch, shared: bool, directory=None):
    monkeypatch.setattr(forked, "available", (lambda: True) if shared else (lambda: False))
    builder, problems, stats = ModelBuilder(), [], defaultdict(int)
    here = []

    def load(documents, target, found, counts):
        here.append((os.getpid(), documents[0].file))
        layering._load_documents(documents, target, found, counts)

    sharedload.load_groups(groups, _after_the_child_began(load, directory) if shared else load, builder, problems,
                           stats)
    return builder, problems, dict(stats), here


@pytest.mark.skipif(not forked.available(), reason="loading on two cores needs Linux and two cores")
def test_groups_loaded_on_two_cores_give_the_model_one_process_gives(monkeypatch, tmp_path):
    alone, alone_problems, alone_stats, _ = _loaded(_groups(24), monkeypatch, shared=False)
    both, problems, stats, here = _loaded(_groups(24), monkeypatch, shared=True, directory=tmp_path)
    assert len(here) < 24  # the child loaded some (what it loads, this process never records)
    assert both.components() == alone.components()
    assert both._dependencies == alone._dependencies and both._ids == alone._ids
    assert (problems, stats) == (alone_problems, alone_stats)
    ids = [c.id for c in both.components()]
    assert "default/web" in ids and "default/web@v23" in ids
    web = next(c for c in both.components() if c.id == "default/web@v23")
    assert web.attrs["pdbs"] == ["default/pdb/web@v23"] and web.autoscaling.source.endswith("@v23")
    assert [(p.rule, p.file) for p in problems] == [("IN015", "v5/app.yaml")]


@pytest.mark.skipif(not forked.available(), reason="loading on two cores needs Linux and two cores")
def test_a_group_with_a_nul_in_a_value_is_loaded_by_the_parent(monkeypatch, tmp_path):
    both, _, _, here = _loaded(_groups(24), monkeypatch, shared=True, directory=tmp_path)
    loaded_here = [file for _, file in here]
    assert "v23/app.yaml" not in loaded_here  # the child's first group, sent back
    assert "v7/app.yaml" in loaded_here  # the child could not send it: loaded here, in its place
    assert [c.annotations["note"] for c in both.components() if c.variant == "v7" and c.name == "extra3"] == ["a \0 NUL"]


def test_on_one_core_the_groups_are_loaded_in_order_and_let_go(monkeypatch):
    groups = _groups(3)
    builder, _, _, here = _loaded(groups, monkeypatch, shared=False)
    assert groups == [] and here == [(os.getpid(), f"v{n}/app.yaml") for n in range(3)]
    assert [c.variant for c in builder.components() if c.id.startswith("default/web")] == ["v0", "v1", "v2"]
