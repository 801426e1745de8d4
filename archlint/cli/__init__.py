"""The command line: thin click commands that parse options and hand over to the wiring and the formatters."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from archlint import __version__
from archlint.cli.output import _View, _emit, _plain, _report_and_exit, _selected, _stderr

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "markdown")
GRAPH_FORMATS = ("json", "dot", "mermaid")
SEVERITIES = ("error", "warning", "info")

_config_option = click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
                              help="Configuration file (default: .archlint.yaml found upward from the first path).")
_exclude_option = click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching GLOB (repeatable).")
_sarif_suppressions = click.option(
    "--sarif-suppressions", is_flag=True, help="SARIF: also write suppressed and baselined findings, marked with "
    "`suppressions` (GitHub code scanning ignores the mark and would open them as alerts).")
_common = [
    click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
                 help="Output format."),
    click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE."),
    _config_option,
    click.option("--fail-on", type=click.Choice(SEVERITIES), help="Lowest severity that makes the exit code 1 "
                 "[default: error, or fail_on in the config]."),
    _exclude_option,
    click.option("--usage", "usage_path", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
                 help="Measured use per workload, CSV or JSON (default: usage in the config)."),
    click.option("--select", multiple=True, metavar="RULES", help="Report only these rules: ids, names, concerns "
                 "or id prefixes (FI0), comma-separated or repeated. Unreadable files (IN001) are still reported."),
    click.option("--ignore", multiple=True, metavar="RULES", help="Do not report these rules (same forms as "
                 "--select)."),
    click.option("--min-severity", type=click.Choice(SEVERITIES), help="Lowest severity to show, in every format "
                 "[default: info]; it may not hide what --fail-on fails on."),
    click.option("--statistics", is_flag=True, help="Text: print a count per rule instead of the findings."),
    click.option("--quiet", "-q", is_flag=True, help="Text: print the summary line only."),
    click.option("--verbose", "-v", is_flag=True, help="Text: everything: the full coverage of what was and was not "
                 "read, node ids, every instance, and where prices come from."),
]


def _options(function):
    for option in reversed(_common):
        function = option(function)
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archlint", message="%(prog)s %(version)s")
def cli() -> None:
    """archlint: lint the architecture of a whole cloud system, not one resource at a time.

    Builds one model of the system from the files a team already has, without running anything from them and
    without the network, and judges it for failure isolation, data gravity, over-provisioning, cost,
    observability and placement.

    \b
    It reads:
      Kubernetes manifests (.yaml, .yml, .json; multi-document streams, List kinds)
      kustomize and Helm output given on standard input (helm template ... | archlint check -)
      Terraform configurations (.tf, terraform.tfvars, *.auto.tfvars) and plan JSON (terraform show -json)
      CloudFormation and SAM templates (YAML with short tags, JSON, .template)
      docker-compose files (compose*.yaml, docker-compose*.yml, docker-stack*.yml)
      Backstage catalogs (catalog-info.yaml, backstage.io/v1alpha1 entities)
      Pulumi and AWS CDK programs in Python (read with libcst, never imported or run)
      application Python code inside a component's source directory (timeouts, retries)
      Jaeger dependency exports, measured use (*.usage.csv, *.usage.json)
      archlint's own service graph (apiVersion: archlint.dev/v1, kind: ServiceGraph)

    Every run says what it read and what it did not (templates, unknown YAML, remote modules), with why.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@_options
@click.option("--root", type=click.Path(exists=True, file_okay=False),
              help="Directory file names are shown relative to (default: the working directory, or the paths' common parent).")
@click.option("--model-root", type=click.Path(exists=True, file_okay=False),
              help="Build the model from this whole tree but show only findings in PATHS (what the pre-commit hook "
                   "does). Default: the project PATHS are in (the nearest directory with .archlint.yaml or .git).")
@click.option("--paths-only", is_flag=True, help="Build the model from PATHS alone, not from the project around them.")
@click.option("--base", "base_ref", metavar="REF",
              help="Git revision to compare the cost estimate with (cost.budgets.increase); read from git, the work "
                   "tree is not touched.")
