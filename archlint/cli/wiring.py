"""Wires loaders, engine and formatters for the commands: no rule logic lives here."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache as once, cached_property
from pathlib import Path

from archlint.engine.config import Config, find_config, load_config


@dataclass(frozen=True)
class Scan:
    """What to read: files on disk (and maybe stdin), the root names are relative to, and the configuration."""

    paths: tuple[Path, ...]
    root: Path
    config: Config
    stdin: bytes | None
    show_only: frozenset[str] | None
    #: The usage file: `--usage`, else `usage` in the configuration.
    usage: Path | None = None
    #: What gives every rule the check runs (`rules`): the rules given, `--policy` directories' and the
    #: configuration's policies.
    supply: Callable[[], tuple] = tuple

    @cached_property
    def rules(self) -> tuple:
        """Every rule the check runs, made on first use: on a first run, while a forked child parses (`load`), so
        that importing the rules costs that child's time, not the run's."""
        return self.supply()


def prepare(paths: tuple[str, ...], config_path: str | None, exclude: tuple[str, ...], root: str | None,
            model_root: str | None, rules: tuple | Callable[[], tuple], usage: str | None = None,
            policies: tuple[str, ...] = (), whole_project: bool = False) -> Scan:
    """Resolve the command line into a Scan. With `model_root`, the model comes from that whole tree and only
    findings in `paths` are shown (how the pre-commit hook keeps cross-file rules right). With `whole_project`,
    paths inside a project (below the nearest `.archlint.yaml` or git work tree) are checked that way too, so that
    `archlint check k8s/redis.yaml` says what checking the whole project says about that file. `policies` are
    `--policy` directories: their rules join `rules`, and so do the configuration's (`Scan.rules`). `rules` may be
    a function that makes them (`all_rules`): it is called once, when the rules are first needed (a configuration
    that sets rules' options, `--policy`, `--select`, or the check itself)."""
    given = once(rules) if callable(rules) else _given(rules)
    if policies:  # an invalid policy is a usage error before anything is read
        given = _given(rules_with_policies(given(), policies))
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    on_disk = [Path(p) for p in paths if p != "-"] or ([] if stdin is not None else [Path(".")])
    if whole_project and not model_root and not root and stdin is None:
        project = project_root(on_disk)
        model_root = str(project) if project is not None else None
    first = Path(model_root) if model_root else (on_disk[0] if on_disk else Path("."))
    found = Path(config_path) if config_path else find_config(first.resolve())
    config = load_config(found, given)
    supply = once(lambda: tuple(given()) + config.policy_rules)
    measured = Path(usage) if usage else config.usage
    if model_root:
        base = Path(os.path.abspath(model_root))
        shown = frozenset(_relative(Path(os.path.abspath(p)), base) for p in on_disk)
        return Scan((base,), base, _with_exclude(config, exclude), stdin, shown, measured, supply)
    base = Path(os.path.abspath(root)) if root else _common_root(on_disk)
    return Scan(tuple(on_disk), base, _with_exclude(config, exclude), stdin, None, measured, supply)


def _given(rules: tuple) -> Callable[[], tuple]:
    return lambda: rules


#: What marks the top of a project: the configuration file, or a git work tree (a `.git` directory or file).
PROJECT_MARKERS = (".archlint.yaml", ".git")


def project_root(paths: list[Path]) -> Path | None:
    """For files (a directory is a scope of its own), the nearest directory above the first that holds
    `.archlint.yaml` or `.git`, when every file lies inside it; None otherwise (nothing to widen). Never the home
    directory or `/`: a dotfiles repository there must not turn a one-file check into a scan of the home
    directory."""
    if not paths or not all(p.is_file() for p in paths):  # a directory is a scope of its own: checked as given
        return None
    first = Path(os.path.abspath(paths[0]))
    start = first.parent
    never = {Path(os.path.abspath(os.path.expanduser("~"))), Path(first.anchor)}
    for directory in [start, *start.parents]:
        if directory in never:
            return None
        if any((directory / marker).exists() for marker in PROJECT_MARKERS):
            absolute = [Path(os.path.abspath(p)) for p in paths]
            return directory if all(directory in p.parents for p in absolute) else None
    return None


def rules_with_policies(rules: tuple, directories: tuple[str, ...]) -> tuple:
    """`rules` and the policies of `directories` (`--policy DIR`); an invalid policy or a duplicate id is a
    ConfigError listing every problem with its file and line."""
    if not directories:
        return rules
    from archlint.engine.config import ConfigError
    from archlint.rules.policy.load import PolicyError, duplicates, load_dirs

    try:
        combined = tuple(rules) + load_dirs([Path(d) for d in directories])
    except PolicyError as error:
        raise ConfigError(error.errors) from None
    problems = duplicates(combined)
    if problems:
        raise ConfigError(problems)
    return combined


def _with_exclude(config: Config, exclude: tuple[str, ...]) -> Config:
    return replace(config, exclude=config.exclude + tuple(exclude)) if exclude else config


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _common_root(paths: list[Path]) -> Path:
    """The working directory when every path is inside it; else the deepest directory holding them all."""
    cwd = Path.cwd()
    absolute = [Path(os.path.abspath(p)) for p in paths] or [cwd]
    if all(p == cwd or cwd in p.parents for p in absolute):
        return cwd
    directories = [p if p.is_dir() else p.parent for p in absolute]
    return Path(os.path.commonpath([str(d) for d in directories]))


def load(scan: Scan, cached: bool = True, settle_later: bool = False, ahead: Callable[[], object] | None = None):
    """Discover and load every file of the scan into one model, through the parse cache of the scan's root unless
    `cached` is false or ARCHLINT_NO_CACHE is set; with `settle_later`, the caller writes the cache (`settle`).
    `ahead`: what the caller needs later, made while a forked child parses (with the loaders and the rules)."""
    from archlint.loaders import parsecache, reading
    from archlint.loaders.discover import SourcePath, discover, relative_name

    usage = SourcePath(scan.usage, relative_name(scan.usage, scan.root)) if scan.usage else None
    cache = parsecache.ParseCache.open(scan.root) if cached else parsecache.ParseCache(None)
    collecting = gc.isenabled()
    gc.disable()  # loading builds long-lived values and almost no cycles: walking them is wasted (10% on 10,000 files)
    try:
        paths = discover(list(scan.paths), scan.root, scan.config.exclude)
        done = reading.read(paths, scan.stdin)
        cache.fill(done.jobs, meanwhile=lambda: _ahead(scan, ahead))
        from archlint.loaders.pipeline import load_read

        loaded = load_read(done, paths, usage, cache, scan.config.layout, settle_later)
    finally:
        gc.freeze()  # the model lives until the process ends: the collector need not walk it again during analysis
        if collecting:
            gc.enable()
    return loaded


def _ahead(scan: Scan, then: Callable[[], object] | None = None) -> None:
    """What the run needs once the files are parsed, made while a forked child parses them (a first run, CI): the
    loaders and the model, the engine, and the rules, then what the caller asked for (`then`: the report's
    writer). About 50 ms the child spends parsing instead of the run waiting; nothing is made that the run
    would not make anyway."""
    import archlint.engine.run  # noqa: F401  (imports the loading pipeline, every loader and the model)

    scan.rules  # made now and kept (a cached property)
    if then is not None:
        then()


def economics(scan: Scan, base_ref: str | None = None):
    """Prices, usage assumptions, units and budgets from the configuration, and the base revision's estimate."""
    from archlint.loaders.costfiles import read_prices, read_usage
    from archlint.loaders.discover import relative_name
    from archlint.model.economics import Budget, Economics

    cost = scan.config.cost
    name = relative_name(scan.config.path, scan.root) if scan.config.path else ".archlint.yaml"
    prices, discounts = read_prices(cost.prices, relative_name(cost.prices, scan.root)) if cost.prices else ((), ())
    usage = read_usage(cost.usage, relative_name(cost.usage, scan.root)) if cost.usage else {}
    budgets = tuple(Budget(kind, limit, name, line, subject) for kind, subject, limit, line in cost.budgets)
    plain = Economics(prices, discounts, usage, dict(cost.units), budgets,
                      kubernetes_provider=cost.kubernetes_provider)
    return replace(plain, base=base_estimate(scan, base_ref, plain)) if base_ref else plain


def base_estimate(scan: Scan, ref: str, plain):
    """The estimate of the same paths at `ref`, read from git into a temporary directory."""
    from archlint.cost import compute
    from archlint.loaders.gitbase import export
    from archlint.model.economics import BaseEstimate

    directory, root, paths = export(ref, list(scan.paths), scan.root)
    try:
        present = tuple(p for p in paths if p.exists())
        if not present:
            return BaseEstimate(ref, 0.0, 0.0)
        estimate = compute(load(replace(scan, paths=present, root=root, stdin=None), cached=False).model, plain)
    finally:
        directory.cleanup()
    return BaseEstimate(ref, estimate.low, estimate.high, {n.id: (n.low, n.high) for n in estimate.nodes if n.counted},
                        {n.id: n.name for n in estimate.nodes})


def load_judged(scan: Scan, base_ref: str | None = None, settle_later: bool = False,
                ahead: Callable[[], object] | None = None):
    """The loaded model with what the rules, the estimate and the advisor read beside it: the economics (prices,
    usage assumptions, budgets, the base revision's cost) and the team's placement preferences."""
    loaded = load(scan, settle_later=settle_later, ahead=ahead)
    loaded.model.economics = economics(scan, base_ref)
    loaded.model.preferences = scan.config.placement
    loaded.model.resilience = resilience(scan)
    return loaded


def resilience(scan: Scan):
    """The configuration's resilience policy, its lines named relative to the scan root."""
    from archlint.loaders.discover import relative_name

    policy = scan.config.resilience
    return policy.relocated(relative_name(scan.config.path, scan.root)) if scan.config.path else policy


def run_check(scan: Scan, rules: tuple | None = None, base_ref: str | None = None,
              ahead: Callable[[], object] | None = None):
    """Load, analyse with `rules` (the scan's when None), and keep the findings the scan shows (`ahead`: see
    `load`). Returns (analysis, loaded)."""
    loaded = load_judged(scan, base_ref, settle_later=True, ahead=ahead)
    from archlint.engine import analyze  # after loading: on a first run, imported while a child parsed

    try:  # the parse cache is written while a forked child runs rules, if one does
        analysis = analyze(loaded, scan.config, scan.rules if rules is None else rules, meanwhile=loaded.settle)
    finally:
        loaded.settle()
    if scan.show_only is not None:
        shown = scan.show_only
        from archlint.engine.merge import shown_at

        moved = (shown_at(f, lambda file: _shown(file, shown)) for f in analysis.findings)
        keep = tuple(sorted((f for f in moved if f is not None), key=lambda f: (f.sort_key, f.fingerprint)))
        analysis = replace(analysis, findings=keep)
    return analysis, loaded


def coverage(loaded, analysis) -> dict:
    """What the run read and what it did not (the report's coverage block)."""
    from archlint.engine.coverage import build, components_by_format

    return build(loaded.stats, components_by_format(loaded.model), analysis.findings + analysis.suppressed)


def _shown(file: str, shown: frozenset[str]) -> bool:
    return file in shown or any(file.startswith(p.rstrip("/") + "/") for p in shown if p != ".") or "." in shown


def cost_report(scan: Scan, version: str, base_ref: str | None = None):
    """Load the model, price it, and judge the budgets: what `archlint cost` prints."""
    from archlint.cost import estimate
    from archlint.cost.budgets import statuses
    from archlint.report.cost import CostReport

    loaded = load_judged(scan, base_ref)
    found = estimate(loaded.model)
    names = {c.id: c.name for c in loaded.model.components()}
    if loaded.model.economics.base is not None:
        names.update({k: v for k, v in loaded.model.economics.base.names.items() if k not in names})
    report = CostReport(version, found, tuple(statuses(loaded.model, found)), loaded.model.economics.base, names)
    return report, loaded


def advice(scan: Scan):
    """Load the model with its economics and the team's placement preferences, and advise on it."""
    from archlint.advise import advise

    loaded = load_judged(scan)
    return advise(loaded.model), loaded


def advisory_report(scan: Scan, version: str, title: str):
    """Everything the HTML and Markdown reports show: findings, the model, the advice and the cost."""
    from archlint.advise import advise
    from archlint.cost import estimate
    from archlint.cost.budgets import statuses
    from archlint.report.advisory import AdvisoryReport
    from archlint.report.cost import CostReport

    analysis, loaded = run_check(scan, scan.rules)
    model = loaded.model
    found = estimate(model)
    names = {c.id: c.name for c in model.components()}
    cost = CostReport(version, found, tuple(statuses(model, found)), None, names)
    return AdvisoryReport(version, title, analysis.findings, model, advise(model), cost,
                          _failure_modes(model, version), coverage(loaded, analysis)), loaded


def _failure_modes(model, version: str):
    """The failure-mode matrix for the reports, when the model has journeys to assess."""
    from archlint.report.failure_modes import FailureModes
    from archlint.resilience import assess, remedies

    assessment = assess(model)
    return FailureModes(version, assessment, model, (), remedies(model)) if assessment.journeys else None


def failure_modes(scan: Scan, version: str, disruptions: tuple[str, ...] = ()):
    """Load the model with its economics and resilience policy and assess it; `disruptions` (`kind=subject`, the
    subject a zone, a region, a provider or a component's id or name) select what-ifs. An unknown one is a usage
    error that lists what there is."""
    import click

    from archlint.report.failure_modes import FailureModes
    from archlint.resilience import assess, remedies

    loaded = load_judged(scan)
    assessment = assess(loaded.model)
    only = tuple(_disruption(assessment, loaded.model, wanted) for wanted in disruptions)
    return FailureModes(version, assessment, loaded.model, only, remedies(loaded.model)), loaded


def _disruption(assessment, model, wanted: str) -> str:
    import click

    kind, _, subject = wanted.partition("=")
    listed = assessment.disruptions
    if any(d.id == wanted for d in listed):
        return wanted
    by_name = [d for d in listed if d.kind == kind and d.subject in model and model.component(d.subject).name == subject]
    if len(by_name) == 1:
        return by_name[0].id
    kinds = sorted({d.kind for d in listed})
    same = sorted(d.subject if d.subject not in model else model.component(d.subject).name
                  for d in listed if d.kind == kind)
    hint = f"{kind} disruptions: {', '.join(same[:12])}" + (" ..." if len(same) > 12 else "") if same else \
        f"kinds: {', '.join(kinds)}"
    raise click.BadParameter(f"no disruption {wanted!r} in the model ({hint})", param_hint="--disruption")
