"""Check the promises of the output on real projects (a script, not a test: it runs the corpus).

For each DIR: the number of findings, the text output's line count, the findings that share rule, file, line and
message with another (the engine merges those: there must be none), and the text lines wider than the width at
COLUMNS=80 and 120 (there must be none). Exit 1 when a promise is broken.

    python benchmarks/check_output.py ../shared/corpus/k8s/GoogleCloudPlatform+kubernetes-engine-samples
    python benchmarks/check_output.py --each ../shared/corpus/k8s      # every project directory below it
    PYTHONPATH=/work/wt/base python benchmarks/check_output.py --python-path /work/wt/base DIR   # an older archlint

It runs `python -m archlint check` from a scratch directory (so that the archlint imported is the installed one or
the one named by --python-path), with ARCHLINT_CACHE_DIR as set in the environment.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def _run(directory: Path, fmt: str, python_path: str | None, columns: int | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if python_path:
        env["PYTHONPATH"] = python_path
    if columns:
        env["COLUMNS"] = str(columns)
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run([sys.executable, "-m", "archlint", "check", str(directory.resolve()), "--format", fmt],
                              cwd=scratch, env=env, capture_output=True, timeout=1800)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{directory}: archlint exited {done.returncode}: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode("utf-8")


def check(directory: Path, python_path: str | None) -> dict:
    findings = json.loads(_run(directory, "json", python_path))["findings"]
    same = collections.Counter((f["rule"], f["file"], f["line"], f["message"]) for f in findings)
    duplicates = {key: n for key, n in same.items() if n > 1}
    result = {"dir": str(directory), "findings": len(findings),
              "duplicates": sum(n - 1 for n in duplicates.values()), "examples": list(duplicates)[:3]}
    for columns in (80, 120):
        lines = _run(directory, "text", python_path, columns).splitlines()
        result[f"lines@{columns}"] = len(lines)
        result[f"over@{columns}"] = sum(1 for line in lines if len(line) > columns)
        result[f"widest@{columns}"] = max((len(line) for line in lines), default=0)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--each", action="store_true", help="check every directory directly below each DIR")
    parser.add_argument("--python-path", help="PYTHONPATH of the archlint to run (an older checkout)")
    args = parser.parse_args()
    targets = [d for top in args.dirs for d in (sorted(p for p in top.iterdir() if p.is_dir()) if args.each else [top])]
    broken = False
    for target in targets:
        result = check(target, args.python_path)
        bad = result["duplicates"] or result["over@80"] or result["over@120"]
        broken = broken or bool(bad)
        print(("BROKEN " if bad else "ok     ") + json.dumps(result, ensure_ascii=False))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
