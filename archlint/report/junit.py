"""JUnit XML: one test suite per rule that ran, one failing test case per finding, a passing one for a clean rule.

CI systems (GitLab's test reports, Jenkins, Azure Pipelines, CircleCI) show it as a test tab."""

from __future__ import annotations

from xml.etree import ElementTree as ET

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
        title = f"{rule_id} {rule.name}" if rule else rule_id
        suite = ET.SubElement(suites, "testsuite", name=title, tests=str(max(1, len(found))),
                              failures=str(len(found)), errors="0", skipped="0")
        if not found:
            ET.SubElement(suite, "testcase", classname=f"archlint.{rule_id}", name=f"{title}: no findings")
            total += 1
            continue
        for finding in found:
            case = ET.SubElement(suite, "testcase", classname=f"archlint.{rule_id}",
                                 name=f"{finding.file}:{finding.line} {finding.node}".strip(), file=finding.file,
                                 line=str(finding.line))
            failure = ET.SubElement(case, "failure", message=finding.message, type=finding.severity.value)
            failure.text = "\n".join(part for part in (
                f"{finding.severity.value} {rule_id} at {finding.file}:{finding.line}", finding.message,
                f"Fix: {finding.fix}" if finding.fix else "") if part)
            total += 1
            failures += 1
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
