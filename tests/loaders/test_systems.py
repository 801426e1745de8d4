"""Systems and variants: which documents are loaded together, so that nothing links across unrelated directories,
kustomize overlays are variants of one system, and copies are judged through what they copy."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from archlint.loaders.discover import discover
from archlint.loaders.layout import HelmSettings, Layout, SystemSpec
from archlint.loaders.pipeline import load


def deployment(name: str, replicas: int = 1, image: str = "shop/app:1") -> str:
    return textwrap.dedent(f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
        spec:
          replicas: {replicas}
          selector:
            matchLabels: {{app: {name}}}
          template:
            metadata:
              labels: {{app: {name}}}
            spec:
              containers:
                - name: app
                  image: {image}
        """)


def hpa(target: str) -> str:
    return textwrap.dedent(f"""\
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: {target}
        spec:
          scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {target}}}
          minReplicas: 2
          maxReplicas: 4
        """)


def service(name: str) -> str:
    return f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector: {{app: {name}}}\n  ports: [{{port: 80}}]\n"


@pytest.fixture
def scan(tmp_path: Path):
    def _scan(files: dict[str, str], layout: Layout | None = None):
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return load(discover([tmp_path], tmp_path), layout=layout)
    return _scan


def _components(result, kind=None):
    return sorted((c.name, c.system, c.variant) for c in result.model.components()
                  if kind is None or c.workload_kind == kind)


OVERLAYS = {
    "k/base/web.yaml": deployment("web"),
    "k/base/kustomization.yaml": "resources: [web.yaml]\n",
    "k/overlays/dev/kustomization.yaml": "resources: [../../base]\n",
    "k/overlays/prod/kustomization.yaml": """\
        resources: [../../base]
        patches:
          - path: replicas.yaml
          - patch: |-
              apiVersion: apps/v1
              kind: Deployment
              metadata:
                name: gone
              $patch: delete
        """,
    "k/overlays/prod/replicas.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n",
}


def test_overlays_are_variants_of_one_system_and_their_files_are_not_read_again(scan):
    result = scan({**OVERLAYS, "k/base/gone.yaml": deployment("gone"),
                   "k/base/kustomization.yaml": "resources: [web.yaml, gone.yaml]\n"})
    assert _components(result, "Deployment") == [
        ("gone", "k", "k/overlays/dev"), ("web", "k", "k/overlays/dev"), ("web", "k", "k/overlays/prod")]
    prod = next(c for c in result.model.components() if c.variant == "k/overlays/prod")
    assert prod.replicas == 3
    assert (prod.replicas_span.file, prod.replicas_span.line) == ("k/overlays/prod/replicas.yaml", 6)
    assert prod.span.file == "k/base/web.yaml"
    assert [(v.file, v.line) for v in prod.span.via] == [("k/overlays/prod/kustomization.yaml", 1)]
    assert result.stats["kustomize.variants"] == 2
    # the patch documents (one with `$patch: delete`) are not workloads of their own
    assert not any(c.span.file.endswith("replicas.yaml") for c in result.model.components())


def test_nothing_links_across_systems(scan):
    result = scan({"a/web.yaml": deployment("web"), "a/svc.yaml": service("web"),
                   "b/testdata/hpa.yaml": hpa("web"), "c/web.yaml": deployment("web", replicas=2),
                   "c/hpa.yaml": hpa("web")})
    by_system = {c.system: c for c in result.model.components() if c.workload_kind == "Deployment"}
    assert by_system["a"].autoscaling is None  # the HPA of b/testdata is another system's
    assert by_system["c"].autoscaling is not None and by_system["c"].autoscaling.min_replicas == 2
    assert by_system["a"].attrs["services"] == ["web"] and by_system["c"].attrs["services"] == []


def test_a_directory_of_plain_manifests_is_one_system(scan):
    result = scan({"all-in-one.yaml": deployment("web") + "---\n" + deployment("db", image="postgres:16"),
                   "quickstart.yaml": deployment("web", replicas=2) + "---\n" + deployment("db", image="postgres:15"),
                   "extra.yaml": deployment("worker"), "other/web.yaml": deployment("web")})
    assert _components(result, "Deployment") == [
        ("db", ".", None), ("db", ".", None), ("web", ".", None), ("web", ".", None), ("web", "other", None),
        ("worker", ".", None)]


def test_an_identical_copy_is_judged_through_its_source(scan):
    result = scan({**OVERLAYS, "k/base/svc.yaml": service("web"), "k/base/kustomization.yaml": "resources: [web.yaml, svc.yaml]\n",
                   "release/all.yaml": deployment("web") + "---\n" + service("web")})
    copy = next(c for c in result.model.components() if c.variant == "release/all.yaml")
    assert copy.system == "k" and copy.span.file == "k/base/web.yaml"
    assert ("release/all.yaml", 1) in [(v.file, v.line) for v in copy.span.via]
    assert not any(c.span.file == "release/all.yaml" for c in result.model.components())
    assert result.stats["copies"] == 1


