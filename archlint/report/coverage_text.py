"""The coverage block in words: what a run read, and what it did not with why and how (short, or `--verbose`)."""

from __future__ import annotations

import textwrap


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


def read_line(coverage: dict) -> str:
    """`Read 651 files: kubernetes 640 files, 1,100 documents, 300 components; compose ...`."""
    parts = [f"{entry['format']} {_n(entry['files'], 'file')} ({_n(entry['documents'], 'document')}, "
             f"{_n(entry['components'], 'component')})" if entry["files"] else
             f"{entry['format']} {_n(entry['components'], 'component')}" for entry in coverage.get("formats", ())]
    head = f"Read {_n(coverage.get('files', 0), 'file')}"
    return head + (": " + "; ".join(parts) if parts else ", nothing archlint models")


def not_read_line(coverage: dict) -> str:
    items = coverage.get("not_read", ())
    if not items:
        return ""
    return "Not read: " + ", ".join(f"{item['count']:,} {_what(item)}" for item in items)


def _what(item: dict) -> str:
    return item.get("one", item["what"]) if item["count"] == 1 else item["what"]


def coverage_lines(coverage: dict, verbose: bool, width: int) -> list[str]:
    """A short block (two lines, wrapped), or with `verbose` one line per format and per reason with its remedy."""
    if not coverage:
        return []
    fill = lambda text, indent="  ": textwrap.wrap(text, max(width, 40), subsequent_indent=indent,  # noqa: E731
                                                   break_on_hyphens=False)
    if not verbose:
        lines = fill(read_line(coverage))
        missing = not_read_line(coverage)
        if missing:
            lines += fill(missing + " (--verbose says why and how to read them)")
        return lines
    lines = [f"Read {_n(coverage.get('files', 0), 'file')}, {_n(coverage.get('documents', 0), 'document')}, "
             f"modelled {_n(coverage.get('components', 0), 'component')}:"]
    for entry in coverage.get("formats", ()):
        lines += fill(f"  {entry['format']}: {_n(entry['files'], 'file')}, {_n(entry['documents'], 'document')}, "
                      f"{_n(entry['components'], 'component')}", "    ")
    items = coverage.get("not_read", ())
    if items:
        lines.append("Not read:")
    for item in items:
        how = f"; to read them: {item['how']}" if item.get("how") else ""
        lines += fill(f"  {item['count']:,} {_what(item)}: {item['reason']}{how}", "    ")
    return lines
