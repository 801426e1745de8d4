"""Console entry point: answers `--version` without importing anything heavy, then hands over to the CLI."""

import sys


def main() -> None:
    """Run archlint; the CLI module (and click) is imported only when a command needs it."""
    if sys.argv[1:] == ["--version"]:
        from archlint import __version__

        sys.stdout.write(f"archlint {__version__}\n")
        return
    from archlint.cli import main as cli_main

    cli_main()