def test_declared_systems_join_directories_and_choose_the_variant(scan):
    files = {**OVERLAYS, "m/manifests/web.yaml": deployment("api"), "m/autoscaling/hpa.yaml": hpa("api")}
    layout = Layout(systems=(SystemSpec("shop", ("m",)), SystemSpec("kube", ("k",), variant="overlays/prod")))
    result = scan(files, layout)
    api = next(c for c in result.model.components() if c.name == "api")
    assert api.system == "shop" and api.autoscaling is not None
    assert _components(result, "Deployment") == [("api", "shop", None), ("web", "kube", "k/overlays/prod")]
    assert result.stats["skipped.variants"] == 1


def test_a_single_system_has_no_labels(scan):
    result = scan({"web.yaml": deployment("web"), "svc.yaml": service("web")})
    assert _components(result, "Deployment") == [("web", None, None)]


def test_valid_yaml_with_template_markers_in_strings_is_read(scan):
    dashboard = textwrap.dedent("""\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: dashboards
          annotations: {summary: "{{ $labels.instance }} is down"}
        data:
          board.json: '{"title": "{{state}}"}'
        """)
    result = scan({"cm.yaml": dashboard, "web.yaml": deployment("web"),
                   "tpl/web.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n"})
    assert result.stats["skipped.templates"] == 1
    assert [(f.rule, f.file) for f in result.findings] == [("IN006", "tpl/web.yaml")]
    assert result.stats["documents.kubernetes"] == 2


CHART = {
    "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
    "chart/values.yaml": "replicas: 2\nimage: shop/web:1.0\n",
    "chart/templates/deployment.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}-web
        spec:
          replicas: {{ .Values.replicas }}
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
                - name: web
                  image: {{ .Values.image | quote }}
        """,
}


def test_a_chart_without_helm_is_said_once_and_its_templates_are_not_read(scan):
    result = scan(CHART, Layout(helm=HelmSettings(binary="helm-that-is-not-installed")))
    assert [(f.rule, f.file, f.line) for f in result.findings] == [("IN006", "chart/Chart.yaml", 1)]
    assert "helm template chart | archlint check -" in result.findings[0].fix
    assert len(result.model) == 0
    assert result.stats["unread.helm-chart"] == 1 and result.stats["skipped.helm-files"] == 3


def test_a_chart_is_not_rendered_when_the_configuration_says_so(scan):
    result = scan(CHART, Layout(helm=HelmSettings(render=False)))
    assert [f.rule for f in result.findings] == ["IN006"] and "turned off" in result.findings[0].message


def test_a_chart_is_rendered_with_helm_and_points_at_its_templates(scan, helm_binary):
    if helm_binary is None:
        pytest.skip("no helm: neither on the PATH nor in the test extras' package (see .ci/run)")
    result = scan(CHART, Layout(helm=HelmSettings(values={"chart": ("chart/values.yaml",)}, binary=helm_binary)))
    assert result.findings == []
    (web,) = [c for c in result.model.components() if c.workload_kind == "Deployment"]
    assert web.name == "chart-web" and web.replicas == 2 and web.containers[0].image == "shop/web:1.0"
    assert web.span.file == "chart/templates/deployment.yaml"
    assert (web.replicas_span.file, web.replicas_span.line) == ("chart/templates/deployment.yaml", 6)
    assert result.stats["rendered.helm-chart"] == 1


CORPUS_CHART = Path(os.environ.get("ARCHLINT_CORPUS") or Path(__file__).resolve().parents[2].parent / "shared" / "corpus") / "helm"


@pytest.mark.skipif(not CORPUS_CHART.is_dir(), reason="the shared corpus is not beside this checkout")
def test_the_corpus_chart_is_rendered_end_to_end(cli, helm_binary):
    if helm_binary is None:
        pytest.skip("no helm: neither on the PATH nor in the test extras' package (see .ci/run)")
    import json
    import os

    path = os.pathsep.join([str(Path(helm_binary).parent), os.environ.get("PATH", "")])
    result = cli("check", str(CORPUS_CHART), "--format", "json", env={"PATH": path})
    findings = json.loads(result.stdout)["findings"]
    assert findings and not any(f["rule"] == "IN006" for f in findings)
    # one replica: FI001, or FI010 that carries it when entrypoints depend on the service
    adservice = next(f for f in findings if f["rule"] in ("FI001", "FI010")
                     and f["file"].endswith("templates/adservice.yaml"))
    assert adservice["line"] == 37  # `spec:` of the Deployment in the template, not a line of helm's output
