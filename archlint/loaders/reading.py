"""The first step of loading: which files are read, their bytes, and what each is parsed as.

Light to import on purpose (no loader, no model): a first run hands these files to the parse cache, which
parses them on two cores, while this process imports the loaders, the engine and the rules it needs next
(archlint.cli.wiring). The loading itself is archlint.loaders.pipeline."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from types import ModuleType

from archlint.finding import Finding
from archlint.loaders import helm, python_iac, safe_read, terraform, usage as usage_files
from archlint.loaders.discover import SourcePath
from archlint.loaders.yamlsource import parse_json, parse_yaml

#: Loaders that need a whole directory at once (a Terraform module is every .tf file of a directory). Each gets
#: every file whose name ends with one of its EXTENSIONS, as (name, bytes), in `load_files(files, builder,
#: problems, stats)`, and returns each file's (first line, last line) of its top-level blocks for suppressions.
#: A directory loader with `select(paths)` chooses which of its files are read at all (Python files only inside
#: a Pulumi project or CDK app): the others are opened only if the application-code step wants them.
DIRECTORY_LOADERS: tuple[ModuleType, ...] = (terraform, python_iac)

UNREADABLE = "IN001"
SKIPPED = "IN010"
STDIN_NAME = "<stdin>"
_SKIPPED_FIX = ("Replace the link by the file (or point it inside the repository), remove the special file, or "
                "exclude the path.")
#: CloudFormation's dynamic references (`{{resolve:ssm:name}}`) and the SSM documents a template embeds
#: (`{{ Message }}`) look like template markers: a file that says it is a template is still read.
CFN_MARKERS = (b"AWSTemplateFormatVersion", b"AWS::Serverless-2016-10-31")
PARSERS = {"y": parse_yaml, "j": parse_json}


@dataclass
class Read:
    """What the files are: those read (`chosen`), those a directory loader left for the application-code step
    (`deferred`), the Helm charts' directories, the files to parse as (name, bytes, mode: "y", "j" or None for
    skipped), the usage files and each directory loader's files, with the findings and counts of reading."""

    chosen: list[SourcePath]
    deferred: list[SourcePath]
    charts: list[str]
    parsed: list[tuple[str, bytes, str | None]] = field(default_factory=list)
    measured: list[tuple[str, bytes]] = field(default_factory=list)
    whole: dict[ModuleType, list[tuple[str, bytes]]] = field(default_factory=lambda: defaultdict(list))
    problems: list[Finding] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def jobs(self) -> list:
        """The (mode, bytes, name, parser) of every file to parse: what the parse cache parses ahead."""
        return [(mode, data, name, PARSERS[mode]) for name, data, mode in self.parsed if mode is not None]


def read(paths: list[SourcePath], stdin: bytes | None = None) -> Read:
    """Every file of `paths` (and standard input, when given) read and sorted by what reads it."""
    stats: dict[str, int] = defaultdict(int)
    chosen, deferred = _selected(paths, stats)
    chosen, charts = _without_charts(chosen, stats)
    done = Read(chosen, deferred, charts, stats=stats)
    inputs: list[tuple[str, bytes | None]] = [(STDIN_NAME, stdin)] if stdin is not None else []
    for source in chosen:
        inputs.append((source.name, read_file(source, done.problems)))
    for name, data in inputs:
        if data is None:
            continue
        stats["files"] += 1
        if usage_files.is_usage_file(name):
            done.measured.append((name, data))
            continue
        directory_loader = next((d for d in DIRECTORY_LOADERS if name.endswith(d.EXTENSIONS)), None)
        if directory_loader is not None:
            done.whole[directory_loader].append((name, data))
            continue
        done.parsed.append((name, data, _mode(name, data, stats)))
    return done


def _selected(paths: list[SourcePath], stats: dict[str, int]) -> tuple[list[SourcePath], list[SourcePath]]:
    """The paths minus the files a directory loader with `select` did not choose, and those files (not read)."""
    dropped: set[str] = set()
    for loader in DIRECTORY_LOADERS:
        mine = {p.name for p in paths if p.name.endswith(loader.EXTENSIONS)} if hasattr(loader, "select") else ()
        if mine:
            left_out = mine - {p.name for p in loader.select(paths)}
            if left_out:
                stats[f"skipped.{loader.FORMAT}"] += len(left_out)
                dropped |= left_out
    if not dropped:
        return paths, []
    return [p for p in paths if p.name not in dropped], [p for p in paths if p.name in dropped]


def _without_charts(paths: list[SourcePath], stats: dict[str, int]) -> tuple[list[SourcePath], list[str]]:
    """The paths minus the files of Helm charts (never read as manifests), and the charts' directories."""
    charts = helm.chart_directories([p.name for p in paths])
    if not charts:
        return paths, []
    kept = [p for p in paths if not any(helm.inside(p.name, chart) for chart in charts)]
    stats["skipped.helm-files"] += len(paths) - len(kept)
    return kept, charts


def read_file(source: SourcePath, problems: list[Finding]) -> bytes | None:
    """The file's bytes, or None with a finding: IN010 for what is not safe to read (a link out of the tree, a
    named pipe, a device, a directory that could not be entered), IN001 for what could not be read."""
    if source.skip:
        problems.append(Finding(SKIPPED, source.skip, source.name, 1, fix=_SKIPPED_FIX))
        return None
    try:
        return safe_read.read(source.path, source.name)
    except safe_read.Refused as refused:
        if refused.skipped:
            problems.append(Finding(SKIPPED, refused.message, source.name, 1, fix=_SKIPPED_FIX))
        else:
            problems.append(Finding(UNREADABLE, refused.message, source.name, 1,
                                    fix="Exclude it, or split it into smaller files."))
        return None
    except OSError as error:
        problems.append(Finding(UNREADABLE, f"cannot read file: {error.strerror or error}", source.name, 1,
                                fix="Check the file's permissions, or exclude it."))
        return None


def _mode(name: str, data: bytes, stats: dict[str, int]) -> str | None:
    """How to parse a file: "j" (JSON, or a CloudFormation `.template` in JSON), "y" (YAML), None (skipped)."""
    is_json = name.endswith(".json")
    # `.template` is CloudFormation's other extension, and many other tools' too: read it only when it says so.
    is_cfn_template = name.endswith(".template")
    if is_cfn_template and not any(marker in data for marker in CFN_MARKERS):
        stats["skipped.other-templates"] += 1
        return None
    return "j" if is_json or is_cfn_template and data.lstrip()[:1] == b"{" else "y"
