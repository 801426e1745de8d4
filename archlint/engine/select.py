"""`--select` and `--ignore`: which rules a run reports, by id, name, concern or id prefix (`FI0`)."""

from __future__ import annotations

#: Files that cannot be read are reported under --select too (as ruff reports syntax errors): a run never goes
#: silent about what it could not read unless told `--ignore IN001`.
ALWAYS = frozenset({"IN001"})


class SelectionError(ValueError):
    """A selector that names no rule: a typo would otherwise select nothing, silently."""


def matches(selector: str, rule) -> bool:
    """A rule answers to its id, its name or an alias, its concern (`cost`), or a prefix of its id (`FI0`)."""
    meta = rule.meta
    wanted = selector.strip()
    return (wanted.upper() == meta.id.upper() or wanted in (meta.name, *meta.aliases)
            or wanted == meta.concern.value or (wanted[:1].isalpha() and meta.id.upper().startswith(wanted.upper())))


def chosen(rules: tuple, select: tuple[str, ...], ignore: tuple[str, ...]) -> set[str]:
    """The ids of `rules` that `select` (all, when empty) picks and `ignore` does not; a selector that matches no
    rule raises SelectionError naming it."""
    unknown = [s for s in (*select, *ignore) if not any(matches(s, rule) for rule in rules)]
    if unknown:
        raise SelectionError(f"{', '.join(map(repr, unknown))} matches no rule: give rule ids, names, concerns or id "
                             "prefixes (`archlint rules` lists them)")
    picked = {r.id for r in rules if not select or any(matches(s, r) for s in select)}
    if select:
        picked |= ALWAYS & {r.id for r in rules}
    return {r for r in picked if not any(matches(s, rule) for rule in rules if rule.id == r for s in ignore)}


def split(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select FI001,FI004 --select cost` as ("FI001", "FI004", "cost")."""
    return tuple(part for value in values for part in value.replace(",", " ").split() if part)
