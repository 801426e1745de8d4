"""Regular expressions written by users, matched by RE2 in time linear in the text: never by backtracking.

Python's `re` backtracks: `^(a+)+$` against 34 characters that end in a mismatch takes minutes, and a policy is run
against every component of every repository it meets. RE2 (Google's engine, also Go's `regexp` and so kustomize's)
answers every pattern in time linear in the text, and refuses what it cannot answer that way (back-references,
look-around) when the pattern is compiled: archlint reports that as a configuration error at the pattern's line.
"""

from __future__ import annotations

from functools import lru_cache

MAX_LENGTH = 1000
#: Answers a pattern keeps, for texts as short as names and images: the copies of one object (overlays,
#: all-in-ones) ask again with the same text.
MAX_REMEMBERED, MAX_REMEMBERED_LENGTH = 4096, 200
#: RE2's memory budget for one compiled pattern (its default is 8 MiB): `(x{1000}){1000}` is refused, not built.
MAX_MEMORY = 8 * 2**20

_UNSUPPORTED = (
    (("invalid perl operator: (?=", "invalid perl operator: (?!", "invalid perl operator: (?<=",
      "invalid perl operator: (?<!"),
     "look-ahead and look-behind ((?=...), (?!...), (?<=...), (?<!...)) need a backtracking matcher"),
    (("invalid escape sequence: \\1", "invalid escape sequence: \\2", "invalid escape sequence: \\3",
      "invalid escape sequence: \\4", "invalid escape sequence: \\5", "invalid escape sequence: \\6",
      "invalid escape sequence: \\7", "invalid escape sequence: \\8", "invalid escape sequence: \\9",
      "invalid named capture group: (?P=", "invalid perl operator: (?P"),
     "back-references (\\1, (?P=name)) need a backtracking matcher"),
    (("invalid escape sequence: \\Z",), "\\Z is written \\z (the end of the text)"),
    (("invalid repetition size",), "a repetition count ({n} or {n,m}) is at most 1000, nested counts multiplied "
                                  "together too"),
    (("pattern too large",), "the pattern compiles to more than RE2's memory budget (8 MiB): repeat less"),
)


class RegexError(ValueError):
    """A pattern archlint will not run; the message is one plain sentence."""


class Regex:
    """A compiled pattern; `search` says whether it matches anywhere in a string (any string: lone surrogates
    from JSON escapes included)."""

    __slots__ = ("pattern", "_compiled", "_found")

    def __init__(self, pattern: str, compiled) -> None:
        self.pattern, self._compiled = pattern, compiled
        self._found: dict[str, bool] = {}

    def search(self, text: str) -> bool:
        found = self._found.get(text)
        if found is None:
            found = self._compiled.search(text.encode("utf-8", "surrogatepass")) is not None
            if len(self._found) < MAX_REMEMBERED and len(text) <= MAX_REMEMBERED_LENGTH:
                self._found[text] = found
        return found

    def fullmatch(self, text: str) -> bool:
        return self._compiled.fullmatch(text.encode("utf-8", "surrogatepass")) is not None

    def __repr__(self) -> str:
        return f"Regex({self.pattern!r})"


@lru_cache(maxsize=4096)
def compile(pattern: str) -> Regex:  # noqa: A001 - the name says what it is, as re.compile does
    """The pattern compiled, or RegexError saying why it is not run."""
    if len(pattern) > MAX_LENGTH:
        raise RegexError(f"regular expression longer than {MAX_LENGTH:,} characters")
    import re2  # google-re2: imported when a pattern is first compiled

    options = re2.Options()
    options.log_errors = False  # RE2 would print its own line on stderr; the caller reports the error once
    options.never_capture = True  # only "does it match" is asked
    options.max_mem = MAX_MEMORY
    try:
        return Regex(pattern, re2.compile(pattern.encode("utf-8", "surrogatepass"), options))
    except re2.error as error:
        raise RegexError(_sentence(error)) from None


def _sentence(error: Exception) -> str:
    reason = error.args[0] if error.args else str(error)
    reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    for starts, sentence in _UNSUPPORTED:
        if reason.startswith(starts):
            return f"regular expression not supported: {sentence}; archlint matches with RE2, in time linear in " \
                   f"the text"
    return f"regular expression does not compile: {reason}"
