"""One evaluation budget for the loaders that compute values (Terraform, Python IaC): a few bytes of input can ask
for gigabytes (`format("%2000000000d", 1)`, forty `concat(local.prev, local.prev)`, a module calling the next one
twice, nineteen times), and archlint must stay fast and bounded whatever a repository holds.

Past a budget the value is unknown (as one Terraform cannot know before apply) or the expansion stops, and the
place is reported once (IN009). A loader opens the budget around its work (`with Budget() as budget:`); the
evaluators find it with `current()`, so that the functions deep inside them need no extra argument. Guards check
sizes *before* allocating: a string's width before formatting it, a list's length before concatenating it.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any

from archlint.finding import Finding

LIMIT_REACHED = "IN009"
#: Characters of one string value.
MAX_TEXT = 1_000_000
#: Items of one collection value, counting nested items and every copy of a value shared in several places.
MAX_ITEMS = 100_000
#: Bits of one integer (about 1,200 decimal digits): larger numbers have no place in infrastructure.
MAX_BITS = 4096
#: Module instances (Terraform) one scan expands, or iterations of the loops around one resource (Python IaC). A
#: loader may allow more for a larger input (Terraform: a few more per file).
MAX_INSTANCES = 10_000
#: Expressions evaluated for one attribute, with everything it refers to that was not evaluated before.
MAX_STEPS = 500_000

_CURRENT: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("archlint_budget", default=None)


class OverBudget(Exception):
    """A value would pass a budget: `what` says what it would have been ("a string of 2,000,000,000 characters"),
    `limit` the budget; `run_wide` budgets (steps, instances), once spent, are reported once, where first passed."""

    def __init__(self, what: str, limit: str, run_wide: bool = False) -> None:
        super().__init__(what)
        self.what = what
        self.limit = limit
        self.run_wide = run_wide


@dataclass(frozen=True, slots=True)
class Hit:
    file: str
    line: int
    what: str
    limit: str
    consequence: str


class Budget:
    """The budget of one loader's run: the guards below raise OverBudget; `exceeded` records where it happened."""

    def __init__(self, max_instances: int = MAX_INSTANCES) -> None:
        self.hits: dict[tuple[str, int], Hit] = {}
        self.instances = 0
        self.max_instances = max_instances
        self._steps = 0
        self._depth = 0
        self._spent: set[str] = set()
        self._weights: dict[int, tuple[Any, int]] = {}  # id -> (the value, kept alive so the id stays its own)
        self._token: contextvars.Token | None = None

    def __enter__(self) -> Budget:
        self._token = _CURRENT.set(self)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _CURRENT.reset(self._token)
        self._weights.clear()

    # ---- guards ----------------------------------------------------------------------------------------------

    def text(self, length: int) -> None:
        if length > MAX_TEXT:
            raise OverBudget(f"this value would be a string of {length:,} characters", f"{MAX_TEXT:,} characters")

    def number(self, value: Any) -> Any:
        if type(value) is int and value.bit_length() > MAX_BITS:
            raise OverBudget(f"this value would be a number of {value.bit_length():,} bits", f"{MAX_BITS:,} bits")
        return value

    def length(self, count: int) -> None:
        """Before building a collection of `count` items."""
        if count > MAX_ITEMS:
            raise OverBudget(f"this value would be a collection of {count:,} items", f"{MAX_ITEMS:,} items")

    def items(self, value: Any) -> Any:
        """`value`, once its size, nested items and shared copies counted, is within MAX_ITEMS."""
        self.length(self.weight(value))
        return value

    def weight(self, value: Any) -> int:
        """The items of a value as if every shared part were copied (what walking it costs), computed once per
        distinct container: `[local.a, local.a]` forty times over is 2**40, found in forty steps."""
        if not isinstance(value, (list, dict, tuple)):
            return 1
        known = self._weights.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        children = value.values() if isinstance(value, dict) else value
        total = 1
        for child in children:
            total += self.weight(child) if isinstance(child, (list, dict, tuple)) else 1
            if total > MAX_ITEMS * 16:  # far past the budget: no need to count the rest
                break
        self._weights[id(value)] = (value, total)
        return total

    def step(self) -> None:
        self._steps += 1
        if self._steps > MAX_STEPS:
            raise OverBudget(f"evaluating this takes more than {MAX_STEPS:,} steps", f"{MAX_STEPS:,} steps", True)

    def instance(self, count: int = 1) -> None:
        """Before expanding `count` more module instances or loop iterations."""
        if self.instances + count > self.max_instances:
            raise OverBudget(f"expanding this makes more than {self.max_instances:,} instances",
                             f"{self.max_instances:,} instances", True)
        self.instances += count

    # ---- evaluation scopes and hits ------------------------------------------------------------------------

    def enter(self) -> None:
        """An attribute's evaluation begins; the outermost one starts a new count of steps."""
        if self._depth == 0:
            self._steps = 0
        self._depth += 1

    def leave(self) -> None:
        self._depth -= 1

    def exceeded(self, error: OverBudget, file: str, line: int, consequence: str = "the value is unknown") -> None:
        """Record the first budget passed at a place (later ones at the same place add nothing); a run-wide budget
        is recorded where it was first passed only."""
        if error.run_wide:
            if error.limit in self._spent:
                return
            self._spent.add(error.limit)
        self.hits.setdefault((file, line), Hit(file, line, error.what, error.limit, consequence))

    def findings(self) -> list[Finding]:
        return [Finding(LIMIT_REACHED, f"{hit.what}, past archlint's budget of {hit.limit}: {hit.consequence}",
                        hit.file, hit.line, key=f"budget:{hit.limit.split()[-1]}",
                        fix="If the value is meant to be this large, exclude the file; if not (a doubled list, a "
                            "runaway count), fix the expression.")
                for _, hit in sorted(self.hits.items())]


def current() -> Budget:
    """The budget of the loader running now; a fresh one (never reported) outside any."""
    budget = _CURRENT.get()
    return budget if budget is not None else Budget()
