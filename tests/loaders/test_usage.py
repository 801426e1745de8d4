"""The usage file: CSV and JSON rows onto components, name resolution, and every error with its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from archlint.engine.config import ConfigError, load_config
from archlint.loaders.discover import SourcePath, discover
from archlint.loaders.pipeline import load
from archlint.rules import all_rules

MANIFESTS = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - {name: api, image: ghcr.io/acme/api:1, resources: {requests: {cpu: "1", memory: 2Gi}}}
        - {name: envoy, image: envoyproxy/envoy:v1.31.2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: shop}
spec:
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers:
        - {name: worker, image: ghcr.io/acme/worker:1}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: staging}
spec:
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers:
        - {name: worker, image: ghcr.io/acme/worker:1}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 6
"""


def _load(tmp_path: Path, usage_name: str, usage_text: str, explicit: bool = True):
    (tmp_path / "app.yaml").write_text(MANIFESTS)
    usage = tmp_path / usage_name
    usage.write_text(textwrap.dedent(usage_text))
    paths = discover([tmp_path], tmp_path)
    return load(paths, usage=SourcePath(usage, usage_name) if explicit else None)


def _problems(result):
    return [(f.rule, f.file, f.line, f.message) for f in result.findings]


def test_csv_rows_land_on_containers_and_workloads(tmp_path):
    result = _load(tmp_path, "usage.csv", """\
        # exported from Prometheus, 14 days
        workload,container,cpu_p95,cpu_p99,memory_peak,samples,period
        shop/api,api,250m,0.4,1.2Gi,20160,14d   # the API container
        shop/api,envoy,0.05,,96Mi,20160,14d
        staging/worker,,0.1,,800MB,300,36h
        """)
    assert _problems(result) == []
    api = result.model.component("shop/api").attrs["usage"]
    assert api["file"] == "usage.csv"
    assert api["containers"]["api"] == {"line": 3, "cpu": {"p95": 0.25, "p99": 0.4}, "memory_peak": 1.2 * 2**30,
                                        "samples": 20160, "period": "14d", "period_days": 14.0}
    assert api["containers"]["envoy"]["cpu"] == {"p95": 0.05}
    # A workload row for a workload of one container is that container's row.
    worker = result.model.component("staging/worker").attrs["usage"]
    assert worker["containers"]["worker"]["memory_peak"] == 800e6
    assert worker["containers"]["worker"]["period_days"] == 1.5
    assert "usage" not in result.model.component("shop/worker").attrs


def test_a_workload_row_of_several_containers_describes_the_whole_pod(tmp_path):
    result = _load(tmp_path, "usage.csv", "workload,cpu_p95,memory_peak,samples\nshop/api,0.3,700Mi,500\n")
    assert _problems(result) == []
    assert result.model.component("shop/api").attrs["usage"]["workload"]["cpu"] == {"p95": 0.3}


@pytest.mark.parametrize("document", [
    '{"source": "dashboards", "rows": [\n  {"workload": "api", "container": "api", "cpu_p95": 0.2, "samples": 9}\n]}\n',
    '[\n  {"workload": "api", "container": "api", "cpu_p95": 0.2, "samples": 9}\n]\n',
])
def test_json_object_or_array(tmp_path, document):
    result = _load(tmp_path, "measured.json", document)
    assert _problems(result) == []
    assert result.model.component("shop/api").attrs["usage"]["containers"]["api"] == {
        "line": 2, "cpu": {"p95": 0.2}, "samples": 9}


def test_names_resolve_by_id_or_unique_name_and_ignore_autoscalers(tmp_path):
    # "api" is also the HorizontalPodAutoscaler's name: controls are not workloads, so the name is unique.
    result = _load(tmp_path, "usage.csv", """\
        workload,container,cpu_p95
        api,api,0.2
        worker,,0.1
        ghost,,0.1
        """)
    assert _problems(result) == [
        ("IN005", "usage.csv", 3, "usage file: workload 'worker' names 2 components (shop/worker, staging/worker): "
                                  "write the node id"),
        ("IN005", "usage.csv", 4, "usage file: unknown workload 'ghost': no component has this id or name "
                                  "(see `archlint graph`)"),
    ]
    assert result.model.component("shop/api").attrs["usage"]["containers"]["api"]["cpu"] == {"p95": 0.2}


