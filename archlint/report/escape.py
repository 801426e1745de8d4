"""Strings from the input, made safe where they are printed: one call per output context.

Names, messages, file names and notes come from files someone else wrote. Each format calls the function of the
context it writes into, on each string that came from the input (never on the layout it builds around them):

- `unicode`: every format. Lone surrogates (a JSON `\\ud800` escape, the bytes of a file name that is not UTF-8,
  which Python holds as U+DC80-U+DCFF) cannot be written as UTF-8: they become visible escapes, `\\xff` for a byte
  of a file name, `\\ud800` for the rest. The JSON formats (JSON, SARIF, GitLab) call it through `data`.
- `line`: text output, stderr and GitHub annotations. Also every control character (a newline would start a line
  that GitHub Actions runs as a workflow command; ANSI escapes would drive the terminal), the Unicode line
  separators and the bidirectional controls that reorder what a reader sees.
- `xml`: JUnit. Also the characters XML 1.0 cannot hold (one makes the whole file unparsable).
- `html`: the HTML report, escaped as `html.escape` does, with the controls visible.
- `markdown` and `code`: pull-request comments and step summaries; no markup, mention, link or image from the input
  renders.
- `workflow_data` and `workflow_property`: GitHub workflow commands, as the runner unescapes them.
- `uri_path`: a file name in a URI (SARIF), percent-encoded from its bytes, so that it still names the file.

Then `commands`, over the whole document of each format (archlint.report.renderer calls it): a report printed in a
GitHub Actions log runs any line that starts with `::` after leading whitespace, and `##[` anywhere in a line (the
runner's ActionCommand.TryParseV2 and its legacy TryParse). Wrapping can start a line with a name's `::`, so this
pass comes after the layout; it writes the character in the format's own escape, so the document reads the same.
"""

from __future__ import annotations

import html as _html
import re
from urllib.parse import quote

