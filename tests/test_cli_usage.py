"""`archlint check --usage FILE` and `usage:` in the config, end to end through the real command line."""

from __future__ import annotations

import json
import textwrap

from tests.conftest import run_cli

DEPLOYMENT = textwrap.dedent("""\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: orders, namespace: shop}
    spec:
      replicas: 4
      template:
        metadata: {labels: {app: orders}}
        spec:
          containers:
            - name: orders
              image: ghcr.io/acme/orders:3.2.1
              resources:
                requests: {cpu: "2", memory: 4Gi}
                limits: {memory: 4Gi}
    """)
USAGE = "workload,container,cpu_p95,memory_peak,samples,period\nshop/orders,orders,0.31,610Mi,20160,14d\n"


def _findings(result, rule):
    return [f for f in json.loads(result.stdout)["findings"] if f["rule"] == rule]


def test_usage_option_turns_measured_use_into_a_finding_with_money(tmp_path):
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "orders.yaml").write_text(DEPLOYMENT)
    (tmp_path / "usage.csv").write_text(USAGE)
    without = run_cli("check", "deploy", "--format", "json", cwd=tmp_path)
    assert _findings(without, "OP020") == []
    result = run_cli("check", "deploy", "--usage", "usage.csv", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [found] = _findings(result, "OP020")
    assert (found["file"], found["line"], found["severity"]) == ("deploy/orders.yaml", 12, "warning")
    assert "310m used at p95" in found["message"] and "usage.csv:2" in found["message"]
    assert "/month reserved and unused over 4 replicas" in found["message"]


def test_usage_from_the_config_file_relative_to_it(tmp_path):
    (tmp_path / "orders.yaml").write_text(DEPLOYMENT)
    (tmp_path / "ops").mkdir()
    (tmp_path / "ops" / "usage.json").write_text(json.dumps({"rows": [
        {"workload": "orders", "cpu_p95": "310m", "memory_peak": "610Mi", "samples": 20160}]}))
    (tmp_path / ".archlint.yaml").write_text("usage: ops/usage.json\n")
    result = run_cli("check", ".", "--format", "json", cwd=tmp_path)
    assert [f["line"] for f in _findings(result, "OP020")] == [12]


def test_errors_in_the_usage_file_are_input_findings_with_lines(tmp_path):
    (tmp_path / "orders.yaml").write_text(DEPLOYMENT)
    (tmp_path / "usage.csv").write_text(USAGE + "shop/payments,,0.1,,,\n")
    result = run_cli("check", "orders.yaml", "--usage", "usage.csv", cwd=tmp_path)
    assert result.returncode == 1  # IN005 is an error
    text = result.stdout.decode()
    assert "usage.csv" in text and "IN005" in text and "unknown workload 'shop/payments'" in text
    again = run_cli("check", "orders.yaml", "--usage", "usage.csv", "--format", "json", cwd=tmp_path)
    report = json.loads(again.stdout)
    assert [(f["file"], f["line"]) for f in report["findings"] if f["rule"] == "IN005"] == [("usage.csv", 3)]


def test_a_missing_usage_file_is_a_usage_error(tmp_path):
    (tmp_path / "orders.yaml").write_text(DEPLOYMENT)
    assert run_cli("check", "orders.yaml", "--usage", "nowhere.csv", cwd=tmp_path).returncode == 2
    (tmp_path / ".archlint.yaml").write_text("usage: nowhere.csv\n")
    result = run_cli("check", "orders.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "usage: no such file" in result.stderr.decode()
