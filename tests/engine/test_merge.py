"""One finding per problem: copies of one finding (module instances, variants) fold into one listing them."""

from __future__ import annotations

import json

from archlint.engine.merge import merge
from archlint.engine.run import fingerprint
from archlint.finding import Finding, Location, Severity
from tests.conftest import run_cli


def _f(node: str, message: str = "db has no standby", line: int = 7, related=(), file: str = "modules/db/main.tf"):
    raw = Finding(rule="FI020", message=message, file=file, line=line, node=node, severity=Severity.ERROR,
                  related=tuple(related))
    return Finding(rule="FI020", message=message, file=file, line=line, node=node, severity=Severity.ERROR,
                   related=tuple(related), fingerprint=fingerprint(raw))


def test_identical_findings_of_copies_become_one_listing_every_copy():
    a = _f("module.b.db", related=[Location("main.tf", 6, "module.b")])
    b = _f("module.a.db", related=[Location("main.tf", 1, "module.a")])
    c = _f("module.a.db", message="db has no backups", line=9)
    merged = merge([a, b, c], label=lambda node: node.split(".db")[0])
    assert len(merged) == 2
    one = next(f for f in merged if f.line == 7)
    # the first copy by node id leads: its node and fingerprint, so that a baseline keeps matching it
    assert one.node == "module.a.db" and one.fingerprint == b.fingerprint
    assert one.instances == ("module.a", "module.b")
    assert one.nodes == ("module.b.db",)
    assert one.related == (Location("main.tf", 1, "module.a"), Location("main.tf", 6, "module.b"))
    assert next(f for f in merged if f.line == 9) == c  # a lone finding is left as it is


def test_merging_does_not_depend_on_the_order_findings_come_in():
    findings = [_f(f"module.m{i}.db") for i in (3, 1, 2)]
    label = str
    assert merge(findings, label) == merge(list(reversed(findings)), label)


def test_findings_that_differ_in_message_or_file_stay_apart():
    assert len(merge([_f("a"), _f("b", message="other")], str)) == 2
    assert len(merge([_f("a"), _f("b", file="other.tf")], str)) == 2


def test_a_module_called_twice_reports_its_problem_once(tmp_path):
    (tmp_path / "modules" / "db").mkdir(parents=True)
    (tmp_path / "main.tf").write_text('module "orders" {\n  source = "./modules/db"\n}\n\n'
                                      'module "billing" {\n  source = "./modules/db"\n}\n')
    (tmp_path / "modules" / "db" / "main.tf").write_text(
        'resource "aws_db_instance" "this" {\n  engine = "postgres"\n  instance_class = "db.t3.micro"\n'
        '  multi_az = false\n  backup_retention_period = 7\n  deletion_protection = true\n'
        '  tags = { team = "data" }\n}\n')
    done = run_cli("check", str(tmp_path), "--format", "json", "--root", str(tmp_path))
    findings = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "FI020"]
    assert len(findings) == 1
    assert findings[0]["file"] == "modules/db/main.tf" and findings[0]["line"] == 4
    assert findings[0]["instances"] == ["terraform:module.billing.aws_db_instance.this",
                                        "terraform:module.orders.aws_db_instance.this"]
    text = run_cli("check", str(tmp_path), "--root", str(tmp_path)).stdout
    assert text.count(b"FI020") == 1


def test_copies_named_after_their_instance_are_one_finding():
    names = {"a": "module.a.aws_db_instance.this", "b": "module.b.aws_db_instance.this"}
    findings = [_f(node, message=f"database {names[node]} has no standby") for node in ("b", "a")]
    [merged] = merge(findings, str, names.get)
    assert merged.message == "database module.a.aws_db_instance.this has no standby" and merged.instances == ("a", "b")
