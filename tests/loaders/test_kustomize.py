"""The native kustomize renderer: each feature against the objects kustomize itself renders (when `kubectl` is on
the PATH), and the origin of the values it sets (the patch line, the base line with the overlay as related)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml

from archlint.loaders.kustomize import FileTree, render
from archlint.loaders.kustomize.generate import content_hash
from archlint.loaders.kustomize.origin import plain
from archlint.loaders.yamlsource import parse_yaml

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      containers:
        - name: app
          image: shop/web:1.0
          ports:
            - containerPort: 8080
          env:
            - name: MODE
              value: base
            - name: DB
              valueFrom:
                configMapKeyRef: {name: settings, key: db}
          envFrom:
            - configMapRef: {name: settings}
          volumeMounts:
            - {name: data, mountPath: /data}
        - name: sidecar
          image: envoyproxy/envoy:v1.30
      volumes:
        - name: data
          configMap: {name: settings}
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: 8080
"""
ACCOUNT = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n"
HPA = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
"""
BASE = {
    "base/deployment.yaml": DEPLOYMENT, "base/service.yaml": SERVICE, "base/account.yaml": ACCOUNT,
    "base/hpa.yaml": HPA,
    "base/kustomization.yaml": """\
        resources: [deployment.yaml, service.yaml, account.yaml, hpa.yaml]
        configMapGenerator:
          - name: settings
            literals: [db=postgres://db:5432/shop, "quoted='yes'"]
        """,
}

#: Each case is a tree of files whose `overlay/kustomization.yaml` is rendered both ways.
CASES = {
    "strategic-merge-keys-and-directives": {**BASE, "overlay/patch.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 3
          template:
            spec:
              containers:
                - name: app
                  env:
                    - name: MODE
                      value: prod
                    - name: DB
                      $patch: delete
                    - name: EXTRA
                      value: "1"
                  ports:
                    - containerPort: 9090
                  volumeMounts:
                    - {name: cache, mountPath: /cache}
                - name: sidecar
                  $patch: delete
              volumes:
                - name: cache
                  emptyDir: {}
        """, "overlay/kustomization.yaml": """\
        resources: [../base]
        patches:
          - path: patch.yaml
          - patch: |-
              apiVersion: v1
              kind: Service
              metadata:
                name: web
              spec:
                $patch: replace
                selector: {app: web}
                ports: [{port: 443, targetPort: 8443}]
        """},
    "delete-object-and-legacy-fields": {**BASE, "overlay/kustomization.yaml": """\
        bases: [../base]
        patchesStrategicMerge:
          - |-
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: web
            $patch: delete
        patchesJson6902:
          - target: {group: apps, version: v1, kind: Deployment, name: web}
            patch: |-
              - op: replace
                path: /spec/template/spec/containers/0/image
                value: shop/web:2.0
        """},
    "json6902-with-selectors": {**BASE, "overlay/ops.yaml": """\
        - op: add
          path: /spec/template/spec/containers/0/env/-
          value: {name: ADDED, value: "yes"}
        - op: remove
          path: /spec/template/spec/containers/1
        - op: copy
          from: /metadata/labels
          path: /metadata/annotations
        - op: test
          path: /spec/replicas
          value: 1
        - op: move
          from: /spec/template/spec/serviceAccountName
          path: /spec/template/spec/serviceAccount
        """, "overlay/kustomization.yaml": """\
        resources: [../base]
        patches:
          - path: ops.yaml
            target: {kind: Deploy.*, labelSelector: "app in (web,api),!legacy"}
          - target: {kind: Service, name: w.b}
            patch: |-
              - op: replace
                path: /spec/ports/0/port
                value: 8000
        """},
    "prefix-suffix-namespace-and-references": {**BASE, "overlay/ingress.yaml": """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
        spec:
          rules:
            - http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service: {name: web, port: {number: 80}}
        """, "overlay/kustomization.yaml": """\
        namePrefix: prod-
        nameSuffix: -v2
        namespace: shop
        resources: [../base, ingress.yaml]
        """},
    "labels-annotations-images-replicas": {**BASE, "overlay/kustomization.yaml": """\
        resources: [../base]
        commonLabels: {team: payments}
        labels:
          - pairs: {tier: frontend}
            includeSelectors: false
            includeTemplates: true
        commonAnnotations: {owner: "payments@example.com"}
        images:
          - name: shop/web
            newName: registry.example.com/shop/web
            newTag: "2.1"
          - name: envoyproxy/envoy
            digest: sha256:0000000000000000000000000000000000000000000000000000000000000000
        replicas:
          - name: web
            count: 4
        """},
    "generators-options-and-merge": {**BASE, "overlay/app.env": "# settings\nLOG_LEVEL=debug\n\nFEATURE=on\n",
                                     "overlay/motd.txt": "hello\n", "overlay/kustomization.yaml": """\
        resources: [../base]
        generatorOptions:
          labels: {generated: "yes"}
        configMapGenerator:
          - name: settings
            behavior: merge
            literals: [db=postgres://prod-db:5432/shop]
            envs: [app.env]
          - name: banner
            files: [motd.txt, greeting=motd.txt]
            options:
              disableNameSuffixHash: true
        secretGenerator:
          - name: credentials
            literals: [password=s3cret]
            type: Opaque
        """},
    "components": {**BASE, "feature/kustomization.yaml": """\
        apiVersion: kustomize.config.k8s.io/v1alpha1
        kind: Component
        resources: [pdb.yaml]
        patches:
          - patch: |-
              apiVersion: apps/v1
              kind: Deployment
              metadata:
                name: web
              spec:
                template:
                  spec:
                    containers:
                      - name: app
                        env:
                          - name: FEATURE
                            value: "on"
        """, "feature/pdb.yaml": """\
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: web
        spec:
          minAvailable: 1
          selector:
            matchLabels: {app: web}
        """, "overlay/kustomization.yaml": """\
        resources: [../base]
        components: [../feature]
        commonLabels: {variant: prod}
        """},
    "replacements": {**BASE, "overlay/kustomization.yaml": """\
        resources: [../base]
        replacements:
          - source: {kind: Service, name: web, fieldPath: spec.ports.0.port}
            targets:
              - select: {kind: Deployment}
                fieldPaths: ["spec.template.spec.containers.[name=app].env.[name=MODE].value"]
          - source: {kind: Deployment, fieldPath: spec.template.spec.containers.0.image, options: {delimiter: ":", index: 1}}
            targets:
              - select: {kind: Deployment}
                fieldPaths: [metadata.annotations.version]
                options: {create: true}
        """},
}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _render(root: Path, kustomization: str = "overlay/kustomization.yaml"):
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    return render(FileTree(files, parse_yaml, root), kustomization)


