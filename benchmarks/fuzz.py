"""Mutation fuzzer for archlint's promise: bad input never costs the run.

It mutates files of the real corpus (`../shared/corpus`) and a few built-in Python IaC programs (truncation, byte
flips, tabs, duplicated lines and keys, huge numbers, long strings, unicode, null bytes, wrong types where a
mapping is expected, deep nesting, YAML aliases), puts them in batches beside unmutated control files, runs the
real CLI (`archlint check DIR --format json`) under a time and memory limit, and checks that the promise holds:
exit code 0 or 1 (never 2, never a signal), no traceback, JSON output, within the limits, and the control files'
findings unchanged (compared by rule, file, node and key). A batch that breaks it is run again one mutant at a
time, and each culprit is saved under `--keep` with what broke. A script, not a test: it prints counts.

    python benchmarks/fuzz.py --mutants 10000                  # every format, batches of 50
    python benchmarks/fuzz.py --mutants 500 --formats terraform,python --keep /tmp/fuzz-crashes
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: Format -> (corpus folders whose files seed it, file name endings).
FORMATS = {
    "kubernetes": (["k8s"], (".yaml", ".yml", ".json")),
    "compose": (["compose"], (".yaml", ".yml")),
    "backstage": (["backstage"], (".yaml", ".yml")),
    "cloudformation": (["cloudformation"], (".yaml", ".yml", ".json", ".template")),
    "terraform-plan": (["tfplan"], (".json",)),
    "terraform": (["terraform"], (".tf", ".tfvars")),
    "helm": (["helm"], (".yaml", ".yml")),
    "python": ([], (".py",)),
}

#: Python IaC seeds (the corpus holds none): a Pulumi program and a CDK app, each beside its project marker.
PYTHON_SEEDS = {
    "pulumi": ("Pulumi.yaml", "name: shop\nruntime: python\n", "__main__.py", '''import pulumi
import pulumi_aws as aws

config = pulumi.Config()
size = config.get("size") or "t3.micro"
zones = ["eu-west-1a", "eu-west-1b"]
for index, zone in enumerate(zones):
    aws.ec2.Instance(f"web-{index}", instance_type=size, availability_zone=zone, tags={"team": "shop"})
db = aws.rds.Instance("db", engine="postgres", instance_class="db.t3.medium", allocated_storage=20,
                      multi_az=False, tags={"team": "shop"})
queue = aws.sqs.Queue("orders", visibility_timeout_seconds=30)
'''),
    "cdk": ("cdk.json", '{"app": "python3 app.py"}', "app.py", '''import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2, aws_rds as rds, aws_sqs as sqs


class Shop(cdk.Stack):
    def __init__(self, scope, name):
        super().__init__(scope, name)
        vpc = ec2.Vpc(self, "vpc", max_azs=2)
        rds.DatabaseInstance(self, "db", engine=rds.DatabaseInstanceEngine.POSTGRES, vpc=vpc,
                             instance_type=ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM),
                             multi_az=False)
        sqs.Queue(self, "orders", visibility_timeout=cdk.Duration.seconds(30))


app = cdk.App()
Shop(app, "shop")
app.synth()
'''),
}

#: Unmutated files in every batch: names and labels no mutant shares, so nothing they say can change.
CONTROL = {
    "control/web.yaml": """apiVersion: apps/v1
kind: Deployment
metadata: {name: fuzz-control-web, namespace: fuzz-control}
spec:
  replicas: 1
  selector: {matchLabels: {app: fuzz-control-web}}
  template:
    metadata: {labels: {app: fuzz-control-web}}
    spec:
      containers:
        - name: web
          image: acme/fuzz-control-web:1.0
          env: [{name: DB_URL, value: "postgres://fuzz-control-db:5432/app"}]
---
apiVersion: v1
kind: Service
metadata: {name: fuzz-control-web, namespace: fuzz-control}
spec:
  type: LoadBalancer
  selector: {app: fuzz-control-web}
  ports: [{port: 80}]
""",
    "control/db.yaml": """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: fuzz-control-db, namespace: fuzz-control}
spec:
  replicas: 1
  serviceName: fuzz-control-db
  selector: {matchLabels: {app: fuzz-control-db}}
  template:
    metadata: {labels: {app: fuzz-control-db}}
    spec:
      containers: [{name: db, image: "postgres:16"}]
---
apiVersion: v1
kind: Service
metadata: {name: fuzz-control-db, namespace: fuzz-control}
spec:
  selector: {app: fuzz-control-db}
  ports: [{port: 5432}]
