"""What `archlint check` shows: --select/--ignore, --min-severity, --statistics, --quiet, and the width."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "web.yaml").write_text(MANIFEST)
    (tmp_path / "broken.yaml").write_text("a: [\n")
    return tmp_path


def _rules(project, *args):
    done = run_cli("check", str(project), "--format", "json", *args)
    return sorted({f["rule"] for f in json.loads(done.stdout)["findings"]}), done


def test_select_by_id_name_concern_and_prefix_and_unreadable_files_stay(project):
    every, _ = _rules(project)
    # the container sets no resources at all: one finding, FI038, standing for CO001 (absorbed) ...
    assert {"FI001", "FI005", "FI006", "FI038", "IN001"} <= set(every) and "CO001" not in every
    # ... which is back when FI038 is not run
    assert "CO001" in _rules(project, "--ignore", "FI038")[0]
    assert _rules(project, "--select", "FI001")[0] == ["FI001", "IN001"]
    by_name = _rules(project, "--select", "long-running-container-without-liveness-probe,cost")[0]
    assert by_name[-2:] == ["FI006", "IN001"] and by_name[0].startswith("CO") and len(by_name) <= 4
    assert all(r.startswith(("FI0", "IN001")) for r in _rules(project, "--select", "FI0")[0])
    assert _rules(project, "--select", "FI001", "--ignore", "IN001")[0] == ["FI001"]


def test_ignore_removes_rules(project):
    left, _ = _rules(project, "--ignore", "FI0", "--ignore", "observability")
    assert left and not any(r.startswith(("FI0", "OB")) for r in left)


def test_a_selector_that_names_no_rule_is_a_usage_error(project):
    done = run_cli("check", str(project), "--select", "FI999")
    assert done.returncode == 2 and b"'FI999' matches no rule" in done.stderr


def test_min_severity_hides_lower_findings_in_every_format_and_says_so(project):
    rules, done = _rules(project, "--min-severity", "warning", "--fail-on", "warning")
    assert "FI006" not in rules and "FI001" in rules
    text = run_cli("check", str(project), "--min-severity", "error").stdout.decode()
    assert "below error not shown" in text.splitlines()[-1] and "warning  " not in text


def test_min_severity_may_not_hide_what_fails_the_run(project):
    done = run_cli("check", str(project), "--min-severity", "error", "--fail-on", "warning")
    assert done.returncode == 2 and b"would hide warning findings" in done.stderr


def test_statistics_and_quiet(project):
    stats = run_cli("check", str(project), "--statistics").stdout.decode().splitlines()
    assert any(line.split()[1:3] == ["FI001", "error"] for line in stats if line.strip())
    assert stats[-1].startswith(("1 error", "2 errors"))
    quiet = run_cli("check", str(project), "--quiet")
    assert quiet.returncode == 1 and len(quiet.stdout.decode().splitlines()) == 1
    assert run_cli("check", str(project), "--quiet", "--format", "json").returncode == 2


def test_text_lines_fit_100_columns_when_not_a_terminal(project):
    text = run_cli("check", str(project), "--verbose").stdout.decode()
    assert max(len(line) for line in text.splitlines()) <= 100
    assert text.startswith("Read 2 files")


#: How the top-level help names each loader's format; a new loader must be added here and to the help.
HELP_NAMES = {"kubernetes": "Kubernetes manifests", "service-graph": "service graph", "backstage": "Backstage",
              "compose": "docker-compose", "jaeger": "Jaeger", "cloudformation": "CloudFormation",
              "terraform-plan": "plan JSON", "terraform": "Terraform configurations", "python-iac": "Pulumi and AWS CDK",
              "appcode": "application Python code", "usage": "measured use"}


def test_the_top_level_help_describes_every_format_archlint_reads():
    from archlint.loaders import appcode, usage
    from archlint.loaders.pipeline import DIRECTORY_LOADERS, LOADERS

    text = " ".join(run_cli("--help").stdout.decode().split())
    formats = {m.FORMAT for m in (*LOADERS, *DIRECTORY_LOADERS, appcode, usage)}
    assert formats <= set(HELP_NAMES), f"describe {formats - set(HELP_NAMES)} in `archlint --help`"
    for name in formats:
        assert HELP_NAMES[name] in text, name