def test_csv_errors_are_reported_with_their_lines_and_the_other_rows_kept(tmp_path):
    result = _load(tmp_path, "usage.csv", """\
        workload,container,cpu_p95,memory_peak,samples,colour
        shop/api,api,lots,1Gi,10,red
        shop/api,sidecar,0.1,,,
        shop/api,envoy,0.1,,,
        shop/api,envoy,0.2,,,
        shop/api,,0.2,,,
        staging/worker,,,,5,
        shop/worker,,0.1,2 GB,,
        shop/worker,,0.1,,1,,extra
        shop/worker,,0.1,,1.5,
        """)
    messages = [(line, message.removeprefix("usage file: ")) for _, _, line, message in _problems(result)]
    assert messages == [
        (1, "unknown column 'colour' (known: workload, container, cpu_p90, cpu_p95, cpu_p99, memory_peak, samples, "
            "period)"),
        (9, "7 cells, but the header names 6 columns"),
        (2, "column cpu_p95: 'lots' is not a number of cores (0.25) or millicores (250m)"),
        (8, "column memory_peak: '2 GB' is not bytes, or a quantity such as 512Mi, 1.2Gi or 800MB"),
        (10, "column samples: 1.5 is not of type 'integer'"),
        (7, "the row gives none of cpu_p90, cpu_p95, cpu_p99, memory_peak"),
        (3, "shop/api has no container 'sidecar' (containers: api, envoy)"),
        (5, "a second row for container envoy of shop/api (the first is on line 4)"),
        (6, "shop/api has both a row for the whole workload and rows per container (line 4): give one or the other"),
    ]
    assert result.model.component("shop/api").attrs["usage"]["containers"]["envoy"]["line"] == 4


def test_a_header_without_workload_stops_the_file(tmp_path):
    result = _load(tmp_path, "usage.csv", "name,cpu_p95\napi,0.1\n")
    assert [(line, rule) for rule, _, line, _ in _problems(result)] == [(1, "IN005"), (1, "IN005")]


def test_json_syntax_and_schema_errors_have_lines_and_paths(tmp_path):
    broken = _load(tmp_path, "usage.json", '{"rows": [\n  {"workload": "api",\n]}\n')
    assert [(rule, line) for rule, _, line, _ in _problems(broken)] == [("IN005", 3)]
    invalid = _load(tmp_path, "usage.json", """\
        {"rows": [
          {"workload": "api", "container": "api", "cpu_p95": 0.1},
          {"workload": "api", "container": "envoy", "cpu_p95": -1, "gpu": 1}
        ]}
        """)
    assert [(line, message) for _, _, line, message in _problems(invalid)] == [
        (3, "usage file: rows[1].cpu_p95: -1 is not a number of cores (0.25) or millicores (250m)"),
        (3, "usage file: rows[1].gpu: unknown key (allowed: container, cpu_p90, cpu_p95, cpu_p99, memory_peak, "
            "period, samples, workload)"),
    ]
    assert set(invalid.model.component("shop/api").attrs["usage"]["containers"]) == {"api"}
    shapeless = _load(tmp_path, "usage.json", '{"workloads": []}\n')
    assert [line for _, _, line, _ in _problems(shapeless)] == [1]


def test_not_utf8(tmp_path):
    (tmp_path / "app.yaml").write_text(MANIFESTS)
    (tmp_path / "usage.csv").write_bytes(b"workload,cpu_p95\n\xff\xfe,0.1\n")
    result = load(discover([tmp_path], tmp_path), usage=SourcePath(tmp_path / "usage.csv", "usage.csv"))
    assert [(rule, line) for rule, _, line, _ in _problems(result)] == [("IN005", 2)]


def test_files_named_usage_are_read_from_the_paths_and_once_only(tmp_path):
    text = '[{"workload": "shop/api", "container": "api", "cpu_p95": 0.2}]\n'
    found = _load(tmp_path, "prod.usage.json", text, explicit=False)
    assert _problems(found) == [] and found.stats["files"] == 2
    assert found.model.component("shop/api").attrs["usage"]["file"] == "prod.usage.json"
    both = _load(tmp_path, "prod.usage.json", text, explicit=True)
    assert _problems(both) == []


def test_two_files_cannot_both_describe_one_workload(tmp_path):
    (tmp_path / "a.usage.json").write_text('[{"workload": "shop/api", "container": "api", "cpu_p95": 0.2}]\n')
    result = _load(tmp_path, "b.csv", "workload,container,cpu_p95\nshop/api,envoy,0.1\n")
    assert [(f, line, m) for _, f, line, m in _problems(result)] == [
        ("b.csv", 2, "usage file: the use of shop/api is already given in a.usage.json")]


def test_config_usage_is_relative_to_the_config_file(tmp_path):
    (tmp_path / "ops").mkdir()
    (tmp_path / "ops" / "usage.csv").write_text("workload,cpu_p95\napi,0.1\n")
    config = tmp_path / ".archlint.yaml"
    config.write_text("usage: ops/usage.csv\n")
    assert load_config(config, all_rules()).usage == tmp_path / "ops" / "usage.csv"
    config.write_text("fail_on: warning\nusage: ops/missing.csv\n")
    with pytest.raises(ConfigError) as error:
        load_config(config, all_rules())
    assert error.value.errors == [f"{config}:2: usage: no such file: {tmp_path / 'ops' / 'missing.csv'}"]
