"""How a check's findings reach the user: the view asked for, the report written (to stdout, a file or GitHub's
step summary) and the exit code; the output helpers every command shares (escaped stderr, files written whole)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from archlint import __version__


@dataclass(frozen=True)
class _View:
    """What the user asked to see: the format, the rules selected, the lowest severity, and the text view."""

    fmt: str
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    min_severity: str | None
    statistics: bool
    quiet: bool
    verbose: bool
    sarif_suppressions: bool = False


def _selected(scan, view: _View):
    """The scan with --select/--ignore in its configuration; a selector that names no rule is a usage error."""
    from dataclasses import replace

    from archlint.engine.select import SelectionError, chosen, split

    select, ignore = split(view.select), split(view.ignore)
    if view.statistics and view.quiet:
        raise click.UsageError("--statistics and --quiet: choose one")
    if (view.statistics or view.quiet) and view.fmt != "text":
        raise click.UsageError("--statistics and --quiet shape the text format; other formats are files for "
                               "machines, always complete")
    if not select and not ignore:
        return scan
    try:
        chosen(scan.rules, select, ignore)
    except SelectionError as error:
        raise click.BadParameter(str(error), param_hint="--select/--ignore") from None
    return replace(scan, config=replace(scan.config, select=select, ignore=ignore))


def _report_and_exit(scan, rules, fmt, output, fail_on, view: _View, judge: bool = True,
                     base_ref: str | None = None, baseline: str | None = None,
                     write_baseline: str | None = None) -> None:
    from dataclasses import replace

    from archlint.cli import wiring
    from archlint.engine import baseline as baselines
    from archlint.finding import Severity

    threshold = Severity(fail_on) if fail_on else scan.config.fail_on or Severity.ERROR
    lowest = Severity(view.min_severity) if view.min_severity else Severity.INFO
    if judge and lowest.rank > threshold.rank:
        raise click.BadParameter(f"--min-severity {lowest.value} would hide {threshold.value} findings, which fail "
                                 f"the run (--fail-on {threshold.value})", param_hint="--min-severity")
    analysis, loaded = wiring.run_check(scan, rules, base_ref, ahead=lambda: _ready(fmt))
    from archlint.cli.describe import rule_info  # after the run: on a first one, imported while a child parsed
    from archlint.report import Report, renderer

    coverage = wiring.coverage(loaded, analysis)
    if write_baseline:
        _emit(baselines.dumps(analysis.findings), write_baseline)
        _stderr(f"archlint: recorded {len(analysis.findings)} findings in {write_baseline}")
        sys.exit(0)
    absorbed: tuple = ()
    if baseline:
        new, absorbed, stale = baselines.split(analysis.findings, baselines.load(Path(baseline)))
        analysis = replace(analysis, findings=new)
        _stderr(f"archlint: {len(new)} new, {len(absorbed)} in the baseline, {stale} baseline entries no longer "
                   "found (stale)")
    from archlint.rules import builtin_ids

    documented = builtin_ids()
    shown = tuple(f for f in analysis.findings if f.severity.rank >= lowest.rank)
    terminal = fmt == "text" and not output and sys.stdout.isatty()
    report = Report(version=__version__, findings=shown,
                    rules=tuple(rule_info(r, documented) for r in analysis.rules),
                    model_summary=loaded.model.summary(),
                    fail_on=threshold, color=terminal and _colour(),
                    suppressed=analysis.suppressed, reasons=analysis.reasons, baselined=absorbed,
                    baseline=baseline is not None, coverage=coverage, width=_width(terminal),
                    verbose=view.verbose, view="statistics" if view.statistics else "quiet" if view.quiet else "full",
                    min_severity=lowest, hidden=len(analysis.findings) - len(shown), judged=judge,
                    sarif_suppressions=view.sarif_suppressions)
    _emit(renderer(fmt)(report), output)
    if fmt == "github":
        _step_summary(report)
    sys.exit(1 if judge and report.failed() else 0)


def _ready(fmt: str) -> None:
    """What the report needs besides the findings, made early (while a forked child parses, on a first run): the
    format's writer and the ids of the rules documented in docs/rules/."""
    from archlint.cli import describe  # noqa: F401
    from archlint.engine import coverage  # noqa: F401
    from archlint.report import renderer
    from archlint.rules import builtin_ids

    renderer(fmt)
    builtin_ids()


#: What GitHub accepts in one step's summary file ("supports content up to a size of 1024k").
STEP_SUMMARY_LIMIT = 1024 * 1024


def _step_summary(report) -> None:
    """With `--format github` inside GitHub Actions, append the Markdown summary to $GITHUB_STEP_SUMMARY, within
    what is left of the step's 1 MiB."""
    from dataclasses import replace

    from archlint.report import renderer

    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        used = os.path.getsize(path) if os.path.exists(path) else 0
        room = STEP_SUMMARY_LIMIT - used
        if room < 4096:
            _stderr("archlint: the step summary is full; not written")
            return
        text = renderer("markdown")(replace(report, markdown_limit=room - 1))
        with open(path, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(("\n" if used else "") + text)
    except OSError as error:
        _stderr(f"archlint: cannot write the step summary {path}: {error.strerror or error}")


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


#: Text lines are wrapped to this many columns when standard output is not a terminal (a CI log, a file).
WIDTH = 100


def _width(terminal: bool) -> int:
    """$COLUMNS when it is set (a CI log or a pipe can say how wide it is, as for ls and ruff), else the terminal's
    width, else 100 columns; never fewer than 40."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return max(40, int(columns))
    if not terminal:
        return WIDTH
    import shutil

    return max(40, shutil.get_terminal_size((WIDTH, 24)).columns)


def _stderr(text: str) -> None:
    """One line on stderr. Its names and messages may come from the input: escaped (a newline would start a line
    GitHub Actions runs as a workflow command, an escape code would drive the terminal)."""
    from archlint.report.escape import line

    click.echo(line(text), err=True)


def _plain(text: str) -> str:
    """A text report without layout of its own but lines (cost, advise, failure-modes): its names from the input
    cannot drive the terminal or run as workflow commands (archlint.report.escape.plain)."""
    from archlint.report.escape import plain

    return plain(text)


def _emit(text: str, output: str | None) -> None:
    """Write `text` to `output` (standard output when None); a file that cannot be written (its directory missing,
    the disk full, no permission) is a usage error, exit 2, in one sentence."""
    from archlint.report.escape import unicode

    text = unicode(text)  # whatever the format, a lone surrogate from the input is written, not raised on
    try:
        if output:
            with open(output, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise click.ClickException(_unwritable(output, error)) from None


def _unwritable(output: str | None, error: OSError) -> str:
    import errno

    where = output or "standard output"
    parent = os.path.dirname(output) if output else ""
    if error.errno == errno.ENOENT and parent and not os.path.isdir(parent):
        return f"cannot write {where}: the directory {parent} does not exist"
    if error.errno == errno.ENOSPC:
        return f"cannot write {where}: no space left on the device"
    return f"cannot write {where}: {(error.strerror or str(error)).lower()}"
