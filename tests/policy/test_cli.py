"""The policy commands and options end to end, through the real CLI as a user runs them."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO, run_cli

FI025 = REPO / "policies" / "failure-isolation" / "examples" / "FI025"

POLICY = """\
policies:
  - id: ACME-001
    name: unprotected-database
    title: Database without deletion protection
    concern: failure-isolation
    severity: error
    documentation: {summary: s., flags: f., why: w., fix: x.}
    for: nodes
    select: {kind: datastore}
    where: {attr: attrs.deletion_protection, equals: false}
    message: "{name} can be deleted by one apply"
    fix: Protect it.
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "db.yaml").write_text(POLICY)
    (tmp_path / "bad.tf").write_text((FI025 / "bad.tf").read_text())
    return tmp_path


def test_builtin_policies_pass_their_own_tests():
    result = run_cli("policy", "test", "policies")
    out = result.stdout.decode()
    assert result.returncode == 0, out + result.stderr.decode()
    assert "0 failed" in out and "FAIL" not in out
    assert out.count("PASS ") >= 42


def test_a_failing_policy_test_prints_the_mismatch_and_exits_1(tmp_path: Path):
    project = _project(tmp_path)
    (project / "acme" / "db.test.yaml").write_text(
        "tests:\n  - name: wrong line\n    inputs: [../bad.tf]\n    expect:\n      - {rule: ACME-001, line: 7}\n"
        "  - name: right\n    inputs: [../bad.tf]\n    expect:\n      - {rule: ACME-001, file: bad.tf, line: 1}\n")
    result = run_cli("policy", "test", "acme", cwd=project)
    assert result.returncode == 1
    assert result.stdout.decode().splitlines() == [
        "FAIL acme/db.test.yaml: wrong line", "  missing     ACME-001 *:7", "  unexpected  ACME-001 ../bad.tf:1",
        "PASS acme/db.test.yaml: right", "1 passed, 1 failed"]


def test_an_invalid_test_file_is_a_usage_error(tmp_path: Path):
    project = _project(tmp_path)
    (project / "acme" / "db.test.yaml").write_text("tests:\n  - name: x\n    inputs: [nope.tf]\n    expect: []\n")
    result = run_cli("policy", "test", "acme", cwd=project)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == "acme/db.test.yaml:2: tests[0].inputs: no such file: acme/nope.tf"


def test_validate_reports_every_error_with_its_line_and_no_traceback(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(POLICY.replace("severity: error", "severity: fatal").replace("{name}", "{nmae}")
                   .replace("    fix: Protect it.\n", "    fix: Protect it.\n    colour: red\n"))
    result = run_cli("policy", "validate", str(bad))
    err = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in err
    assert err.splitlines() == [
        f"{bad}:6: policies[0].severity: 'fatal' is not one of error, warning, info",
        f"{bad}:13: policies[0].colour: unknown key (allowed: absorbs, at, cases, concern, documentation, examples, fix, "
        "for, id, key, let, message, name, node, options, related, select, severity, title, where)",
        "2 problems"]


def test_validate_accepts_the_builtin_policies():
    from archlint.rules.policy import builtin_rules

    result = run_cli("policy", "validate", "policies")
    assert result.returncode == 0 and result.stdout.decode() == f"{len(builtin_rules())} policies valid\n"


def test_check_runs_policies_given_with_the_option(tmp_path: Path):
    project = _project(tmp_path)
    result = run_cli("check", "bad.tf", "--policy", "acme", "--format", "json", cwd=project)
    assert result.returncode == 1
    assert '"rule": "ACME-001"' in result.stdout.decode()


def test_check_runs_policies_named_in_the_configuration_with_its_settings(tmp_path: Path):
    project = _project(tmp_path)
    (project / ".archlint.yaml").write_text("policies: [acme]\nrules:\n  ACME-001: info\n")
    result = run_cli("check", "bad.tf", cwd=project)
    out = result.stdout.decode()
    assert result.returncode == 0, out + result.stderr.decode()
    assert "info     ACME-001  aws_db_instance.ledger can be deleted by one apply" in out


def test_a_policy_reusing_a_builtin_id_is_refused(tmp_path: Path):
    project = _project(tmp_path)
    (project / "acme" / "db.yaml").write_text(POLICY.replace("ACME-001", "FI025"))
    result = run_cli("check", "bad.tf", "--policy", "acme", cwd=project)
    assert result.returncode == 2
    assert "two rules claim the id FI025: deletion-protection-off and unprotected-database" in result.stderr.decode()


def test_a_missing_configured_directory_is_a_configuration_error(tmp_path: Path):
    project = _project(tmp_path)
    (project / ".archlint.yaml").write_text("policies: [nowhere]\n")
    result = run_cli("check", "bad.tf", cwd=project)
    assert result.returncode == 2
    assert f"policies[0]: no such directory: {project / 'nowhere'}" in result.stderr.decode()


def test_explain_shows_a_builtin_policy_with_its_examples():
    out = run_cli("explain", "FI025").stdout.decode()
    assert out.startswith("FI025 deletion-protection-off\n\nStateful store has deletion protection off\n")
    assert "What it flags:" in out and "Example (bad, bad.tf):" in out and "Example (good, good.tf):" in out
