"""Terraform configurations: the modules of the files read, expanded from their root modules (with the arguments
of each call), their resources added to the model through the shared cloud resource mapping."""

from __future__ import annotations

import posixpath
from collections import defaultdict

from archlint.finding import Finding
from archlint.loaders.budget import Budget
from archlint.loaders.cloud import CloudResource, add_resources
from archlint.loaders.cloud.types import TYPES
from archlint.loaders.disk import Disk
from archlint.loaders.layout import Layout, TerraformSettings
from archlint.loaders.terraform import FORMAT, NOTHING_MODELLED, modules, resources, syntax
from archlint.loaders.terraform.resolve import Context, is_override, parse
from archlint.model import ModelBuilder


def load_files(files: list[tuple[str, bytes]], builder: ModelBuilder, problems: list[Finding],
               stats: dict[str, int], disk: Disk | None = None,
               layout: Layout | None = None) -> dict[str, tuple[tuple[int, int], ...]]:
    """Load every module found in `files` (relative name, content); return each file's top-level block lines.

    A directory is a module. Directories that another one calls (`source = "./modules/db"`) are expanded inside
    their callers, with the call's arguments as variables; the others are root modules, whose variables take
    `terraform.tfvars`, then `*.auto.tfvars` in name order, over their defaults. `disk` locates the files, so that a
    call can name a directory outside them (read only) or a module `terraform init` installed; `layout` holds the
    configuration's `terraform:` settings.
    """
    settings = layout.terraform if layout is not None else TerraformSettings()
    by_directory: dict[str, modules.Module] = {}
    blocks: dict[str, tuple[tuple[int, int], ...]] = {}
    for name, data in sorted(files):
        base = posixpath.basename(name)
        is_tfvars = name.endswith(".tfvars")
        if is_tfvars and base != "terraform.tfvars" and not base.endswith(".auto.tfvars"):
            stats["skipped.tfvars"] += 1  # other variable files are given with -var-file, archlint cannot know
            continue
        if is_override(base):
            stats["skipped.terraform-overrides"] += 1
            continue
        parsed = parse(name, data, problems)
        if parsed is None:
            continue
        directory = posixpath.dirname(name)
        module = by_directory.get(directory)
        if module is None:
            module = by_directory[directory] = modules.Module(directory, disk.directory(directory) if disk else None)
        if is_tfvars:
            module.tfvars.append(parsed)
        else:
            module.add(parsed)
            blocks[name] = tuple((b.line, b.end_line) for b in parsed.blocks)
    context = Context(by_directory, disk, stats, problems, settings)
    # Module instances: a thousand, and a hundred more per file (the largest generated system, 10,000 components in
    # 410 files, expands 10,000); 19 files each calling the next directory twice would otherwise make 262,144.
    with Budget(max_instances=1_000 + 100 * len(files)) as spent:
        roots, instances = _expand(context, settings.judge_called_modules_alone)
    problems.extend(spent.findings())
    # The resources' deferred spans evaluate in their module instances when a rule asks: the instances live as
    # long as the budget their evaluators keep, then they are unlinked and freed with the model.
    modules.release_with(spent, instances)
    # Each root module is a configuration of its own: addresses are unique only within it, so its resources are
    # mapped (and refer to each other) on their own, as a system of their own when there are several.
    separate = sum(1 for _, found in roots if found) > 1
    resources: list[CloudResource] = []
    modelled = 0
    for directory, found in roots:
        if separate and found:
            builder.scope(directory or ".", None)
        modelled += len(add_resources(found, builder))
        resources.extend(found)
    if separate:
        builder.scope(None, None)
    stats[f"documents.{FORMAT}"] += len(resources)
    if by_directory:
        _nothing_modelled(by_directory, resources, modelled, stats, problems)
    for module in context.modules.values():  # files read outside the scan: their suppression comments count too
        for parsed in module.files:
            blocks.setdefault(parsed.name, tuple((b.line, b.end_line) for b in parsed.blocks))
    return blocks


def _expand(context: Context, called_alone: bool) -> tuple[list[tuple[str, list[CloudResource]]],
                                                           list[modules.Instance]]:
    """Resources of every root module, with the modules they call expanded in place, and the root instances;
    with `called_alone`, the modules that others call are also judged on their own, with their own defaults."""
    by_directory = dict(context.modules)
    called: dict[str, int] = defaultdict(int)
    for module in by_directory.values():
        for call in module.calls.values():
            target = context.target(module, call)
            if target is not None and target != module.directory:
                called[target] += 1
    found: list[tuple[str, list[CloudResource]]] = []
    instances: list[modules.Instance] = []
    reached: set[str] = set()
    roots = [d for d in sorted(by_directory) if d not in called]
    # A directory only called from within a cycle of calls has no root above it: it is read as a root.
    for directory in roots + [d for d in sorted(by_directory) if d in called]:
        if directory in reached and not (called_alone and directory in called):
            continue
        module = by_directory[directory]
        inputs: dict[str, modules.Input] = {}
        for parsed in sorted(module.tfvars, key=_tfvars_order):
            for variable, node in parsed.attributes.items():
                inputs[variable] = modules.Input(None, node, parsed.name)
        root = modules.Instance(module, "", inputs, {}, (directory,), 1, context)
        found.append((directory, resources.expand(root, context.stats)))
        instances.append(root)
        reached |= root.reached()
    return found, instances


def _nothing_modelled(by_directory: dict[str, modules.Module], found: list[CloudResource], modelled: int,
                      stats: dict[str, int], problems: list[Finding]) -> None:
    """IN007 when Terraform files were read but the model got nothing (or less than the module calls left unread)."""
    unread = stats.get("unread.terraform-modules", 0)
    if modelled and unread <= modelled:
        return
    names = sorted(p.name for m in by_directory.values() for p in m.files) or \
        sorted(p.name for m in by_directory.values() for p in m.tfvars)
    first, files = names[0], len(names)
    reasons = []
    if unread:
        reasons.append(f"{unread} module call{'s' if unread != 1 else ''} not read (IN006)")
    other = sorted({r.type for r in found if r.type not in TYPES})
    if other:
        shown = ", ".join(other[:4]) + (f" and {len(other) - 4} more" if len(other) > 4 else "")
        count = len([r for r in found if r.type not in TYPES])
        reasons.append(f"{count} resource{'s' if count != 1 else ''} of types archlint does not model ({shown})")
    if stats.get("skipped.terraform-zero-count"):
        reasons.append(f"{stats['skipped.terraform-zero-count']} resource blocks with no instances (count or "
                       "for_each is 0)")
    if not found and not unread and not stats.get("skipped.terraform-zero-count"):
        reasons.append("no resource blocks")
    what = f"{modelled} resource{'s' if modelled != 1 else ''} modelled" if modelled else "nothing was modelled"
    problems.append(Finding(NOTHING_MODELLED, f"{files} Terraform file{'s' if files != 1 else ''} read, {what}: "
                            + "; ".join(reasons), first, 1, key="terraform",
                            fix="Run `terraform init` where the module calls are (IN006 names them) and check again; "
                                "`archlint graph` shows what was modelled."))


def _tfvars_order(parsed: syntax.HclFile) -> tuple[bool, str]:
    """terraform.tfvars first, then *.auto.tfvars in name order: each later file overrides the earlier ones."""
    return posixpath.basename(parsed.name) != "terraform.tfvars", parsed.name
