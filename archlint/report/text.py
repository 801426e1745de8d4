"""Human-readable report: what was read, the errors, the rest grouped by file, then the counts and the verdict.

Every line fits the report's width (the terminal's, or 100 columns): messages, fixes and locations wrap under
their column, and a word longer than the line (a path) is broken."""

from __future__ import annotations

from archlint.finding import Finding, Severity, listing
from archlint.report import escape
from archlint.report.base import Report
from archlint.report.coverage_text import coverage_lines

_RESET, _BOLD, _DIM = "\x1b[0m", "\x1b[1m", "\x1b[2m"
_COLOUR = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[34m"}
_PLURAL = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}
_SEVERITY_WIDTH = max(len(s.value) for s in Severity)
#: The narrowest a wrapped column gets, however deep the indent: below it a line may run past a tiny terminal.
_MIN_COLUMN = 24


def render(report: Report) -> str:
    paint = _painter(report.color)
    if report.view == "statistics":
        return "\n".join(statistics(report, paint) + _closing(report, paint)) + "\n"
    lines: list[str] = []
    if report.view != "quiet":
        lines += coverage_lines(report.coverage, report.verbose, report.width)
        if lines:
            lines.append("")
        shared = set() if report.verbose else shared_fixes(report.findings)
        lines += _findings(report, shared, paint)
        lines += _fixes(report, shared, paint)
    lines += _closing(report, paint)
    return "\n".join(lines) + "\n"


def shared_fixes(findings) -> set[tuple[str, str]]:
    """(rule, fix) pairs that several findings share: printed once, in the list of fixes after the findings,
    instead of under each of them (238 findings of one rule would repeat its advice 238 times)."""
    counts: dict[tuple[str, str], int] = {}
    for f in findings:
        if f.fix:
            counts[(f.rule, f.fix)] = counts.get((f.rule, f.fix), 0) + 1
    return {pair for pair, count in counts.items() if count > 1}


def _fixes(report: Report, shared: set[tuple[str, str]], paint) -> list[str]:
    if not shared:
        return []
    counts: dict[tuple[str, str], int] = {}
    for f in report.findings:
        if (f.rule, f.fix) in shared:
            counts[(f.rule, f.fix)] = counts.get((f.rule, f.fix), 0) + 1
    rule_width = max(len(rule) for rule, _ in shared)
    lines = [paint(line, _BOLD) for line in wrap("How to fix (archlint explain RULE says why and how; --verbose "
                                                  "shows each finding's fix):", report.width, "", "  ")]
    for (rule, fix), count in sorted(counts.items()):
        lead = f"  {rule:<{rule_width}}  "
        body = wrap(f"{escape.line(fix)} ({count:,} findings)", report.width, lead, " " * len(lead))
        lines += ["  " + paint(f"{rule:<{rule_width}}", _BOLD) + "  " + body[0][len(lead):], *body[1:]]
    return lines + [""]


def _findings(report: Report, shared: set[tuple[str, str]], paint) -> list[str]:
    """The errors first, grouped by file, then the warnings and info, grouped by file."""
    # One width for the whole report, so messages line up from file to file.
    digits = max((len(str(f.line)) for f in report.findings), default=1)
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    rest = [f for f in report.findings if f.severity is not Severity.ERROR]
    lines: list[str] = []
    for title, found in ((_count_words(errors), errors), (_count_words(rest), rest)):
        if not found:
            continue
        if errors and rest:  # the two parts say what they hold; alone, the findings speak for themselves
            lines += [paint(title, _BOLD), ""]
        by_file: dict[str, list[Finding]] = {}
        for finding in found:
            by_file.setdefault(finding.file, []).append(finding)
        for file in sorted(by_file):
            lines += _file_block(file, by_file[file], digits, report, shared, paint)
            lines.append("")
    return lines


def _count_words(found: list[Finding]) -> str:
    counts = {s: sum(1 for f in found if f.severity is s) for s in Severity}
    return ", ".join(_plural(n, s.value, _PLURAL[s]) for s, n in counts.items() if n)


