"""What a run read and what it did not: per format files, documents and modelled components, and every kind of
input left unread with its count, its reason and how to make archlint read it (schemas/report.schema.json,
`$defs/coverage`). "No findings" then means "read, and fine", never "nothing was read"."""

from __future__ import annotations

from collections import Counter

from archlint.finding import Finding

#: Input findings that stand for something not read: files that could not be parsed, references not followed.
UNREADABLE, UNREAD = "IN001", "IN006"

#: A pipeline counter of something skipped -> (what one is, what several are, why they were not read, how to
#: have them read; "" when there is nothing to do). Counters without an entry here are still reported, under their name.
SKIPPED: dict[str, tuple[str, str, str, str]] = {
    "skipped.templates": (
        "template file", "template files", "Helm or Jinja markers ({{ }}) make them templates, not manifests",
        "render them and check the output: helm template CHART | archlint check -"),
    "skipped.other-templates": (
        ".template file that is not CloudFormation", ".template files that are not CloudFormation", "they say neither AWSTemplateFormatVersion nor the SAM "
        "transform", ""),
    "skipped.other-json": ("JSON file of another kind", "JSON files of other kinds", "no format archlint reads (package.json, tsconfig, ...)", ""),
    "skipped.unknown-documents": (
        "YAML or JSON document of another kind", "YAML or JSON documents of other kinds", "neither a Kubernetes object (apiVersion and kind) nor a service "
        "graph, compose file, Backstage entity, CloudFormation template, plan or Jaeger export", ""),
    "skipped.python-iac": (
        "Python file outside a Pulumi project or CDK app", "Python files outside a Pulumi project or CDK app", "only programs of a Pulumi.yaml (runtime python) or a "
        "cdk.json app are read, and application code only inside a component's source directory",
        "declare the component's source directory (source: in the service graph, or the archlint.dev/source "
        "annotation)"),
    "skipped.appcode-tests": ("test file of application code", "test files of application code", "tests call without timeouts on purpose", ""),
    "skipped.appcode-unparsable": (
        "application Python file libcst could not parse", "application Python files libcst could not parse", "a syntax error, or Python 2",
        "fix the syntax (python -m py_compile FILE shows where)"),
    "skipped.terraform-zero-count": (
        "Terraform resource with no instance", "Terraform resources with no instance", "count = 0 or an empty for_each", ""),
    "skipped.terraform-remote-modules": (
        "Terraform module call with a remote source", "Terraform module calls with a remote source", "registry, git and URL sources are never fetched",
        "run terraform init (or terraform get) so that .terraform/modules holds them"),
    "skipped.terraform-missing-modules": (
        "Terraform module call whose directory is missing or outside the scan", "Terraform module calls whose directory is missing or outside the scan", "archlint reads only the paths "
        "given", "check the directory that holds both the caller and the module"),
    "skipped.variants": (
        "variant left out by the configuration", "variants left out by the configuration",
        "the configuration's systems choose one variant each", "name the variant to check in .archlint.yaml"),
    "unread.templates": (
        "template file outside a chart", "template files outside a chart",
        "Helm or Jinja markers ({{ }}) make them templates; each directory is an IN006 finding",
        "render them (helm template CHART | archlint check -), or keep the chart's Chart.yaml beside them"),
    "unread.helm-chart": (
        "Helm chart not rendered", "Helm charts not rendered", "each is an IN006 finding that says why",
        "see each finding's fix (helm on the PATH, the chart's dependencies vendored)"),
    "unread.terraform-modules": (
        "Terraform module call not read", "Terraform module calls not read",
        "a remote source without .terraform/modules, or a directory missing: each is an IN006 finding",
        "run terraform init (or terraform get) so that .terraform/modules holds them"),
    "unread.kustomize-remote": (
        "remote kustomize resource", "remote kustomize resources", "archlint never fetches",
        "vendor them, or render: kubectl kustomize DIR | archlint check -"),
    "unread.kustomize-outside": (
        "kustomize reference outside the scan", "kustomize references outside the scan",
        "archlint reads only the paths given", "run archlint from a directory that contains them"),
    "skipped.terraform-module-cycles": ("Terraform module call that calls back into its caller", "Terraform module calls that call back into their caller", "a cycle", ""),
}


def build(stats: dict[str, int], components: Counter, findings: tuple[Finding, ...]) -> dict:
    """The coverage block of a run: `stats` are the pipeline's counters, `components` the model's components
    per format, `findings` the run's findings (for the files not parsed and the references not read)."""
    formats = sorted({key.split(".", 1)[1] for key in stats if key.startswith(("files.", "documents."))}
                     | set(components))
    read = []
    for name in formats:
        entry = {"format": name, "files": stats.get(f"files.{name}", 0),
                 "documents": stats.get(f"documents.{name}", 0), "components": components.get(name, 0)}
        if any(entry[k] for k in ("files", "documents", "components")):
            read.append(entry)
    not_read = []
    counters = {k for k in stats if k.startswith(("skipped.", "unread.")) and stats[k]} - _READ_ANOTHER_WAY
    # A kind counted both as skipped by the pipeline and as said by its loader (IN006) is told once, as said.
    counters -= {k for k in counters if k.startswith("skipped.") and "unread." + k[len("skipped."):] in counters}
    for key in sorted(counters):
        one, what, reason, how = SKIPPED.get(key) or _unknown(key)
        not_read.append({"what": what, "one": one, "count": stats[key], "reason": reason, "how": how,
                         "counter": key})
    broken = sum(1 for f in findings if f.rule == UNREADABLE)
    if broken:
        not_read.append({"what": "files that could not be read or parsed", "one": "file that could not be read or "
                         "parsed", "count": broken,
                         "reason": f"each is an {UNREADABLE} finding at the line the parser gives",
                         "how": "fix the file, or exclude it", "counter": f"findings.{UNREADABLE}"})
    unread = sum(1 for f in findings if f.rule == UNREAD)
    if unread and not any(k.startswith("unread.") for k in stats):
        not_read.append({"what": "references not read", "one": "reference not read", "count": unread,
                         "reason": f"each is an {UNREAD} finding",
                         "how": "see each finding's fix", "counter": f"findings.{UNREAD}"})
    return {"files": stats.get("files", 0), "documents": stats.get("documents", 0),
            "components": sum(components.values()), "formats": read, "not_read": not_read}


#: Counters of files that are read, through something else: a Helm chart's files through `helm template`.
_READ_ANOTHER_WAY = frozenset({"skipped.helm-files"})


def _unknown(key: str) -> tuple[str, str, str, str]:
    kind, _, what = key.partition(".")
    if what.startswith("kustomize-"):
        feature = what[len("kustomize-"):]
        return (f"kustomization using {feature}", f"kustomizations using {feature}",
                "a kustomize feature archlint does not apply: each is an IN006 finding",
                "render: kubectl kustomize DIR | archlint check -")
    name = what.replace("-", " ")
    if kind == "unread":
        return name, name, f"recognised but not read: each is an {UNREAD} finding", "see each finding's fix"
    return name, name, "skipped", ""


def components_by_format(model) -> Counter:
    """Components per format they were read from (`kubernetes`, `terraform`, ...)."""
    return Counter(component.source for component in model.components())