""",
}

_UNICODE = ["é", "\u200b", "\u202e", "😀", "\ud800", "\x1b[31m", "\u0000", "\U0010ffff", "𝔘"]
_WRONG = ["[]", "{}", "[1, 2]", "{a: 1}", "null", "true", "-1", "1e999", '"x"', "!!binary AAAA", "*nope", "&a x"]


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One mutation of `data`, and its name."""
    kind = rng.choice(["truncate", "flip", "tabs", "duplicate", "number", "long", "unicode", "null", "wrong",
                       "deep", "alias", "swap", "delete"])
    lines = data.split(b"\n")
    where = rng.randrange(len(lines)) if lines else 0
    if kind == "truncate":
        return data[:rng.randrange(len(data) + 1)], kind
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            if out:
                out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out), kind
    if kind == "tabs":
        lines[where] = lines[where].replace(b"  ", b"\t")
    elif kind == "duplicate":
        lines.insert(where, lines[where])
    elif kind == "number":
        lines[where] = lines[where] + b" " + rng.choice([b"9" * 5000, b"-" + b"1" * 4400, b"1e99999", b"0x" + b"f" * 2000])
    elif kind == "long":
        lines[where] = lines[where] + b" " + b"a" * rng.choice([10_000, 1_000_000])
    elif kind == "unicode":
        lines[where] = lines[where] + rng.choice(_UNICODE).encode("utf-8", "surrogatepass")
    elif kind == "null":
        lines[where] = lines[where][: len(lines[where]) // 2] + b"\x00" + lines[where][len(lines[where]) // 2:]
    elif kind == "wrong":
        line = lines[where]
        for separator in (b": ", b" = ", b'": '):
            if separator in line:
                head = line.split(separator, 1)[0]
                lines[where] = head + separator + rng.choice(_WRONG).encode()
                break
    elif kind == "deep":
        depth = rng.choice([150, 199, 250, 1500])
        lines[where] = lines[where] + b" " + b"[" * depth + b"]" * depth
    elif kind == "alias":
        lines.insert(0, b"x-a: &a [a, a, a, a, a, a, a, a, a, a]")
        lines.insert(1, b"x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]")
        lines[where] = lines[where] + b" *b"
    elif kind == "swap" and len(lines) > 1:
        other = rng.randrange(len(lines))
        lines[where], lines[other] = lines[other], lines[where]
    elif kind == "delete" and lines:
        del lines[where]
    return b"\n".join(lines), kind


def seeds(corpus: Path, formats: list[str]) -> dict[str, list[tuple[str, bytes]]]:
    found: dict[str, list[tuple[str, bytes]]] = {}
    for name in formats:
        folders, endings = FORMATS[name]
        files = []
        for folder in folders:
            for path in sorted((corpus / folder).rglob("*")):
                if path.is_file() and not path.is_symlink() and path.name.endswith(endings) and \
                        path.stat().st_size < 200_000:
                    files.append((path.name, path.read_bytes()))
        if name == "python":
            files = [(key, program.encode()) for key, (_, _, _, program) in PYTHON_SEEDS.items()]
        if files:
            found[name] = files
    return found


def place(directory: Path, index: int, fmt: str, name: str, data: bytes) -> list[Path]:
    """Write one mutant in its own folder (a Terraform module, a Pulumi project); the files written."""
    folder = directory / "m" / f"{index:04d}"
    folder.mkdir(parents=True)
    if fmt == "python":
        marker, content, program, _ = PYTHON_SEEDS[name]
        (folder / marker).write_text(content)
        (folder / program).write_bytes(data)
        return [folder / program]
    target = folder / name
    target.write_bytes(data)
    return [target]


def run(directory: Path, timeout: float, memory_mb: int) -> dict:
    """Run the CLI on `directory`: exit code, seconds, findings (or what went wrong)."""
    env = {**os.environ, "ARCHLINT_CACHE_DIR": str(directory.parent / "cache")}
    env.pop("ARCHLINT_DEBUG", None)
    command = [sys.executable, "-m", "archlint", "check", str(directory), "--format", "json", "--root",
               str(directory)]
    limit = (lambda: __import__("resource").setrlimit(__import__("resource").RLIMIT_AS,
                                                      (memory_mb * 2**20, memory_mb * 2**20))) if memory_mb else None
    start = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, env=env, preexec_fn=limit, cwd="/")
    except subprocess.TimeoutExpired:
        return {"broken": f"no answer within {timeout:.0f} s", "seconds": timeout}
    seconds = time.monotonic() - start
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode < 0:
        return {"broken": f"killed by signal {-done.returncode}", "seconds": seconds}
    if done.returncode not in (0, 1):
        return {"broken": f"exit {done.returncode}: {stderr.strip().splitlines()[-1:] or ['']}"[:300], "seconds": seconds}
    if "Traceback" in stderr:
        return {"broken": "a traceback on stderr", "seconds": seconds}
    try:
        findings = json.loads(done.stdout)["findings"]
    except (ValueError, KeyError) as error:
        return {"broken": f"output is not the JSON report: {error}"[:300], "seconds": seconds}
    return {"findings": findings, "seconds": seconds}


