"""Terraform: reads the .tf and .tfvars files of each directory as one module and adds its resources to the model."""

from __future__ import annotations

import posixpath
from collections import defaultdict

from archlint.finding import Finding
from archlint.loaders.cloud import CloudResource, add_resources
from archlint.loaders.terraform import modules, resources, syntax
from archlint.model import ModelBuilder

FORMAT = "terraform"
#: File name endings this loader reads; the pipeline hands it every such file at once.
EXTENSIONS = (".tf", ".tfvars")
#: The pipeline's rule for files that cannot be read or parsed.
UNREADABLE = "IN001"


def load_files(files: list[tuple[str, bytes]], builder: ModelBuilder, problems: list[Finding],
               stats: dict[str, int]) -> dict[str, tuple[tuple[int, int], ...]]:
    """Load every module found in `files` (relative name, content); return each file's top-level block lines.

    A directory is a module. Directories that another one calls (`source = "./modules/db"`) are expanded inside
    their callers, with the call's arguments as variables; the others are root modules, whose variables take
    `terraform.tfvars`, then `*.auto.tfvars` in name order, over their defaults.
    """
    by_directory: dict[str, modules.Module] = {}
    blocks: dict[str, tuple[tuple[int, int], ...]] = {}
    for name, data in sorted(files):
        base = posixpath.basename(name)
        is_tfvars = name.endswith(".tfvars")
        if is_tfvars and base != "terraform.tfvars" and not base.endswith(".auto.tfvars"):
            stats["skipped.tfvars"] += 1  # other variable files are given with -var-file, archlint cannot know
            continue
        if base == "override.tf" or base.endswith("_override.tf"):
            stats["skipped.terraform-overrides"] += 1  # they patch blocks of other files: not modelled
            continue
        parsed = _parse(name, data, problems)
        if parsed is None:
            continue
        directory = posixpath.dirname(name)
        module = by_directory.setdefault(directory, modules.Module(directory))
        if is_tfvars:
            module.tfvars.append(parsed)
        else:
            module.add(parsed)
            blocks[name] = tuple((b.line, b.end_line) for b in parsed.blocks)
    resources = _expand(by_directory, stats)
    add_resources(resources, builder)
    stats[f"documents.{FORMAT}"] += len(resources)
    return blocks


def _parse(name: str, data: bytes, problems: list[Finding]) -> syntax.HclFile | None:
    try:
        parsed = syntax.parse(name, data)
    except syntax.Unreadable as error:
        problems.append(Finding(UNREADABLE, error.message, name, error.line,
                                fix="Exclude the file, or save it as UTF-8 text."))
        return None
    except ImportError:
        problems.append(Finding(UNREADABLE, "cannot parse HCL: tree-sitter-hcl is not installed", name, 1,
                                fix="pip install 'tree-sitter>=0.23' 'tree-sitter-hcl>=1.2,<2'"))
        return None
    if parsed.error:
        line, column, message = parsed.error
        problems.append(Finding(UNREADABLE, f"{message} (column {column})", name, line,
                                fix="Fix the syntax (`terraform validate` shows the same place), or exclude the file."))
    return parsed


def _expand(by_directory: dict[str, modules.Module], stats: dict[str, int]) -> list[CloudResource]:
    """Resources of every root module, with the local modules they call expanded in place."""
    called: dict[str, int] = defaultdict(int)
    for module in by_directory.values():
        for call in module.calls.values():
            kind, target = module.source(call)
            if kind == "local" and target != module.directory:
                called[target] += 1
    found: list[CloudResource] = []
    reached: set[str] = set()
    roots = [d for d in sorted(by_directory) if d not in called]
    # A directory only called from within a cycle of calls has no root above it: it is read as a root.
    for directory in roots + [d for d in sorted(by_directory) if d in called]:
        if directory in reached:
            continue
        module = by_directory[directory]
        inputs: dict[str, modules.Input] = {}
        for parsed in sorted(module.tfvars, key=_tfvars_order):
            for variable, node in parsed.attributes.items():
                inputs[variable] = (None, node, parsed.name)
        root = modules.Instance(module, "", inputs, {}, (directory,), 1, by_directory, stats)
        found.extend(resources.expand(root, stats))
        reached |= root.reached()
    return found


def _tfvars_order(parsed: syntax.HclFile) -> tuple[bool, str]:
    """terraform.tfvars first, then *.auto.tfvars in name order: each later file overrides the earlier ones."""
    return posixpath.basename(parsed.name) != "terraform.tfvars", parsed.name
