"""Console entry point: answers `--version` without importing anything heavy, then hands over to the CLI."""

import sys


def main() -> None:
    """Run archlint; the CLI module (and click) is imported only when a command needs it."""
    if sys.argv[1:] == ["--version"]:
        from archlint import __version__

        sys.stdout.write(f"archlint {__version__}\n")
        return
    import gc

    # A scan allocates hundreds of thousands of small, long-lived objects (parsed documents, the model): with
    # Python's default first threshold (700) the collector re-walks them thousands of times. 10,000 keeps peak
    # memory the same and loads the whole corpus 25% faster (benchmarks/README.md).
    gc.set_threshold(10_000, 10, 10)
    from archlint.cli import main as cli_main

    cli_main()