#: Rules that judge the system as a whole, not each component: what they say about a control file depends on
#: everything else in the scan (the roadmap counts every service, a managed service is advised for the provider
#: the other files use, budgets add every cost), so the comparison leaves them out.
WHOLE_SYSTEM = ("PL", "CO01")


def control_view(findings: list[dict]) -> set[tuple]:
    return {(f["rule"], f["file"], f["node"], f.get("key", "")) for f in findings
            if f["file"].startswith("control/") and not f["rule"].startswith(WHOLE_SYSTEM)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--mutants", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=50, help="mutants per run of the CLI")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=120, help="seconds one run may take")
    parser.add_argument("--memory-mb", type=int, default=2048, help="address space one run may use (0: no limit)")
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "archlint-fuzz-broken")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = seeds(args.corpus, [f for f in args.formats.split(",") if f])
    if not pool:
        sys.exit(f"no seed files under {args.corpus}")
    work = Path(tempfile.mkdtemp(prefix="archlint-fuzz-"))
    counts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    broken: list[str] = []
    slowest = 0.0
    try:
        baseline_dir = work / "baseline"
        for name, text in CONTROL.items():
            (baseline_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (baseline_dir / name).write_text(text)
        baseline = run(baseline_dir, args.timeout, args.memory_mb)
        if "broken" in baseline:
            sys.exit(f"the control files alone break the promise: {baseline['broken']}")
        expected = control_view(baseline["findings"])
        done = 0
        batch_number = 0
        while done < args.mutants:
            batch_number += 1
            directory = work / f"batch{batch_number}"
            shutil.rmtree(work / f"batch{batch_number - 1}", ignore_errors=True)
            for name, text in CONTROL.items():
                (directory / name).parent.mkdir(parents=True, exist_ok=True)
                (directory / name).write_text(text)
            mutants = []
            for index in range(min(args.batch, args.mutants - done)):
                fmt = rng.choice(sorted(pool))
                name, data = rng.choice(pool[fmt])
                for _ in range(rng.randint(1, 3)):
                    data, kind = mutate(data, rng)
                    kinds[kind] += 1
                mutants.append((fmt, name, data, place(directory, index, fmt, name, data)))
                counts[fmt] += 1
            done += len(mutants)
            outcome = run(directory, args.timeout, args.memory_mb)
            slowest = max(slowest, outcome["seconds"])
            problem = outcome.get("broken")
            if problem is None and control_view(outcome["findings"]) != expected:
                changed = control_view(outcome["findings"]) ^ expected
                problem = f"the control files' findings changed: {sorted(changed)[:3]}"
            if problem is not None:
                broken.extend(_culprits(work, mutants, problem, args, expected))
            print(f"batch {batch_number}: {done}/{args.mutants} mutants, {outcome['seconds']:.1f} s"
                  + (f", BROKEN: {problem}" if problem else ""), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{sum(counts.values())} mutants in {batch_number} runs; by format: "
          + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print("mutations applied: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(f"slowest run {slowest:.1f} s; broken promises: {len(broken)}")
    for line in broken:
        print("  " + line)
    sys.exit(1 if broken else 0)


def _culprits(work: Path, mutants: list, problem: str, args, expected: set) -> list[str]:
    """Each mutant of a broken batch alone beside the control files: those that still break it, saved."""
    found = []
    for number, (fmt, name, data, _) in enumerate(mutants):
        directory = work / f"alone{number}"
        for control, text in CONTROL.items():
            (directory / control).parent.mkdir(parents=True, exist_ok=True)
            (directory / control).write_text(text)
        place(directory, 0, fmt, name, data)
        outcome = run(directory, args.timeout, args.memory_mb)
        alone = outcome.get("broken")
        if alone is None and control_view(outcome["findings"]) != expected:
            alone = "the control files' findings changed"
        if alone is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            kept = args.keep / f"{fmt}-{len(list(args.keep.iterdir())):04d}-{name}"
            kept.write_bytes(data)
            found.append(f"{fmt} {name}: {alone} (kept as {kept})")
        shutil.rmtree(directory, ignore_errors=True)
    return found or [f"batch only (no mutant alone): {problem}"]


if __name__ == "__main__":
    main()