@click.option("--baseline", "baseline_path", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="Report only findings that are not in this baseline (see --write-baseline).")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Record today's findings in FILE and exit 0: later runs with --baseline FILE show only new ones.")
@click.option("--policy", "policy_dirs", multiple=True, type=click.Path(exists=True, file_okay=False), metavar="DIR",
              help="Also run the YAML policies of DIR (repeatable; see docs/policies.md).")
@_sarif_suppressions
@click.option("--no-cache", is_flag=True, help="Parse every file again and leave the cache alone (as "
              "ARCHLINT_NO_CACHE=1 does; the cache is in ~/.cache/archlint or $ARCHLINT_CACHE_DIR).")
def check(paths, fmt, output, config_path, fail_on, exclude, usage_path, select, ignore, min_severity, statistics,
          quiet, verbose, root, model_root, paths_only, base_ref, baseline_path, write_baseline, policy_dirs,
          sarif_suppressions, no_cache) -> None:
    """Check PATHS (files, directories, or - for a YAML stream on stdin; default: .)."""
    from archlint.cli import wiring
    from archlint.rules import all_rules

    if no_cache:
        os.environ["ARCHLINT_NO_CACHE"] = "1"  # read by every cache: parsed files and kustomize renderings
    _require(paths)
    # the rules are made when first needed (wiring.Scan.rules): on a first run, while a forked child parses
    scan = wiring.prepare(paths, config_path, exclude, root, model_root, all_rules, usage=usage_path,
                          policies=policy_dirs, whole_project=not paths_only)
    view = _View(fmt, select, ignore, min_severity, statistics, quiet, verbose, sarif_suppressions)
    _report_and_exit(_selected(scan, view), None, fmt, output, fail_on, view, base_ref=base_ref,
                     baseline=baseline_path, write_baseline=write_baseline)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the breakdown to FILE.")
@_config_option
@_exclude_option
@click.option("--base", "base_ref", metavar="REF", help="Also estimate PATHS at this git revision and show the "
              "difference per node (read from git; the work tree is not touched).")
@click.option("--catalog", "show_catalog", is_flag=True, help="List the price catalog's coverage and sources instead.")
def cost(paths, fmt, output, config_path, exclude, base_ref, show_catalog) -> None:
    """Estimate the monthly cost of PATHS (default: .): by node, team and tier, data transfer and budgets."""
    from archlint.cli import wiring
    from archlint.rules import all_rules

    if show_catalog:
        from archlint.report.catalog import render

        _emit(render(fmt), output)
        return
    _require(paths)
    scan = wiring.prepare(paths, config_path, exclude, None, None, all_rules())
    report, loaded = wiring.cost_report(scan, __version__, base_ref)
    for problem in loaded.findings:
        _stderr(f"{problem.file}:{problem.line}: {problem.message}")
    from archlint.report.cost import as_json, text

    _emit(as_json(report) if fmt == "json" else _plain(text(report)), output)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the advice to FILE.")
@_config_option
@_exclude_option
def advise(paths, fmt, output, config_path, exclude) -> None:
    """Recommend grid, cloud, edge or AI infrastructure for every workload in PATHS (default: .), with the
    reasons, simpler managed alternatives, and where the system stands on the six-step scaling roadmap."""
    from archlint.cli import wiring
    from archlint.report.advice import as_json, text
    from archlint.rules import all_rules

    _require(paths)
    scan = wiring.prepare(paths, config_path, exclude, None, None, all_rules())
    found, loaded = wiring.advice(scan)
    for problem in loaded.findings:
        _stderr(f"{problem.file}:{problem.line}: {problem.message}")
    preferences = scan.config.placement
    _emit(as_json(found, preferences, __version__) if fmt == "json" else _plain(text(found, preferences)), output)


