"""Benchmark archlint: start-up, load, analysis (all rules and each), reports, memory and end-to-end time."""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
KINDS = ("graph", "k8s", "terraform")
YAML_SUFFIXES = (".yaml", ".yml")
#: Checkov 3.3.30 on ../shared/corpus/k8s (1,620 files) as the issue measured it, for when checkov is not installed.
CHECKOV_K8S_S = 20.2


def main() -> None:
    args = _arguments()
    if args.measure:
        json.dump(measure(Path(args.measure), args.repeat, args.budget, args.floor, args.tracemalloc), sys.stdout)
        return
    results = {"machine": machine(), "command": " ".join([Path(sys.executable).name, *sys.argv]),
               "startup": startup(args.repeat), "generated": [], "corpus": [], "checkov": None}
    print(_startup_table(results["startup"]), flush=True)
    checkov = shutil.which("checkov") if not args.no_checkov else None
    if checkov:
        results["checkov"] = {"version_s": _best(lambda: _run([checkov, "--version"], 120)[0], args.repeat)}
    with tempfile.TemporaryDirectory(prefix="archlint-bench-", dir=args.workdir) as work:
        for kind in args.kinds:
            for size in args.sizes:
                results["generated"].append(generated(Path(work), kind, size, args, checkov))
                print(_row(results["generated"][-1]), flush=True)
    for label, sub in (("corpus k8s", "k8s"), ("corpus (all)", "")):
        directory = args.corpus / sub if sub else args.corpus
        if directory.is_dir():
            run = scan(directory, args, floor=True)
            run.update(kind=label, path=str(directory))
            if checkov and sub == "k8s":
                run["checkov_s"] = _checkov(checkov, directory, "kubernetes", args)
            results["corpus"].append(run)
            print(_row(run), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    print(report(results))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000,100000", help="components per generated system")
    parser.add_argument("--kinds", default=",".join(KINDS), help="graph, k8s, terraform (comma separated)")
    parser.add_argument("--quick", action="store_true", help="sizes 100,1000, one repeat")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure; the best is kept")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--json", metavar="FILE", help="write every figure as JSON")
    parser.add_argument("--budget", type=float, default=900, help="seconds before a rule or a run is given up")
    parser.add_argument("--checkov-max", type=int, default=1000, help="largest generated system given to checkov")
    parser.add_argument("--no-checkov", action="store_true")
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end subprocess runs")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure peak Python allocations (slower)")
    parser.add_argument("--workdir", help="where the generated systems go (default: the system's temporary dir)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # worker mode: measure DIR in this fresh process
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.corpus = args.corpus.resolve()  # the end-to-end runs start in the scanned directory
    if args.quick:
        args.sizes, args.repeat = "100,1000", 1
    args.sizes = [int(s) for s in str(args.sizes).split(",") if s]
    args.kinds = [k for k in str(args.kinds).split(",") if k]
    return args


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")), "")
    memory = next((line.split()[1] for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), "0")
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d"), "python": platform.python_version(),
            "cpu": cpu or platform.processor(), "cores": os.cpu_count(), "memory_gb": round(int(memory) / 2**20, 1),
            "os": platform.platform()}


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def archlint_command() -> list[str]:
    """The installed console script when there is one, else `python -m archlint` from this checkout."""
    found = shutil.which("archlint")
    return [found] if found else [sys.executable, "-m", "archlint"]


