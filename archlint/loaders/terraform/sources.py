"""Where a module call's code lives: a local directory (also outside the scan, read only), a module `terraform
init` installed (`.terraform/modules/modules.json`), or nowhere archlint can read, which is said (IN006)."""

from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from archlint.loaders.terraform.syntax import Block, attribute_value, line, text

#: `[HOST/]NAMESPACE/NAME/PROVIDER[//SUBDIR]`: the module registry's address format.
REGISTRY = re.compile(r"^(?:(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)/)?(?P<namespace>[A-Za-z0-9][\w-]*)/"
                       r"(?P<name>[A-Za-z0-9][\w-]*)/(?P<provider>[a-z0-9]+)(?://(?P<subdir>.+))?$")
_PUBLICREGISTRY = "registry.terraform.io"
#: Prefixes of go-getter sources Terraform accepts, with how a message names them.
_REMOTE_KINDS = (("git::", "a git repository"), ("git@", "a git repository"), ("github.com/", "a GitHub repository"),
                 ("bitbucket.org/", "a Bitbucket repository"), ("hg::", "a Mercurial repository"),
                 ("s3::", "an S3 bucket"), ("gcs::", "a Cloud Storage bucket"), ("https://", "a URL"),
                 ("http://", "a URL"))
#: modules.json larger than this is not read (Terraform writes a few kilobytes).
MAX_MANIFEST_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Source:
    """A module call's `source` and `version` as written, and what kind of place it names.

    `kind` is "local" (`./`, `../`), "registry", "remote" (git, URLs, buckets) or "invalid" (not a literal string,
    which Terraform rejects); `target` is the directory of a local source relative to the scan root."""

    kind: str
    text: str
    line: int
    version: str | None = None
    target: str | None = None
    what: str = ""

    def describe(self) -> str:
        version = f' version "{self.version}"' if self.version else ""
        return f'{self.what or "source"} "{self.text}"{version}' if self.kind != "invalid" else "a computed source"


def classify(call: Block, directory: str) -> Source:
    """The source of a `module` block in the module at `directory` (a name relative to the scan root)."""
    args = call.args
    node = args.get("source")
    where = line(node) if node is not None else call.line
    version = _literal(args.get("version"))
    raw = _literal(node)
    if raw is None:
        return Source("invalid", text(attribute_value(node)).strip() if node is not None and attribute_value(node)
                      is not None else "", where, version)
    if raw.startswith(("./", "../")) or raw in (".", ".."):
        target = posixpath.normpath(posixpath.join(directory, raw)) if directory else posixpath.normpath(raw)
        return Source("local", raw, where, version, "" if target == "." else target, "local module")
    if REGISTRY.match(raw) and "::" not in raw:
        return Source("registry", raw, where, version, what="registry module")
    what = next((label for prefix, label in _REMOTE_KINDS if raw.startswith(prefix)), "remote module")
    return Source("remote", raw, where, version, what=what if what == "remote module" else f"module from {what}")


def _literal(node: Any) -> str | None:
    """The value of an attribute written as a plain string literal (no interpolation), else None."""
    expression = attribute_value(node) if node is not None else None
    raw = text(expression).strip() if expression is not None else ""
    if len(raw) < 2 or not (raw.startswith('"') and raw.endswith('"')) or "${" in raw or "%{" in raw:
        return None
    return raw[1:-1]


def same_source(installed: str, written: str) -> bool:
    """Whether modules.json's `Source` is the call's source: Terraform records registry addresses with their host
    and git sources in their normalised `git::https://...` form."""
    return _normalised(installed) == _normalised(written)


def _normalised(source: str) -> str:
    value = source.strip()
    if value.startswith(_PUBLICREGISTRY + "/"):
        value = value[len(_PUBLICREGISTRY) + 1:]
    for prefix in ("git::", "https://", "http://", "ssh://", "git@"):
        if value.startswith(prefix):
            value = value[len(prefix):]
    value = value.replace(":", "/", 1) if re.match(r"^[\w.-]+:[^/]", value) else value  # git@host:owner/repo
    path, _, query = value.partition("?")
    path, _, subdir = path.partition("//")
    path = path[:-4] if path.endswith(".git") else path
    return "//".join(filter(None, (path.rstrip("/"), subdir))) + (f"?{query}" if query else "")


@dataclass(frozen=True, slots=True)
class Installed:
    """One entry of `.terraform/modules/modules.json`: where `terraform init` put a module call's code."""

    source: str
    version: str | None
    directory: str


class Manifest:
    """The modules `terraform init` installed for a root module: `Key` (call names joined by dots) -> entry.

    `problem` says why the manifest could not be used (absent, unreadable, not the expected JSON)."""

    def __init__(self, entries: dict[str, Installed], problem: str = "") -> None:
        self.entries = entries
        self.problem = problem

    @classmethod
    def read(cls, root_disk: str | None, root_name: str) -> "Manifest":
        shown = posixpath.join(root_name, ".terraform/modules/modules.json") if root_name else \
            ".terraform/modules/modules.json"
        if root_disk is None:
            return cls({}, "its configuration was read from standard input")
        path = os.path.join(root_disk, ".terraform", "modules", "modules.json")
        try:
            if os.path.getsize(path) > MAX_MANIFEST_BYTES:
                return cls({}, f"{shown} is larger than {MAX_MANIFEST_BYTES // 2**20} MiB")
            with open(path, "rb") as handle:
                data = json.loads(handle.read().decode("utf-8"))
        except FileNotFoundError:
            return cls({}, f"there is no {shown} (terraform init has not run there)")
        except (OSError, ValueError) as error:
            return cls({}, f"{shown} cannot be read ({type(error).__name__})")
        modules = data.get("Modules") if isinstance(data, dict) else None
        if not isinstance(modules, list):
            return cls({}, f"{shown} has no \"Modules\" list")
        entries = {}
        for entry in modules:
            if not isinstance(entry, dict) or not isinstance(entry.get("Key"), str) or not isinstance(entry.get("Dir"), str):
                continue
            version = entry.get("Version")
            entries[entry["Key"]] = Installed(str(entry.get("Source", "")), version if isinstance(version, str) else None,
                                              entry["Dir"])
        return cls(entries, "")


def installed_directory(root_disk: str, entry: Installed) -> str | None:
    """The directory on disk of an installed module, or None when modules.json points outside `.terraform/modules`
    of its root (Terraform never does: a hand-made or hostile manifest is not followed)."""
    relative = posixpath.normpath(entry.directory.replace("\\", "/"))
    if posixpath.isabs(relative) or not (relative == ".terraform/modules" or relative.startswith(".terraform/modules/")):
        return None
    base = os.path.realpath(os.path.join(root_disk, ".terraform", "modules"))
    target = os.path.realpath(os.path.join(root_disk, *relative.split("/")))
    if target != base and not target.startswith(base + os.sep):
        return None
    return target if os.path.isdir(target) else None


def git_top(directory: str, cache: dict[str, str | None]) -> str | None:
    """The work tree of the git repository holding `directory` (a real path), or None outside any repository."""
    if directory in cache:
        return cache[directory]
    current, seen = directory, []
    found = None
    while True:
        if current in cache:
            found = cache[current]
            break
        seen.append(current)
        if os.path.exists(os.path.join(current, ".git")):
            found = current
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    for place in seen:
        cache[place] = found
    return found


def inside(path: str, top: str) -> bool:
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)