@cli.command("failure-modes")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the matrix to FILE.")
@_config_option
@_exclude_option
@click.option("--disruption", "disruptions", multiple=True, metavar="KIND=SUBJECT",
              help="Answer one what-if: zone=eu-west-1a, region=eu-west-1, node=NAME, component=NAME, ... "
                   "(repeatable).")
@click.option("--figures", "show_figures", is_flag=True, help="List the recovery figures and their sources instead.")
def failure_modes(paths, fmt, output, config_path, exclude, disruptions, show_figures) -> None:
    """Assess what each disruption (a component, a node, a zone, a region, a provider, a cluster, an external
    service, a store's primary) does to each user journey in PATHS (default: .): fails, degrades or survives,
    through which component, the recovery time and data loss with their sources, against the resilience policy."""
    from archlint.cli import wiring
    from archlint.report.failure_modes import as_json, text
    from archlint.report.failure_modes_views import figures_text
    from archlint.rules import all_rules

    _require(paths)
    scan = wiring.prepare(paths, config_path, exclude, None, None, all_rules())
    if show_figures:
        from archlint.model import SystemModel
        from archlint.resilience import figure_table

        empty = SystemModel()
        empty.resilience = wiring.resilience(scan)
        _emit(figures_text(figure_table(empty)), output)
        return
    report, loaded = wiring.failure_modes(scan, __version__, disruptions)
    for problem in loaded.findings:
        _stderr(f"{problem.file}:{problem.line}: {problem.message}")
    _emit(as_json(report) if fmt == "json" else _plain(text(report)), output)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(("html", "markdown")), default="html", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to FILE (default: standard output).")
@_config_option
@_exclude_option
@click.option("--usage", "usage_path", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="Measured use per workload, CSV or JSON (default: usage in the config).")
@click.option("--title", help="The report's title (default: the name of the first path's directory).")
def report(paths, fmt, output, config_path, exclude, usage_path, title) -> None:
    """Write an advisory report of PATHS (default: .): the architecture diagram, findings by concern, placement
    with reasons, the cost breakdown with budgets, and the roadmap. Always exits 0 unless it cannot run."""
    from archlint.cli import wiring
    from archlint.rules import all_rules

    _require(paths)
    scan = wiring.prepare(paths, config_path, exclude, None, None, all_rules(), usage=usage_path)
    name = title or Path(os.path.abspath(paths[0] if paths else ".")).name or "system"
    data, _ = wiring.advisory_report(scan, __version__, name)
    from archlint.report.escape import commands

    if fmt == "html":
        from archlint.report.html import render

        _emit(commands(render(data), "html"), output)
    else:
        from archlint.export.mermaid import render as mermaid
        from archlint.report.advisory_markdown import render

        _emit(commands(render(data, mermaid(data.model)), "markdown"), output)
    if output:
        _stderr(f"archlint: wrote {output}")


@cli.command()
@_options
@_sarif_suppressions
def demo(fmt, output, config_path, fail_on, exclude, usage_path, select, ignore, min_severity, statistics, quiet,
         verbose, sarif_suppressions) -> None:
    """Run the check on the example architecture that ships with archlint."""
    from archlint.cli import wiring
    from archlint.resources import data_dir
    from archlint.rules import all_rules

    directory = data_dir("demo")
    rules = all_rules()
    scan = wiring.prepare((str(directory),), config_path, exclude, str(directory), None, rules, usage=usage_path)
    if fmt == "text" and not output:
        click.echo(f"archlint demo: {directory}\n", err=True)
    # The demo exists to show findings: it exits 0 unless asked to judge them with --fail-on.
    view = _View(fmt, select, ignore, min_severity, statistics, quiet, verbose, sarif_suppressions)
    _report_and_exit(_selected(scan, view), rules, fmt, output, fail_on, view, judge=fail_on is not None)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(GRAPH_FORMATS), default="json", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the graph to FILE.")