def _painter(color: bool):
    if not color:
        return lambda text, *codes: text
    return lambda text, *codes: "".join(codes) + text + _RESET


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """`text` in lines of at most `width` columns, the first starting with `first`, the others with `rest`;
    explicit line breaks are kept, and a word longer than a line (a path) is broken after a `/` where it can be,
    else at the width, with the words after it following on its last piece. Greedy, as textwrap fills, without
    its cost (the text format wraps every message of a run)."""
    if width - len(rest) < _MIN_COLUMN:  # too deep an indent: the continuation starts further left
        rest = rest[:max(0, width - _MIN_COLUMN)]
    if width - len(first) < _MIN_COLUMN // 2:  # no room after the lead: the text starts on the next line
        return [first.rstrip()] + wrap(text, width, rest, rest)
    lines: list[str] = []
    for index, paragraph in enumerate(text.split("\n")):
        lead = first if index == 0 else rest
        if len(lead) + len(paragraph) <= width:  # the usual line: nothing to wrap
            lines.append((lead + paragraph).rstrip())
            continue
        line, fresh = lead, True  # fresh: nothing but the indent on the line yet
        for word in paragraph.split():
            joined = line + word if fresh else f"{line} {word}"
            if len(joined) <= width:
                line, fresh = joined, False
                continue
            if not fresh:
                lines.append(line)
                line = rest + word
            else:
                line = joined
            while len(line) > width:  # one word longer than the line
                cut = line.rfind("/", len(rest) + 1, width) + 1 or width
                while cut > len(rest) + 1 and line[cut:cut + 2] == "::":
                    cut -= 1  # never leave "::" first on the next line: a CI log would run it as a command
                lines.append(line[:cut])
                line = rest + line[cut:]
            fresh = False
        lines.append(line.rstrip())
    return lines


def _file_block(file: str, findings: list[Finding], digits: int, report: Report, shared: set[tuple[str, str]],
                paint) -> list[str]:
    width = report.width
    lines = [paint(line, _BOLD) for line in wrap(escape.line(file), width, "", "  ")]
    for f in findings:
        head = f"  {f.line:>{digits}}  {f.severity.value.ljust(_SEVERITY_WIDTH)}  {f.rule}  "
        indent = " " * len(head)
        message = escape.line(f.message) + (f" (node {escape.line(f.node)})" if f.node and report.verbose else "")
        body = wrap(message, width, head, indent)
        painted_head = ("  " + f"{f.line:>{digits}}  " + paint(f.severity.value.ljust(_SEVERITY_WIDTH),
                        _COLOUR[f.severity]) + "  " + paint(f.rule, _BOLD) + "  ")
        lines.append(painted_head + body[0][len(head):])
        lines += body[1:]
        # copies named by their files, each of which a related location already shows with its line: said once
        copies = {f.file} | {place.file for place in f.related}
        if f.instances and not all(name in copies for name in f.instances):
            names = [escape.line(_beside(name, f.file)) for name in f.instances]
            lines += _labelled(f"in {len(f.instances)} instances:", ", ".join(names) if report.verbose else
                               listing(names, _INSTANCES), indent, width, paint)
        lines += _places(f, indent, width, paint, report.verbose)
        if f.fix and (f.rule, f.fix) not in shared:
            lines += _labelled("fix:", escape.line(f.fix), indent, width, paint)
        if report.verbose:
            for source in f.sources:
                lines += _labelled("price:", escape.line(source), indent, width, paint)
    return lines


#: Instances a merged finding names before "and N more" (--verbose and JSON name them all).
_INSTANCES = 4


def _places(f: Finding, indent: str, width: int, paint, verbose: bool) -> list[str]:
    """The related locations, said once each and as briefly as they can be: a location's notes joined; at the
    finding's own line only the notes ("also: FI001: ..."); locations with the same notes (the copies of an
    object) on one line, cut after a few unless `verbose`; a location in the finding's file by its line."""
    notes: dict[tuple[str, int], list[str]] = {}
    for place in f.related:
        said = notes.setdefault((place.file, place.line), [])
        note = _nearer(place.note, place.file, f.file)
        if note and note not in said:
            said.append(note)
    lines = []
    if (f.file, f.line) in notes:
        also = notes.pop((f.file, f.line))
        if also:
            lines += _labelled("also:", "; ".join(also), indent, width, paint)
    together: dict[str, list[str]] = {}
    for (file, line), said in notes.items():
        where = f"line {line}" if file == f.file else f"{escape.line(file)}:{line}"
        together.setdefault("; ".join(said), []).append(where)
    for note, places in together.items():
        text = ", ".join(places) if verbose else listing(places, _INSTANCES)
        lines += _labelled("via", text + (f" ({note})" if note else ""), indent, width, paint)
    return lines


def _nearer(note: str, where: str, file: str) -> str:
    """A related location's note, escaped, with the directory of its own file (a kustomization "included by" its
    overlay) named relative to the finding's file, as instances are."""
    directory = where.rpartition("/")[0]
    if directory and "/" in directory and directory in note:
        note = note.replace(directory, _beside(directory, file))
    return escape.line(note)


