"""A small stand-in for the GitHub Actions runner: runs the `run:` steps of a workflow job or a composite action as
the runner does (bash -eo pipefail, `${{ }}` expressions, GITHUB_OUTPUT / GITHUB_PATH / GITHUB_STEP_SUMMARY,
`if:` with the status functions), and records the `uses:` steps it cannot run with their evaluated inputs.

It implements the part of the expression language the repository's workflow and action.yml use, and fails on
anything else, so that a step the tests cannot follow is noticed rather than skipped."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_TOKEN = re.compile(r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))|"
                    r"(?P<call>(?:always|success|failure|cancelled)\(\))|(?P<name>[A-Za-z_][\w.-]*))")


@dataclass
class Step:
    name: str
    status: str  # "success", "failure" or "skipped"
    uses: str = ""
    with_: dict = field(default_factory=dict)
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""


@dataclass
class Context:
    inputs: dict
    github: dict
    workdir: Path
    temp: Path
    env: dict
    steps: dict = field(default_factory=dict)
    failed: bool = False

    def lookup(self, dotted: str) -> str:
        head, _, rest = dotted.partition(".")
        if head == "inputs":
            return str(self.inputs.get(rest, ""))
        if head == "github":
            return str(self.github.get(rest, ""))
        if head == "steps":
            step, _, path = rest.partition(".")
            kind, _, key = path.partition(".")
            assert kind == "outputs", dotted
            return self.steps.get(step, {}).get(key, "")
        if dotted in ("true", "false"):
            return dotted
        raise AssertionError(f"expression name the test runner does not know: {dotted}")


def evaluate(expression: str, ctx: Context):
    """Evaluate a `${{ }}` expression (strings, ==, !=, !, &&, ||, parentheses, status functions, names)."""
    tokens = []
    position = 0
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        assert match and match.end() > position, f"cannot read expression {expression!r} at {position}"
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        position = match.end()
        while position < len(expression) and expression[position].isspace():
            position += 1
    value, rest = _or(tokens, ctx)
    assert not rest, f"unread tokens in {expression!r}: {rest}"
    return value


def _or(tokens, ctx):
    left, tokens = _and(tokens, ctx)
    while tokens and tokens[0] == ("op", "||"):
        right, tokens = _and(tokens[1:], ctx)
        left = left or right
    return left, tokens


def _and(tokens, ctx):
    left, tokens = _compare(tokens, ctx)
    while tokens and tokens[0] == ("op", "&&"):
        right, tokens = _compare(tokens[1:], ctx)
        left = left and right
    return left, tokens


def _compare(tokens, ctx):
    left, tokens = _unary(tokens, ctx)
    if tokens and tokens[0] in (("op", "=="), ("op", "!=")):
        op = tokens[0][1]
        right, tokens = _unary(tokens[1:], ctx)
        return (str(left).lower() == str(right).lower()) == (op == "=="), tokens
    return left, tokens


def _unary(tokens, ctx):
    kind, text = tokens[0]
    if (kind, text) == ("op", "!"):
        value, rest = _unary(tokens[1:], ctx)
        return not value, rest
    if (kind, text) == ("op", "("):
        value, rest = _or(tokens[1:], ctx)
        assert rest and rest[0] == ("op", ")")
        return value, rest[1:]
    if kind == "string":
        return text[1:-1].replace("''", "'"), tokens[1:]
    if kind == "call":
        return {"always()": True, "cancelled()": False, "success()": not ctx.failed,
                "failure()": ctx.failed}[text], tokens[1:]
    return ctx.lookup(text), tokens[1:]


def substitute(text: str, ctx: Context) -> str:
    return _EXPRESSION.sub(lambda m: str(evaluate(m.group(1), ctx)), str(text))


def run_steps(steps: list[dict], ctx: Context) -> list[Step]:
    """Run `steps` in order as the runner would; returns each step's outcome."""
    done = []
    for index, step in enumerate(steps):
        name = step.get("name") or step.get("run", step.get("uses", f"step {index}")).splitlines()[0]
        condition = str(step.get("if", "success()"))
        wanted = evaluate(_EXPRESSION.sub(lambda m: m.group(1), condition), ctx) if condition else True
        if not wanted:
            done.append(Step(name, "skipped", step.get("uses", "")))
            continue
        if "uses" in step:
            done.append(Step(name, "success", step["uses"], {k: substitute(v, ctx) for k, v in
                                                               (step.get("with") or {}).items()}))
            continue
        done.append(_run(step, name, ctx))
    return done


def _run(step: dict, name: str, ctx: Context) -> Step:
    files = {key: ctx.temp / f"{key.lower()}-{len(ctx.steps)}-{abs(hash(name))}" for key in
             ("GITHUB_OUTPUT", "GITHUB_PATH")}
    for path in files.values():
        path.write_text("")
    env = {**ctx.env, **{k: substitute(v, ctx) for k, v in (step.get("env") or {}).items()},
           **{k: str(v) for k, v in files.items()}}
    script = ctx.temp / "step.sh"
    script.write_text(substitute(step["run"], ctx))
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=ctx.workdir,
                          env=env, capture_output=True, text=True, timeout=300)
    outputs = dict(line.split("=", 1) for line in files["GITHUB_OUTPUT"].read_text().splitlines() if "=" in line)
    if "id" in step:
        ctx.steps[step["id"]] = outputs
    added = [line for line in files["GITHUB_PATH"].read_text().splitlines() if line]
    if added:
        ctx.env["PATH"] = os.pathsep.join([*reversed(added), ctx.env["PATH"]])
    status = "success" if done.returncode == 0 else "failure"
    ctx.failed = ctx.failed or status == "failure"
    return Step(name, status, exit_code=done.returncode, stdout=done.stdout, stderr=done.stderr)