@_config_option
@_exclude_option
def graph(paths, fmt, output, config_path, exclude) -> None:
    """Export the model archlint built from PATHS (node-link JSON, Graphviz DOT or Mermaid)."""
    from archlint.cli import wiring
    from archlint.export import exporter
    from archlint.rules import all_rules

    _require(paths)
    scan = wiring.prepare(paths, config_path, exclude, None, None, all_rules())
    loaded = wiring.load(scan)
    for problem in loaded.findings:
        _stderr(f"{problem.file}:{problem.line}: {problem.message}")
    _emit(exporter(fmt)(loaded.model), output)


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.option("--write-docs", "docs_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Write one Markdown page per built-in rule into DIR (how docs/rules/ is made).")
def list_rules(fmt, docs_dir) -> None:
    """List every rule: id, concern, default severity, name and title."""
    from archlint.cli.describe import rules_table
    from archlint.rules import all_rules, builtin_ids

    if docs_dir:
        from archlint.cli.ruledocs import write

        written = write(Path(docs_dir), tuple(r for r in all_rules() if r.id in builtin_ids()))
        _stderr(f"archlint: wrote {len(written)} pages in {docs_dir}")
        return
    _emit(rules_table(all_rules(), fmt), None)


@cli.command()
@click.argument("rule")
def explain(rule) -> None:
    """Print a rule's documentation with its bad and good example."""
    from archlint.cli.describe import explain_rule
    from archlint.rules import all_rules, lookup

    found = lookup(all_rules()).get(rule) or lookup(all_rules()).get(rule.lower())
    if found is None:
        raise click.BadParameter(f"no rule {rule!r} (see `archlint rules`)", param_hint="RULE")
    _emit(explain_rule(found), None)


def _require(paths: tuple[str, ...]) -> None:
    for path in paths:
        if path != "-" and not os.path.lexists(path):
            raise click.BadParameter(f"{path!r} does not exist", param_hint="PATHS")


#: The modules of archlint's dependencies (pyproject.toml), by the distribution that installs them.
_DEPENDENCIES = {"click": "click", "yaml": "pyyaml", "networkx": "networkx", "jsonschema": "jsonschema",
                 "jsonschema_rs": "jsonschema-rs", "tree_sitter": "tree-sitter", "tree_sitter_hcl": "tree-sitter-hcl",
                 "libcst": "libcst", "re2": "google-re2"}


def main() -> None:
    """Entry point: usage errors exit 2 (click), internal errors exit 2 with one line, never a traceback."""
    from archlint.engine.config import ConfigError
    from archlint.loaders.costfiles import CostFileError
    from archlint.engine.baseline import BaselineError
    from archlint.loaders.gitbase import BaseRevisionError

    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except click.exceptions.Abort:
        sys.exit(2)
    except ConfigError as error:
        _stderr("archlint: invalid configuration:")
        for line in error.errors:
            _stderr(f"  {line}")
        sys.exit(2)
    except CostFileError as error:
        _stderr("archlint: invalid cost file:")
        for line in error.errors:
            _stderr(f"  {line}")
        sys.exit(2)
    except BaseRevisionError as error:
        _stderr(f"archlint: --base: {error}")
        sys.exit(2)
    except BaselineError as error:
        _stderr(f"archlint: invalid baseline: {error}")
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as error:  # the last line of defence: a bug is reported in one line, exit 2
        if os.environ.get("ARCHLINT_DEBUG"):
            raise
        missing = isinstance(error, ModuleNotFoundError) and _DEPENDENCIES.get((error.name or "").split(".")[0])
        if missing:
            _stderr(f"archlint: {missing}, which archlint needs, is not installed in this Python ({sys.executable}): "
                    "install archlint with pip, which brings its dependencies (`pip install archlint`), or "
                    f"`pip install {missing}`")
        else:
            _stderr(f"archlint: internal error: {type(error).__name__}: {error} "
                    "(set ARCHLINT_DEBUG=1 for the traceback)")
        sys.exit(2)


from archlint.cli.policy import policy as _policy  # noqa: E402  (issue 7: `archlint policy validate|test`)

cli.add_command(_policy)
