"""JUnit XML: one test suite per rule that ran, one test case per finding. A finding at or above the failing
severity (`--fail-on`) is a failure; one below it is a passed test case that carries its text, so that a run
that passes shows no failed test; a rule without findings is one passed test case.

CI systems (GitLab's test reports, Jenkins, Azure Pipelines, CircleCI) show it as a test tab."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from archlint.report import escape
from archlint.report.base import Report


def render(report: Report) -> str:
    by_rule: dict[str, list] = {}
    for finding in report.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    names = {rule.id: rule for rule in report.rules}
    suites = ET.Element("testsuites", name="archlint", tests="0", failures="0", errors="0")
    total = failures = 0
    for rule_id in sorted(set(names) | set(by_rule)):
        found = by_rule.get(rule_id, [])
        rule = names.get(rule_id)
        title = escape.xml(f"{rule_id} {rule.name}" if rule else rule_id)
        failing = [f for f in found if f.severity.rank >= report.fail_on.rank]
        suite = ET.SubElement(suites, "testsuite", name=title, tests=str(max(1, len(found))),
                              failures=str(len(failing)), errors="0", skipped="0")
        if not found:
            ET.SubElement(suite, "testcase", classname=f"archlint.{rule_id}", name=f"{title}: no findings")
            total += 1
            continue
        for finding in found:
            # XML 1.0 cannot hold every character a name or file may (escape.xml); ElementTree escapes the markup.
            file, message = escape.xml(finding.file), escape.xml(finding.message)
            case = ET.SubElement(suite, "testcase", classname=f"archlint.{rule_id}",
                                 name=escape.xml(f"{finding.file}:{finding.line} {finding.node}".strip()), file=file,
                                 line=str(finding.line))
            text = "\n".join(part for part in (
                f"{finding.severity.value} {rule_id} at {file}:{finding.line}", message,
                f"Instances: {escape.xml(', '.join(finding.instances))}" if finding.instances else "",
                f"Fix: {escape.xml(finding.fix)}" if finding.fix else "") if part)
            if finding.severity.rank >= report.fail_on.rank:
                failure = ET.SubElement(case, "failure", message=message, type=finding.severity.value)
                failure.text = text
                failures += 1
            else:  # below the failing severity: reported, not failed
                ET.SubElement(case, "system-out").text = text
            total += 1
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