_SURROGATE = re.compile("[\ud800-\udfff]")
#: C0 controls, DEL and C1 controls; the Unicode line and paragraph separators; bidirectional embeddings,
#: overrides and isolates ("Trojan Source", CVE-2021-42574); the byte order mark.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
#: What XML 1.0 cannot hold (its Char production), the C1 controls it discourages, and what `line` shows of the
#: rest (a carriage return, the line separators, the bidirectional controls): a JUnit file is also read in logs.
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    point = ord(char)
    if 0xDC80 <= point <= 0xDCFF:  # a byte of a name that is not UTF-8 (Python's surrogateescape)
        return f"\\x{point - 0xDC00:02x}"
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def unicode(text: str) -> str:
    """`text` with its lone surrogates as visible escapes, so that it can be written as UTF-8.

    A whole report passes here: ASCII text (a JSON or SARIF report) is known clean at once, and other text is
    clean when it encodes as UTF-8, which only a surrogate prevents; both are far quicker than the pattern's scan
    (26 ms on the Kubernetes corpus's 2.6 MB JSON report)."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(_visible, text)
    return text


def line(text: str) -> str:
    """`text` on one line of a terminal or a CI log: nothing in it starts a line, moves the cursor or colours, and
    no word of it opens a workflow command where wrapping puts it first on a line (`::` starting a word, `##[`)."""
    if _UNSAFE.search(text):
        text = _UNSAFE.sub(_visible, text)
    if "::" in text or "##[" in text:
        text = _WORD_COMMAND.sub(lambda m: "##\\x5b" if m.group() == "##[" else "\\x3a", text)
    return text


_WORD_COMMAND = re.compile(r"(?:(?<=\s)|^):(?=:)|##\[")


def xml(text: str) -> str:
    """`text` as XML 1.0 can hold it (ElementTree escapes the markup characters itself); newlines and tabs kept, a
    carriage return shown (a log reader would start a line there)."""
    return _NOT_XML.sub(_visible, text) if _NOT_XML.search(text) else text


def html(text: str, quote: bool = True) -> str:
    """`text` in HTML content or an attribute: markup escaped, controls visible, newlines kept (tooltips)."""
    return _html.escape(_UNSAFE.sub(lambda m: "\n" if m.group() == "\n" else _visible(m), text), quote=quote)


def data(value):
    """A JSON document's strings (keys and values, at any depth) as `unicode` makes them: valid UTF-8 for every
    parser, where a lone surrogate would be refused by strict ones (RFC 8259, section 8.2)."""
    if isinstance(value, str):
        return unicode(value)
    if isinstance(value, dict):
        return {unicode(k) if isinstance(k, str) else k: data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [data(v) for v in value]
    from archlint.report.jsontext import Lazy

    if isinstance(value, Lazy):
        return Lazy(value.items, lambda item: data(value.make(item)))
    return value


def dumps(document, sort_keys: bool = False, end: str = "") -> str:
    """The document's JSON text (archlint.report.jsontext: `json.dumps(indent=2)`'s bytes) followed by `end`, with
    its strings as `data` makes them, walking the document only when the text holds a surrogate escape (a lone one,
    or a pair standing for a character beyond U+FFFF): the usual report is written once, as it is."""
    from archlint.report.jsontext import dumps as text_of

    text = text_of(document, sort_keys=sort_keys, end=end)
    if _SURROGATE_ESCAPE.search(text):
        del text  # a large report: not two texts at once
        return text_of(data(document), sort_keys=sort_keys, end=end)
    return text


_SURROGATE_ESCAPE = re.compile(r"\\ud[89a-f]", re.I)


#: Markdown's punctuation that can start markup (CommonMark lets any ASCII punctuation be backslash-escaped).
_MARKUP = re.compile(r"[\\`*_\[\]<>#!|~&]")
#: A mention or team mention: GitHub notifies whoever is named, so a zero-width space goes after the "@".
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")


def markdown(text: str) -> str:
    """`text` as plain words in Markdown, also inside a table cell: no emphasis, link, image, HTML, heading,
    mention or table column from the input, and on one line (`line`)."""
    text = _MARKUP.sub(lambda m: "&amp;" if m.group() == "&" else "\\" + m.group(), line(text))
    return _MENTION.sub("@&#8203;", text)


def code(text: str) -> str:
    """`text` as a Markdown code span that the input cannot close, also inside a table cell (a `|` is escaped:
    GitHub splits cells before it reads spans)."""
    text = line(text).replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def workflow_data(text: str) -> str:
    """A workflow command's message, as the runner unescapes it (@actions/core escapeData): "%" first."""
    return unicode(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """A workflow command's property value (@actions/core escapeProperty): ":" and "," delimit properties."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def uri_path(file: str) -> str:
    """A relative or absolute file name percent-encoded from its bytes (a name that is not UTF-8 keeps its own
    bytes, as %FF), everything but unreserved characters and "/" escaped."""
    try:
        raw = file.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that is no byte: encoded as itself
        raw = file.encode("utf-8", "surrogatepass")
    return quote(raw, safe="/")


#: A workflow command: `::` at the start of a line after whitespace (.NET's TrimStart trims every Unicode space;
#: the runner reads lines up to "\n", "\r" or both), or the legacy `##[` anywhere.
_COMMAND = re.compile(r"(?:(?<=[\r\n])|^)([^\S\r\n]*):(?=:)")
_LINE_COMMAND = re.compile(r"^([^\S\n]*):(?=:)", re.M)  # the same where no "\r" ends a line
#: Per format, ":" and "[" written so that the format still reads them as those characters.
_NEUTRAL = {"text": ("\\x3a", "\\x5b"), "json": ("\\u003a", "\\u005b"), "xml": ("&#58;", "&#91;"),
            "html": ("&#58;", "&#91;"), "markdown": ("\\:", "\\[")}


def commands(document: str, kind: str) -> str:
    """`document` with no workflow command in it: the colon that would open one and the bracket of `##[` written
    as `kind`'s escape of them ("text", "json", "xml", "html" or "markdown"). Nothing archlint writes itself opens
    one (the `github` format's own commands are not passed here)."""
    if "::" not in document and "##[" not in document:  # the usual report: nothing to look for
        return document
    colon, bracket = _NEUTRAL[kind]
    document = document.replace("##[", "##" + bracket)
    if "\r" in document:
        return _COMMAND.sub(lambda m: m.group(1) + colon, document)
    return _LINE_COMMAND.sub(lambda m: m.group(1) + colon, document)


def plain(document: str) -> str:
    """A plain-text document that has no layout of its own but its lines (`archlint cost`, `advise`): each line
    as `line` makes it, then `commands`."""
    return commands("\n".join(line(part) for part in document.split("\n")), "text")