def _env(command: list[str] | None = None) -> dict:
    """The environment, with this checkout importable, except for an installed console script: that runs the
    installed package, byte-compiled, as a user's would (the checkout's sources may have no .pyc to load)."""
    env = dict(os.environ)
    if command is None or command[0] == sys.executable:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def _run(command: list[str], timeout: float, cwd: str | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit code of a command (None seconds if it ran out of time)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=_env(command), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return time.perf_counter() - start, usage.ru_maxrss / 1024, process.returncode
        if time.perf_counter() > deadline:
            process.kill()
            process.wait()
            return math.nan, math.nan, -9
        time.sleep(0.002)


def _best(run, repeat: int) -> float:
    return min(run() for _ in range(max(1, repeat)))


def startup(repeat: int) -> dict:
    """Wall time of the interpreter alone, of `archlint --version` and of importing the CLI."""
    repeat = max(repeat, 5)
    cmd = archlint_command()
    python = [sys.executable, "-c"]
    return {"command": " ".join(cmd + ["--version"]),
            "python_s": _best(lambda: _run(python + ["pass"], 60)[0], repeat),
            "version_s": _best(lambda: _run(cmd + ["--version"], 60)[0], repeat),
            "import_cli_s": _best(lambda: _run(python + ["import archlint.cli"], 60)[0], repeat)}


def generated(work: Path, kind: str, size: int, args, checkov: str | None) -> dict:
    sys.path.insert(0, str(HERE))
    import generate

    directory = work / f"{kind}-{size}"
    start = time.perf_counter()
    nodes = generate.topology(size)
    writer = {"graph": generate.write_graph, "k8s": generate.write_kubernetes, "terraform": generate.write_terraform}
    files = writer[kind](directory, nodes)
    run = {"kind": kind, "size": size, "files": files, "generate_s": time.perf_counter() - start}
    run.update(scan(directory, args, floor=kind == "k8s"))
    if checkov and kind != "graph" and size <= args.checkov_max:
        run["checkov_s"] = _checkov(checkov, directory, "kubernetes" if kind == "k8s" else "terraform", args)
    shutil.rmtree(directory, ignore_errors=True)
    return run


def scan(directory: Path, args, floor: bool) -> dict:
    """In-process figures from a fresh worker process, then the end-to-end command."""
    command = [sys.executable, str(Path(__file__).resolve()), "--measure", str(directory), "--repeat",
               str(args.repeat), "--budget", str(args.budget)] + (["--floor"] if floor else []) + (
               ["--tracemalloc"] if args.tracemalloc else [])
    done = subprocess.run(command, env=_env(), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"worker failed on {directory}:\n{done.stderr}")
    run = json.loads(done.stdout)
    if not args.no_e2e:
        run.update(_end_to_end(directory, args))
    return run


def _end_to_end(directory: Path, args) -> dict:
    """`archlint check DIR --format json`: cold (a new cache directory each run: policies validated, every file
    parsed, the pack written, as on a fresh CI machine) and warm (the pack of the run before: a pre-commit hook)."""
    check = archlint_command() + ["check", str(directory), "--format", "json", "-o", os.devnull]
    cold, warm, before = [], [], os.environ.get("ARCHLINT_CACHE_DIR")
    with tempfile.TemporaryDirectory(prefix="archlint-bench-cache-") as caches:
        for number in range(max(1, args.repeat)):
            os.environ["ARCHLINT_CACHE_DIR"] = os.path.join(caches, str(number))
            cold.append(_run(check, args.budget, cwd=str(directory)))
            warm.append(_run(check, args.budget, cwd=str(directory)))
            if cold[0][0] > 60:  # a run over a minute is not repeated
                break
        os.environ.pop("ARCHLINT_CACHE_DIR")
        if before is not None:
            os.environ["ARCHLINT_CACHE_DIR"] = before
    return {"e2e_cold_s": min(r[0] for r in cold), "e2e_s": min(r[0] for r in warm),
            "e2e_peak_mb": max(r[1] for r in cold + warm), "e2e_exit": cold[0][2]}


def _checkov(checkov: str, directory: Path, framework: str, args) -> float:
    command = [checkov, "-d", str(directory), "--framework", framework, "--quiet", "--compact", "-o", "json",
               "--skip-download"]
    return _best(lambda: _run(command, args.budget * 4)[0], 1)


class _OutOfTime(Exception):
    pass


def _timed(function, budget: float):
    """(seconds, result) of function(), or (nan, None) when it takes more than `budget` seconds."""
    def expire(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, budget)
    start = time.perf_counter()
    try:
        result = function()
        return time.perf_counter() - start, result
    except _OutOfTime:
        return math.nan, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def measure(directory: Path, repeat: int, budget: float, floor: bool, trace: bool) -> dict:
    """Worker: load, analyse, each rule alone, reports; best of `repeat`, peak resident memory of this process."""
    import resource
    from dataclasses import replace

    from archlint import __version__
    from archlint.cli.describe import rule_info
    from archlint.engine import analyze
    from archlint.engine.config import Config
    from archlint.finding import Severity
    from archlint.loaders.discover import discover
    from archlint.loaders.pipeline import load
    from archlint.report import Report, renderer
    from archlint.rules import all_rules

    import gc

    gc.set_threshold(50_000, 20, 10)  # as the console script does (archlint/_entry.py)
    rules, config, root = all_rules(), Config(), directory.resolve()
    result: dict = {"load_s": math.inf, "analysis_s": math.inf, "json_s": math.inf, "sarif_s": math.inf, "rules": {}}
    for _ in range(max(1, repeat)):  # a load over a minute is not repeated: its best of 3 would take too long
        seconds, loaded = _timed(lambda: load(discover([root], root)), budget)
        result["load_s"] = min(result["load_s"], seconds)
        if loaded is None or seconds > 60:
            break
    if loaded is not None and result["load_s"] < 60:
        result["load_warm_s"] = _warm_load(root, repeat, budget)
    if loaded is None:
        return _finite({**result, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    gc.freeze()  # as `archlint check` does once the model is loaded (archlint/cli/wiring.py)
    result.update(nodes=len(loaded.model), edges=sum(1 for _ in loaded.model.dependencies()))
    for _ in range(max(1, repeat)):  # each run on a fresh model: no index cached by the run before
        fresh = replace(loaded, model=loaded.model.afresh())
        seconds, analysis = _timed(lambda: analyze(fresh, config, rules), budget)
        result["analysis_s"] = min(result["analysis_s"], seconds)
        if analysis is None:
            break
        report = Report(version=__version__, findings=analysis.findings, rules=tuple(map(rule_info, analysis.rules)),
                        model_summary=fresh.model.summary(), fail_on=Severity.ERROR, color=False)
        for fmt in ("json", "sarif"):
            result[f"{fmt}_s"] = min(result[f"{fmt}_s"], _timed(lambda: renderer(fmt)(report), budget)[0])
        for rule in rules:
            if rule.check is None:
                continue
            options = dict(rule.meta.options)
            alone = loaded.model.afresh()  # cold: builds the indexes it needs
            seconds, found = _timed(lambda: list(rule.check(alone, options)), budget)
            best = result["rules"].get(rule.id, {"s": math.inf})
            result["rules"][rule.id] = {"s": min(best["s"], seconds), "findings": len(found or ()),
                                        "related": sum(len(f.related) for f in found or ())}
        result["findings"] = len(analysis.findings)
        del fresh, analysis, report
    for _ in range(max(1, repeat)):  # `archlint failure-modes`: the assessment, then the JSON with every fix priced
        seconds, assessed = _timed(lambda: _failure_modes(loaded.model), budget)
        if assessed is None:
            result["assess_s"] = result["failure_modes_s"] = math.nan
            break
        result["assess_s"] = min(result.get("assess_s", math.inf), assessed[0])
        result["failure_modes_s"] = min(result.get("failure_modes_s", math.inf), seconds)
        result["matrix"] = assessed[1]
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if floor:
        result["parse_floor_s"] = min(_parse_floor(root) for _ in range(max(1, repeat)))
    if trace:
        import tracemalloc

        tracemalloc.start()
        analyze(load(discover([root], root)), config, rules)
        result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return _finite(result)


def _failure_modes(loaded_model) -> tuple[float, dict]:
    """Assess a fresh model and render the JSON matrix; (seconds assessing, the matrix's counts)."""
    import time

    from archlint import __version__
    from archlint.report.failure_modes import FailureModes, as_dict
    from archlint.resilience import assess, remedies

    model = loaded_model.afresh()
    model.journeys = loaded_model.journeys
    started = time.perf_counter()
    assessment = assess(model)
    assessing = time.perf_counter() - started
    summary = as_dict(FailureModes(__version__, assessment, model, (), remedies(model)))["summary"]
    return assessing, summary


def _warm_load(root: Path, repeat: int, budget: float) -> float:
    """Loading again through the parse cache a first load filled (what a pre-commit hook's next run does)."""
    from archlint.loaders.discover import discover
    from archlint.loaders.parsecache import ParseCache
    from archlint.loaders.pipeline import load

    with tempfile.TemporaryDirectory(prefix="archlint-bench-pack-") as directory:
        pack = Path(directory) / "p.pack"
        first = ParseCache.open_at(pack)
        load(discover([root], root), cache=first)
        first.save()
        return min(_timed(lambda: load(discover([root], root), cache=ParseCache.open_at(pack)), budget)[0]
                   for _ in range(max(1, repeat)))


def _finite(result: dict) -> dict:
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in result.items()}


def _parse_floor(root: Path) -> float:
    """Reading and parsing every YAML file with PyYAML's C loader, nothing else: what no YAML tool can beat."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    start = time.perf_counter()
    for directory, _, names in os.walk(root):
        for name in names:
            if name.endswith(YAML_SUFFIXES):
                try:
                    list(yaml.load_all((Path(directory) / name).read_bytes(), Loader=loader))
                except yaml.YAMLError:
                    pass
    return time.perf_counter() - start


def _ms(seconds) -> str:
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "timeout"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _startup_table(s: dict) -> str:
    return (f"start-up (best of >= 5): python -c pass {_ms(s['python_s'])}; `{s['command']}` {_ms(s['version_s'])};"
            f" python -c 'import archlint.cli' {_ms(s['import_cli_s'])}")


COLUMNS = ("kind", "size", "nodes", "files", "load", "load warm", "analysis", "json", "sarif", "failure modes",
           "peak MB", "e2e cold", "e2e warm", "e2e MB", "floor", "checkov")


def _e2e_cells(run: dict) -> list[str]:
    """Cold, warm and peak memory of the end-to-end runs; a run that failed (exit 2 or a signal) shows its exit
    code instead of a time that would look fast."""
    if "e2e_s" not in run:
        return ["-", "-", "-"]
    if run.get("e2e_exit") not in (0, 1):
        return [f"exit {run.get('e2e_exit')}"] * 3
    return [_ms(run["e2e_cold_s"]), _ms(run["e2e_s"]), f"{run['e2e_peak_mb']:.0f}"]


def _row(run: dict) -> str:
    size = f"{run.get('size', '')}"
    cells = [run["kind"], size, str(run.get("nodes", "")), str(run.get("files", "")), _ms(run["load_s"]),
             _ms(run["load_warm_s"]) if "load_warm_s" in run else "-", _ms(run["analysis_s"]), _ms(run["json_s"]), _ms(run["sarif_s"]),
             _ms(run["failure_modes_s"]) if "failure_modes_s" in run else "-", f"{run['peak_mb']:.0f}",
             *_e2e_cells(run),
             _ms(run["parse_floor_s"]) if "parse_floor_s" in run else "-",
             _ms(run["checkov_s"]) if run.get("checkov_s") else "-"]
    return " | ".join(cells)


def report(results: dict) -> str:
    """The whole run as Markdown tables: one row per system, then each rule alone and how it grows."""
    lines = ["", _startup_table(results["startup"]), "", "| " + " | ".join(COLUMNS) + " |",
             "|" + "---|" * len(COLUMNS)]
    runs = results["generated"] + results["corpus"]
    lines += ["| " + _row(run) + " |" for run in runs] + [""]
    for run in runs:
        name = f"{run['kind']} {run.get('size', '')}".strip()
        ran = run.get("e2e_s") and run.get("e2e_exit") in (0, 1)  # a failed run's time compares with nothing
        if run.get("parse_floor_s") and run.get("load_s"):
            floor = run["parse_floor_s"]
            e2e = (f", end to end {run['e2e_cold_s'] / floor:.2f}x cold and {run['e2e_s'] / floor:.2f}x warm"
                   if ran else "")
            lines.append(f"- {name}: against the bare YAML parse, load {run['load_s'] / floor:.2f}x{e2e}")
        checkov = run.get("checkov_s") or (CHECKOV_K8S_S if run["kind"] == "corpus k8s" else None)
        if checkov and ran:
            source = "" if run.get("checkov_s") else f" (checkov 3.3.30's {CHECKOV_K8S_S} s, the issue's figure)"
            lines.append(f"- {name}: checkov{source} takes {checkov / run['e2e_cold_s']:.1f}x archlint's cold "
                         f"end-to-end time and {checkov / run['e2e_s']:.1f}x its warm one")
    for kind in KINDS:
        series = [r for r in results["generated"] if r["kind"] == kind]
        assessed = [r for r in series if r.get("assess_s")]
        if len(assessed) > 1:
            lines += ["", f"Failure-mode assessment on `{kind}` (assess; assess and the JSON matrix with every fix "
                      "priced); growth over the last two sizes:", ""]
            lines += [f"- {r['size']} components: {r['matrix']['journeys']} journeys, {r['matrix']['disruptions']} "
                      f"disruptions, {r['matrix']['fails']} failing cells: {_ms(r['assess_s'])}; "
                      f"{_ms(r['failure_modes_s'])}" for r in assessed]
            lines.append(f"- growth: {_growth(assessed, [r['assess_s'] for r in assessed])} (assess), "
                         f"{_growth(assessed, [r['failure_modes_s'] for r in assessed])} (with the JSON)")
        if len(series) > 1:
            lines += ["", f"Each rule alone on `{kind}` (cold model indexes); growth = log(t2/t1) / log(n2/n1) "
                      "over the last two sizes:", "", _rules_table(series)]
    return "\n".join(lines)


def _rules_table(series: list[dict]) -> str:
    ids = sorted({rule for run in series for rule in run["rules"]})
    heads = ["rule"] + [str(run["size"]) for run in series] + ["growth"]
    rows = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for rule in ids:
        times = [run["rules"].get(rule, {}).get("s") for run in series]
        if max((t for t in times if t is not None), default=0) < 0.005 and None not in times:
            continue  # under 5 ms everywhere: not worth a row
        rows.append("| " + " | ".join([rule] + [_ms(t) for t in times] + [_growth(series, times)]) + " |")
    return "\n".join(rows)


def _growth(series: list[dict], times: list) -> str:
    (a, b), (ta, tb) = (series[-2].get("nodes"), series[-1].get("nodes")), (times[-2], times[-1])
    if not (a and b and ta and tb) or a == b or ta < 0.002:
        return "-"
    return f"{math.log(tb / ta) / math.log(b / a):.2f}"


if __name__ == "__main__":
    main()