def _by_id(objects) -> dict:
    return {f'{o["kind"]}/{o["metadata"].get("namespace")}/{o["metadata"]["name"]}': o for o in objects}


@pytest.mark.parametrize("case", sorted(CASES))
def test_renders_as_kustomize_does(case, tmp_path):
    _write(tmp_path, CASES[case])
    rendering = _render(tmp_path)
    assert [p.message for p in rendering.problems] == []
    ours = _by_id(plain(r.data) for r in rendering.resources)
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl is not on the PATH: only the rendering without errors was checked")
    real = subprocess.run(["kubectl", "kustomize", str(tmp_path / "overlay")], capture_output=True, text=True,
                          check=True).stdout
    theirs = _by_id(d for d in yaml.safe_load_all(real) if d)
    assert json.dumps(ours, sort_keys=True, default=str) == json.dumps(theirs, sort_keys=True, default=str)


def _object(rendering, kind, name):
    return next(r.data for r in rendering.resources if r.kind == kind and r.name == name)


def test_a_patched_value_points_at_the_patch_with_the_base_and_the_kustomization_related(tmp_path):
    _write(tmp_path, CASES["strategic-merge-keys-and-directives"])
    web = _object(_render(tmp_path), "Deployment", "web")
    replicas = web["spec"].origin("replicas")
    assert (replicas.file, replicas.line) == ("overlay/patch.yaml", 6)
    assert [(v.file, v.line, v.note) for v in replicas.via] == [
        ("overlay/kustomization.yaml", 3, "patch applied by this kustomization"),
        ("base/deployment.yaml", 7, "value it replaces"),
        ("overlay/kustomization.yaml", 1, "included by overlay")]
    env = {e["name"]: e for e in web["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert (env["MODE"].origin("value").file, env["MODE"].origin("value").line) == ("overlay/patch.yaml", 13)
    assert "DB" not in env and list(env) == ["MODE", "EXTRA"]
    inline = _object(_render(tmp_path), "Service", "web")["spec"]
    # an inline patch's lines are the kustomization's own lines
    assert (inline.origin("ports").file, inline.origin("ports").line) == ("overlay/kustomization.yaml", 12)


def test_a_base_value_points_at_the_base_with_the_overlay_related(tmp_path):
    _write(tmp_path, CASES["strategic-merge-keys-and-directives"])
    web = _object(_render(tmp_path), "Deployment", "web")
    image = web["spec"]["template"]["spec"]["containers"][0].origin("image")
    assert (image.file, image.line) == ("base/deployment.yaml", 17)
    assert [(v.file, v.line) for v in image.via] == [("overlay/kustomization.yaml", 1)]
    assert web.span.file == "base/deployment.yaml" and web.span.line == 1


def test_values_a_kustomization_sets_point_at_its_lines(tmp_path):
    _write(tmp_path, CASES["labels-annotations-images-replicas"])
    rendering = _render(tmp_path)
    web = _object(rendering, "Deployment", "web")
    assert web["spec"]["replicas"] == 4
    assert web["spec"].origin("replicas").line == 16
    assert web["spec"].origin("replicas").via[0].file == "base/deployment.yaml"
    app, sidecar = web["spec"]["template"]["spec"]["containers"]
    assert app["image"] == "registry.example.com/shop/web:2.1" and app.origin("image").line == 11
    assert sidecar["image"].startswith("envoyproxy/envoy@sha256:")
    assert web["metadata"]["labels"]["team"] == "payments"
    assert web["metadata"]["labels"].origin("team").line == 2
    assert web["spec"]["template"]["metadata"]["labels"]["tier"] == "frontend"
    assert "tier" not in web["spec"]["selector"]["matchLabels"]


def test_generated_names_carry_kustomizes_hash_and_references_follow(tmp_path):
    _write(tmp_path, CASES["generators-options-and-merge"])
    rendering = _render(tmp_path)
    names = {r.name for r in rendering.resources if r.kind == "ConfigMap"}
    settings = next(n for n in names if n.startswith("settings-"))
    assert "banner" in names
    container = _object(rendering, "Deployment", "web")["spec"]["template"]["spec"]["containers"][0]
    assert container["envFrom"][0]["configMapRef"]["name"] == settings
    data = _object(rendering, "ConfigMap", settings)["data"]
    assert data["LOG_LEVEL"] == "debug" and data.origin("LOG_LEVEL").file == "overlay/app.env"
    assert data.origin("LOG_LEVEL").line == 2
    assert "overlay/app.env" in rendering.consumed


def test_the_hash_is_kustomizes_own():
    # `kubectl kustomize` of `configMapGenerator: [{name: app, literals: [a=b]}]` names it app-4h2mbtbbt6
    assert content_hash({"kind": "ConfigMap", "metadata": {"name": "app"}, "data": {"a": "b"}}) == "4h2mbtbbt6"


def test_prefix_and_suffix_rename_the_references(tmp_path):
    _write(tmp_path, CASES["prefix-suffix-namespace-and-references"])
    rendering = _render(tmp_path)
    web = _object(rendering, "Deployment", "prod-web-v2")
    assert web["metadata"]["namespace"] == "shop"
    assert web["spec"]["template"]["spec"]["serviceAccountName"] == "prod-web-v2"
    hpa = _object(rendering, "HorizontalPodAutoscaler", "prod-web-v2")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "prod-web-v2"
    ingress = _object(rendering, "Ingress", "prod-web-v2")
    assert ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] == "prod-web-v2"


def test_what_kustomize_would_refuse_is_said_at_the_entry(tmp_path):
    _write(tmp_path, {**BASE, "outside.yaml": ACCOUNT.replace("web", "other"), "overlay/kustomization.yaml": """\
        resources:
          - ../base
          - missing.yaml
          - https://github.com/example/repo//deploy?ref=v1
          - ../outside.yaml
        patches:
          - patch: |-
              apiVersion: apps/v1
              kind: Deployment
              metadata: {name: nothing}
              spec: {replicas: 2}
        """})
    rendering = _render(tmp_path)
    found = sorted((p.rule, p.span.line, p.message.split(":")[0]) for p in rendering.problems)
    assert found == [
        ("IN006", 4, "remote resource https"),
        ("IN012", 3, "resource missing.yaml not found"),
        ("IN012", 5, "file ../outside.yaml is outside this kustomization's directory"),
        ("IN012", 8, "patch targets Deployment nothing, which no resource is"),
    ]
    # the rest is still rendered
    assert {r.name for r in rendering.resources} >= {"web", "other"}


def test_a_cycle_is_said_not_followed(tmp_path):
    _write(tmp_path, {"a/kustomization.yaml": "resources: [../b]\n", "b/kustomization.yaml": "resources: [../a]\n"})
    rendering = _render(tmp_path, "a/kustomization.yaml")
    assert any("cycle" in p.message for p in rendering.problems)


CORPUS = Path(os.environ.get("ARCHLINT_CORPUS") or Path(__file__).resolve().parents[2].parent / "shared" / "corpus")
#: Kustomizations of the corpus that `kustomize build` itself cannot build here, and why: they are not compared.
NOT_COMPARABLE = {
    # the corpus kept YAML files only: these name files it left out (.env, params.env, kustomize-config.yaml)
    "k8s/Azure-Samples+aks-store-demo/kustomize/overlays/azd/ai-service": "env file .env not in the corpus",
    "k8s/Azure-Samples+aks-store-demo/kustomize/overlays/azd/makeline-service": "env file .env not in the corpus",
    "k8s/Azure-Samples+aks-store-demo/kustomize/overlays/azd/order-service": "env file .env not in the corpus",
    "k8s/GoogleCloudPlatform+kubernetes-engine-samples/ai-ml/anthropic-agent-sandbox/deploy/base":
        "kustomize-config.yaml not in the corpus",
    "k8s/GoogleCloudPlatform+kubernetes-engine-samples/ai-ml/anthropic-agent-sandbox/deploy/overlays/01_single_session":
        "params.env and the base's kustomize-config.yaml not in the corpus",
    "k8s/GoogleCloudPlatform+kubernetes-engine-samples/ai-ml/anthropic-agent-sandbox/deploy/overlays/02_warmpool_autoscale":
        "params.env and the base's kustomize-config.yaml not in the corpus",
    # a remote resource: neither archlint (never) nor kustomize (no network here) fetches it
    "k8s/GoogleCloudPlatform+kubernetes-engine-samples/ai-ml/mix-train-and-inference/kueue": "remote resource",
}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside this checkout")
@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (kustomize) is not on the PATH")
def test_every_corpus_kustomization_renders_as_kustomize_does():
    files = {p.relative_to(CORPUS).as_posix(): p.read_bytes() for p in CORPUS.rglob("*")
             if p.is_file() and p.suffix in (".yaml", ".yml")}
    tree = FileTree(files, parse_yaml, CORPUS)
    agree, differ, skipped = [], [], []
    for name in sorted(n for n in files if n.rsplit("/", 1)[-1] in ("kustomization.yaml", "kustomization.yml")):
        directory = name.rsplit("/", 1)[0]
        if yaml.safe_load(files[name]).get("kind") == "Component":
            continue
        if directory in NOT_COMPARABLE:
            skipped.append(directory)
            continue
        command = ["kubectl", "kustomize", str(CORPUS / directory)]
        real = subprocess.run(command, capture_output=True, text=True)
        if real.returncode and "security;" in real.stderr:  # archlint reads as LoadRestrictionsNone, and says so
            real = subprocess.run(command[:2] + ["--load-restrictor", "LoadRestrictionsNone"] + command[2:],
                                  capture_output=True, text=True)
        assert real.returncode == 0, f"{directory}: kustomize failed: {real.stderr[-300:]}"
        theirs = _by_id(d for d in yaml.safe_load_all(real.stdout) if d)
        ours = _by_id(plain(r.data) for r in render(tree, name).resources)
        same = json.dumps(ours, sort_keys=True, default=str) == json.dumps(theirs, sort_keys=True, default=str)
        (agree if same else differ).append(directory)
    print(f"kustomize agreement: {len(agree)} of {len(agree) + len(differ)} comparable kustomizations "
          f"({len(skipped)} not comparable)")
    assert differ == []
    assert sorted(skipped) == sorted(NOT_COMPARABLE)


def test_hostile_nesting_is_bounded_and_said(tmp_path):
    from archlint.loaders.kustomize.build import MAX_DEPTH

    files = {f"k{i}/kustomization.yaml": f"resources: [../k{i + 1}]\n" for i in range(MAX_DEPTH + 5)}
    files[f"k{MAX_DEPTH + 5}/kustomization.yaml"] = "resources: []\n"
    # a diamond of 14 levels would read 2**14 kustomizations
    files.update({f"d{i}/kustomization.yaml": f"resources: [../d{i + 1}, ../e{i + 1}]\n" for i in range(14)})
    files.update({f"e{i}/kustomization.yaml": f"resources: [../d{i + 1}]\nnamePrefix: e{i}-\n" for i in range(1, 15)})
    files["d14/kustomization.yaml"] = "resources: []\n"
    _write(tmp_path, files)
    deep = _render(tmp_path, "k0/kustomization.yaml")
    assert any(f"nested deeper than {MAX_DEPTH}" in p.message for p in deep.problems)
    wide = _render(tmp_path, "d0/kustomization.yaml")
    assert [p.message for p in wide.problems if "more than" in p.message][:2] == [
        next(p.message for p in wide.problems if "more than" in p.message)]
