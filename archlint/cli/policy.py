"""`archlint policy validate FILE...` and `archlint policy test DIR...`: thin commands over the policy loader."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group()
def policy() -> None:
    """Validate and test YAML policies (see docs/policies.md)."""


@policy.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True))
def validate(files) -> None:
    """Check policy FILES (or directories of them) against the schema and the language; exit 2 on any error."""
    from archlint.rules.policy.load import PolicyError, duplicates, load_file, policy_files

    errors: list[str] = []
    rules: list = []
    for given in files:
        path = Path(given)
        for file in policy_files(path) if path.is_dir() else [path]:
            try:
                rules += load_file(file, file.as_posix())
            except PolicyError as error:
                errors += error.errors
    errors += duplicates(rules)
    from archlint.report.escape import line as printable  # the policies' own text: one line each, no controls

    for line in errors:
        click.echo(printable(line), err=True)
    if errors:
        click.echo(f"{len(errors)} problem{'s' if len(errors) != 1 else ''}", err=True)
        sys.exit(2)
    click.echo(f"{len(rules)} polic{'ies' if len(rules) != 1 else 'y'} valid")


@policy.command("test")
@click.argument("directories", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
def run_tests(directories) -> None:
    """Run the *.test.yaml files of DIRECTORIES: PASS/FAIL per test, exit 1 on a failure, 2 on invalid input."""
    from archlint.cli.policytest import PolicyTestError, run
    from archlint.report.escape import line as printable  # the tests' own names and files: no controls

    try:
        outcomes = run([Path(d) for d in directories])
    except PolicyTestError as error:
        for line in error.errors:
            click.echo(printable(line), err=True)
        sys.exit(2)
    for outcome in outcomes:
        click.echo(printable(f"{'PASS' if outcome.passed else 'FAIL'} {outcome.file}: {outcome.name}"))
        for item in outcome.missing:
            click.echo(printable(f"  missing     {item}"))
        for item in outcome.unexpected:
            click.echo(printable(f"  unexpected  {item}"))
    failed = sum(not o.passed for o in outcomes)
    click.echo(f"{len(outcomes) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
