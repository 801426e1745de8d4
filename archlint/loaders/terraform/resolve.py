"""Finds the module each `module` call names, wherever it lives, and says (IN006) which calls it could not read."""

from __future__ import annotations

import os
import posixpath
import re
from typing import TYPE_CHECKING

from archlint.finding import Finding
from archlint.loaders.disk import Disk
from archlint.loaders.terraform import syntax
from archlint.loaders.layout import TerraformSettings
from archlint.loaders.terraform.sources import (REGISTRY, Manifest, Source, classify, git_top, inside, installed_directory,
                                                same_source)

if TYPE_CHECKING:
    from archlint.loaders.terraform.modules import Instance, Module

UNREADABLE = "IN001"
NOT_READ = "IN006"


def parse(name: str, data: bytes, problems: list[Finding]) -> syntax.HclFile | None:
    """Parse one file; a file that cannot be parsed is an IN001 finding (a syntax error keeps the rest of the file)."""
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


def is_override(base: str) -> bool:
    """Override files patch blocks of the other files of their module: not modelled."""
    return base == "override.tf" or base.endswith("_override.tf")


class Context:
    """What every module instance of one run shares: the modules by directory name (the scanned ones, and those
    read from disk because a call names them), the manifests of the root modules, the counts and the findings."""

    def __init__(self, modules: dict[str, "Module"], disk: Disk | None, stats: dict[str, int],
                 problems: list[Finding], settings: TerraformSettings | None = None) -> None:
        self.modules = modules
        self.disk = disk
        self.stats = stats
        self.problems = problems
        self.settings = settings or TerraformSettings()
        self._manifests: dict[str, Manifest] = {}
        self._reported: set[tuple[str, int]] = set()
        self._tops: dict[str, str | None] = {}
        self._missing: set[str] = set()
        self._sources: dict[int, Source] = {}

    # ---- resolving a call ----------------------------------------------------------------------------------------

    def source(self, block: syntax.Block, directory: str) -> Source:
        """A call's source, classified once per call block (the blocks live as long as the context)."""
        found = self._sources.get(id(block))
        if found is None:
            found = self._sources[id(block)] = classify(block, directory)
        return found

    def resolve(self, caller: "Instance", call: str, block: syntax.Block) -> "Module | None":
        """The module a call of `caller` names, or None after saying why it was not read."""
        source = self.source(block, caller.module.directory)
        if source.kind == "invalid":
            return self._unread(block, call, source, "its source is not a literal string, which Terraform requires",
                                "Write `source` as a literal string (Terraform does not evaluate it).")
        if source.kind == "local":
            module = self._local(caller.module, source)
            if module is None:
                return self._unread(block, call, source, self._why_missing(caller.module, source),
                                    "Correct the source, or check a directory that holds both the caller and the "
                                    "module it calls.")
        else:
            module = self._installed(caller, call, block, source)
            if module is None:
                return None
        if module.directory in caller.chain:
            self.stats["skipped.terraform-module-cycles"] += 1
            return self._unread(block, call, source, "it calls a module that calls it (a cycle Terraform rejects)",
                                "Remove the cycle of module calls.")
        return module

    def _local(self, caller: "Module", source: Source) -> "Module | None":
        target = source.target or ""
        if target in self.modules:
            return self.modules[target]
        if caller.disk is None or target in self._missing:
            return None
        path = os.path.normpath(os.path.join(caller.disk, source.text))
        real = os.path.realpath(path)
        top = git_top(os.path.realpath(caller.disk), self._tops)
        if not os.path.isdir(real) or (top is not None and not inside(real, top)):
            self._missing.add(target)
            return None
        return self._read_directory(target, path)

    def _why_missing(self, caller: "Module", source: Source) -> str:
        target = source.target or "."
        if caller.disk is None:
            return f"the directory {target} is not among the files given"
        real = os.path.realpath(os.path.join(caller.disk, source.text))
        top = git_top(os.path.realpath(caller.disk), self._tops)
        if os.path.isdir(real) and top is not None and not inside(real, top):
            return f"{target} is outside the git repository the caller is in, and archlint reads nothing outside it"
        return f"the directory {target} does not exist"

    def _installed(self, caller: "Instance", call: str, block: syntax.Block, source: Source) -> "Module | None":
        """A registry or remote module, from the directory `terraform init` installed it in, else from this
        repository when the source names it (see `here`)."""
        root = caller.root
        key = ".".join((*caller.path, call))
        manifest = self.manifest(root)
        entry = manifest.entries.get(key)
        if entry is None or not same_source(entry.source, source.text):
            local = self.here(caller.module, source)
            if local is not None:
                name, path = local
                self.stats["terraform.modules-from-this-repository"] += 1
                return self.modules.get(name) or self._read_directory(name, path)
        where = posixpath.join(root.directory, ".terraform/modules/modules.json") if root.directory else \
            ".terraform/modules/modules.json"
        init = f"Run `terraform init` in {root.directory or '.'}, then check again: archlint reads the module from " \
               ".terraform/modules, through this call."
        if manifest.problem:
            return self._unread(block, call, source, f"its code is on disk only once `terraform init` has installed "
                                f"it, and {manifest.problem}", init)
        entry = manifest.entries.get(key)
        if entry is None:
            return self._unread(block, call, source, f"{where} has no entry for module.{key} (the call was added "
                                "after terraform init ran)", init)
        if not same_source(entry.source, source.text):
            return self._unread(block, call, source, f"{where} has it from {entry.source!r} (the source changed "
                                "after terraform init ran)", init)
        path = installed_directory(root.disk, entry) if root.disk else None
        if path is None:
            return self._unread(block, call, source, f"the directory {where} names for it ({entry.directory!r}) is "
                                "missing or outside .terraform/modules", init)
        name = posixpath.normpath(posixpath.join(root.directory, entry.directory))
        module = self.modules.get(name) or self._read_directory(name, path)
        self.stats["terraform.installed-modules"] += 1
        return module

    def here(self, caller: "Module", source: Source) -> tuple[str, str] | None:
        """(name, directory on disk) of a registry or git source that names a directory of this repository: one
        `terraform.module_sources` maps it to, or, for a registry address `NAMESPACE/NAME/PROVIDER[//SUBDIR]`,
        a directory above the caller named `terraform-PROVIDER-NAME` as the registry requires of the module's
        repository (the module's own examples and tests call it so, and module-swapper reads them the same way)."""
        if self.disk is None or caller.disk is None:
            return None
        base, _, subdir = source.text.partition("//")
        base = base.split("?", 1)[0].removeprefix("registry.terraform.io/")
        directory = self.settings.module_sources.get(base)
        if directory is None and source.kind == "registry":
            directory = self._repository(caller.disk, source.text)
        if directory is None:
            return None
        path = os.path.normpath(os.path.join(directory, *subdir.split("?", 1)[0].split("/"))) if subdir else directory
        if not os.path.isdir(path):
            return None
        name = self.disk.name_of(path)
        return (name, path) if name is not None else None

    def _repository(self, start: str, address: str) -> str | None:
        match = REGISTRY.match(address)
        if match is None or match.group("host") not in (None, "registry.terraform.io"):
            return None
        wanted = re.compile(r"(?:^|.*[^A-Za-z0-9])terraform-%s-%s$" % (re.escape(match.group("provider")),
                                                                     re.escape(match.group("name"))))
        current = os.path.realpath(start)
        top = git_top(current, self._tops)
        while True:
            if wanted.match(os.path.basename(current)):
                return current
            parent = os.path.dirname(current)
            if parent == current or (top is not None and current == top):
                return None
            current = parent

    def target(self, caller: "Module", call: syntax.Block) -> str | None:
        """The directory name a call reads, as far as the files decide it before expansion (a local source, or a
        source of this repository), for telling called modules from root modules."""
        source = self.source(call, caller.directory)
        if source.kind == "local":
            return source.target or ""
        if source.kind in ("registry", "remote"):
            found = self.here(caller, source)
            return found[0] if found else None
        return None

    def manifest(self, root: "Module") -> Manifest:
        if root.directory not in self._manifests:
            self._manifests[root.directory] = Manifest.read(root.disk, root.directory)
        return self._manifests[root.directory]

    def _read_directory(self, name: str, path: str) -> "Module":
        """A module directory outside the scanned files, read (never scanned on its own) for the calls naming it."""
        from archlint.loaders.terraform.modules import Module

        module = Module(name, path)
        assert self.disk is not None
        for filename in self.disk.listing(path, (".tf",)):
            if is_override(filename):
                self.stats["skipped.terraform-overrides"] += 1
                continue
            file = posixpath.join(name, filename) if name else filename
            data = self.disk.read(file, os.path.join(path, filename))
            parsed = parse(file, data, self.problems) if data is not None else None
            if parsed is not None:
                module.add(parsed)
                self.stats["terraform.files-outside-scan"] += 1
        self.modules[name] = module
        return module

    # ---- saying what was not read --------------------------------------------------------------------------------

    def _unread(self, block: syntax.Block, call: str, source: Source, why: str, fix: str) -> None:
        """One IN006 finding per call (at its `source` line), however many instances of the caller there are."""
        where = (block.file, source.line)
        if where in self._reported:
            return None
        self._reported.add(where)
        self.stats["unread.terraform-modules"] += 1
        self.problems.append(Finding(NOT_READ, f'module "{call}" ({source.describe()}) was not read: {why}; '
                                     "the resources it creates are not checked", block.file, source.line,
                                     key=f"module:{call}", fix=fix))
        return None