def _beside(label: str, file: str) -> str:
    """An instance named by a path near the finding's file, relative to the file's directory when that is
    shorter (`overlays/prod` beside a base file in the same tree: `../overlays/prod`); any other label as it is."""
    directory = file.rpartition("/")[0]
    if not directory or "@" in label or "/" not in label:
        return label
    if label.startswith(directory + "/"):
        return label[len(directory) + 1:]
    mine, theirs = directory.split("/"), label.split("/")
    common = 0
    while common < min(len(mine), len(theirs)) and mine[common] == theirs[common]:
        common += 1
    relative = "/".join([".."] * (len(mine) - common) + theirs[common:])
    return relative if common and len(relative) < len(label) else label


def _labelled(label: str, text: str, indent: str, width: int, paint) -> list[str]:
    """`label text`, wrapped under the text, with the label dimmed."""
    first = indent + label + " "
    body = wrap(text, width, first, " " * len(first))
    return [indent + paint(label, _DIM) + body[0][len(indent) + len(label):], *body[1:]]


def statistics(report: Report, paint) -> list[str]:
    """A count per rule, most frequent first, as `ruff --statistics` prints it."""
    names = {rule.id: rule.name for rule in report.rules}
    counts: dict[tuple[str, Severity], int] = {}
    for finding in report.findings:
        counts[(finding.rule, finding.severity)] = counts.get((finding.rule, finding.severity), 0) + 1
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    digits = max((len(str(n)) for n in counts.values()), default=1)
    rule_width = max((len(rule) for rule, _ in counts), default=5)
    lines = []
    for (rule, severity), count in rows:
        lead = f"{count:>{digits}}  {rule:<{rule_width}}  {severity.value:<{_SEVERITY_WIDTH}}  "
        body = wrap(escape.line(names.get(rule, "")), report.width, lead, " " * len(lead))
        lines.append(f"{count:>{digits}}  " + paint(f"{rule:<{rule_width}}", _BOLD) + "  "
                     + paint(severity.value.ljust(_SEVERITY_WIDTH), _COLOUR[severity]) + "  " + body[0][len(lead):])
        lines += body[1:]
    return lines + ([""] if lines else [])


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count:,} {singular if count == 1 else plural}"


def _total(value: object) -> int | None:
    """A count, or the sum of a {kind: count} mapping; anything else is not shown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        return sum(v for v in value.values() if isinstance(v, int) and not isinstance(v, bool))
    return None


def _model_line(summary: dict) -> str:
    parts = []
    for key, singular in (("files", "file"), ("documents", "document"), ("nodes", "node"), ("edges", "edge")):
        count = _total(summary.get(key))
        if count is not None:
            parts.append(_plural(count, singular, key))
    return "Model: " + ", ".join(parts) if parts else ""


def _closing(report: Report, paint) -> list[str]:
    """The model's size and the findings by concern, then the verdict: the last line, where CI logs show it."""
    lines = []
    model = _model_line(report.model_summary)
    if model and report.view != "quiet":
        lines += [paint(line, _DIM) for line in wrap(model, report.width, "", "  ")]
    concerns = sorted(report.counts_by_concern().items(), key=lambda item: (-item[1], item[0]))
    if concerns and report.view != "quiet":
        text = "By concern: " + ", ".join(f"{name} {count:,}" for name, count in concerns)
        lines += [paint(line, _DIM) for line in wrap(text, report.width, "", "  ")]
    plain = wrap(_summary_line(report, lambda text, *codes: text), report.width)
    if not report.color:
        return lines + plain
    # painted after wrapping, so that the escape codes do not count as columns
    counts = report.counts_by_severity()
    for s in Severity:
        phrase = _plural(counts[s.value], s.value, _PLURAL[s])
        for index, line in enumerate(plain):
            if counts[s.value] and phrase in line:
                plain[index] = line.replace(phrase, paint(phrase, _COLOUR[s]), 1)
                break
    return lines + plain


def _summary_line(report: Report, paint) -> str:
    hidden = f" ({_plural(report.hidden, 'finding', 'findings')} below {report.min_severity.value} not shown)" \
        if report.hidden else ""
    if not report.findings:
        return "No findings." + hidden
    counts = report.counts_by_severity()
    severities = [paint(_plural(counts[s.value], s.value, _PLURAL[s]), _COLOUR[s]) for s in Severity if counts[s.value]]
    verdict = ""
    if report.judged:
        verdict = f" · fails (--fail-on {report.fail_on.value})" if report.failed() else \
            f" · passes (--fail-on {report.fail_on.value})"
    return ", ".join(severities) + verdict + hidden
