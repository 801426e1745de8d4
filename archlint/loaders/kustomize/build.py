"""Renders one kustomization as `kustomize build` does, in the same order of steps: resources (files, directories,
nested kustomizations), components, generators, then the transformers (strategic merge patches, patches,
namespace, name prefix and suffix, labels, annotations, JSON patches, replicas, images), and at the very end the
generated names' hashes and the name references that follow every rename.

Past 400 lines on purpose: `_Build` is kustomize's build pass, one method per kustomization field in the order
kustomize applies them, sharing the accumulated resources and problems; the steps themselves live in the sibling
modules (merge, jsonpatch, transform, replace, generate, names)."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from archlint.loaders.kustomize import generate, jsonpatch, merge, names, replace, transform
from archlint.loaders.kustomize.origin import Sourced, adopt, copy, through
from archlint.loaders.kustomize.rendering import NOT_READ, NOT_RENDERED, Rendering, Tree, kustomization_file
from archlint.loaders.kustomize.resources import Problem, Resource
from archlint.loaders.kustomize.select import group_version, selector
from archlint.loaders.yamlsource import Document, ParseError, parse_yaml
from archlint.model import Span

API_GROUP = "kustomize.config.k8s.io/"
_REMOTE = re.compile(r"^([a-z][a-z0-9+.-]*://|git@|(github\.com|gitlab\.com|bitbucket\.org)/)|\?ref=|\.git($|/)", re.I)
#: Fields whose effect archlint does not reproduce: reported, never silently ignored.
_UNSUPPORTED = {
    "vars": "vars (deprecated; use replacements)", "transformers": "transformer plugins",
    "generators": "generator plugins", "validators": "validator plugins", "helmCharts": "Helm charts",
    "helmChartInflationGenerator": "Helm charts", "configurations": "custom transformer configurations",
    "crds": "CRD schemas", "openapi": "OpenAPI schemas"}
_RENDER_FIX = "Fix the kustomization (`kubectl kustomize DIR` shows kustomize's own error), or exclude it."


def render(tree: Tree, file: str) -> Rendering:
    """Render the kustomization `file` (a kustomization.yaml) of `tree`."""
    rendering = Rendering(file)
    data = next((d.data for d in _documents(tree, file) if isinstance(d.data, dict)), {})
    rendering.component = data.get("kind") == "Component"
    resources = _Build(tree, rendering).target(file, [], (), component=rendering.component)
    names.add_hashes(resources)
    names.follow_renames(resources)
    rendering.resources = [r for r in resources
                           if _annotations(r.data).get("config.kubernetes.io/local-config") != "true"]
    return rendering


#: Bounds on what one kustomization may make archlint do (a repository may be hostile): how deep kustomizations
#: nest, and how many of them one rendering reads in all (a base included twice is read twice).
MAX_DEPTH, MAX_TARGETS = 40, 2000


class _Build:
    def __init__(self, tree: Tree, rendering: Rendering) -> None:
        self.tree, self.out = tree, rendering
        self.targets = 0

    # -- reading ---------------------------------------------------------------------------------------------
    def problem(self, message: str, span: Span, rule: str = NOT_RENDERED, fix: str = _RENDER_FIX,
                what: str = "", contextual: bool = False) -> None:
        self.out.problems.append(Problem(rule, message, span, fix, what, contextual))

    def load(self, file: str) -> Sourced | None:
        try:
            documents = self.tree.documents(file)
        except ParseError as error:
            self.problem(f"kustomization is not valid YAML: {error.message}", Span(file, error.line))
            return None
        data = next((d.data for d in documents if d.data is not None), None)
        if not isinstance(data, dict):
            self.problem("kustomization is not a mapping", Span(file, 1))
            return None
        return adopt(data, file)

    def entries(self, k: Sourced, key: str, file: str) -> list[tuple[Any, Span]]:
        """The items of list field `key`, each with the line it is written on."""
        value = k.get(key)
        if value is None:
            return []
        start = k.origin(key)
        if not isinstance(value, list):
            self.problem(f"`{key}` must be a list", start)
            return []
        lines = (self.tree.text(file) or "").splitlines()
        found, at = [], start.line
        for item in value:
            if isinstance(item, Sourced):
                found.append((item, item.span))
                at = item.span.line
                continue
            at = _find_line(lines, at, str(item))
            found.append((item, Span(file, at)))
        return found

    # -- the build -------------------------------------------------------------------------------------------
    def target(self, file: str, accumulated: list[Resource], stack: tuple[str, ...],
               component: bool = False) -> list[Resource]:
        directory = posixpath.dirname(file)
        self.targets += 1
        if len(stack) > MAX_DEPTH or self.targets > MAX_TARGETS:
            if self.targets == MAX_TARGETS + 1 or len(stack) > MAX_DEPTH:  # said once: the rest stops here
                limit = f"nested deeper than {MAX_DEPTH}" if len(stack) > MAX_DEPTH else f"more than {MAX_TARGETS} in all"
                self.problem(f"kustomizations {limit}: {file} and what it includes not read", Span(file, 1))
            return accumulated
        self.out.included.add(file)
        self.out.consumed.add(file)
        k = self.load(file)
        if k is None:
            return accumulated
        kind = str(k.get("kind") or "Kustomization")
        if component != (kind == "Component"):
            expected = "a Component" if component else "a Kustomization"
            self.problem(f"{file} is a {kind}, included as {expected}", k.origin("kind"))
        resources = accumulated if component else []
        for key in ("resources", "bases"):
            for entry, span in self.entries(k, key, file):
                self.resource(directory, str(entry), span, resources, stack + (file,))
        for entry, span in self.entries(k, "components", file):
            path = self.local(directory, str(entry), span, "component")
            if path is None:
                continue
            sub = kustomization_file(self.tree, path) if self.tree.is_dir(path) else None
            if sub is None:
                self.problem(f"component {entry} is not a directory with a kustomization", span)
                continue
            if sub in stack or sub == file:
                self.problem(f"component {entry} includes itself", span)
                continue
            before = len(resources)
            resources = self.target(sub, resources, stack + (file,), component=True)
            for resource in resources[before:]:
                through(resource.data, Span(span.file, span.line, note=f"component {entry}"))
        self.generators(k, file, resources)
        self.transformers(k, file, resources)
        for key, what in _UNSUPPORTED.items():
            if k.get(key):
                self.problem(f"kustomization uses {what}, which archlint does not apply: objects may differ from "
                             "`kustomize build`", k.origin(key), NOT_READ,
                             "Render it with `kubectl kustomize DIR | archlint check -` to judge exactly what is "
                             "deployed.", what=f"kustomize-{key}")
        return resources

    def local(self, directory: str, entry: str, span: Span, what: str) -> str | None:
        """The path an entry names, or None (reported) when it is remote or outside the scanned tree."""
        if _REMOTE.search(entry):
            self.problem(f"remote {what} {entry} not read: archlint never fetches", span, NOT_READ,
                         "Vendor it into the repository, or render with `kubectl kustomize DIR | archlint check -`.",
                         what="kustomize-remote")
            return None
        path = posixpath.normpath(posixpath.join(directory, entry))
        if path == ".." or path.startswith("../") or posixpath.isabs(entry):
            self.problem(f"{what} {entry} is outside the scanned tree: not read", span, NOT_READ,
                         "Run archlint from a directory that contains it (--root).", what="kustomize-outside")
            return None
        return path

    def resource(self, directory: str, entry: str, span: Span, resources: list[Resource],
                 stack: tuple[str, ...]) -> None:
        path = self.local(directory, entry, span, "resource")
        if path is None:
            return
        if self.tree.is_file(path):
            self.restricted(directory, path, entry, span)
            self.out.consumed.add(path)
            try:
                documents = self.tree.documents(path)
            except ParseError as error:
                self.problem(f"resource {entry} is not valid YAML: {error.message}", span.through(
                    Span(path, error.line, note="where the parser stopped")))
                return
            for document in documents:
                for data in _expand(document.data):
                    self.add(resources, Resource.of(adopt(data, path, 0, document.line)), span)
            return
        if self.tree.is_dir(path):
            sub = kustomization_file(self.tree, path)
            if sub is None:
                self.problem(f"resource {entry} is a directory without a kustomization", span)
                return
            if sub in stack:
                self.problem(f"resource {entry} includes the kustomization that includes it (a cycle)", span)
                return
            for resource in self.target(sub, [], stack):
                through(resource.data, Span(span.file, span.line, note=f"included by {self.out_label(span.file)}"))
                self.add(resources, resource, span)
            return
        self.problem(f"resource {entry} not found", span)

    def restricted(self, directory: str, path: str, entry: str, span: Span) -> None:
        """kustomize reads files only in or below the kustomization's directory (its load restrictor)."""
        inside = directory in ("", ".") or path.startswith(directory.rstrip("/") + "/")
        if not inside:
            self.problem(f"file {entry} is outside this kustomization's directory: `kustomize build` refuses it "
                         "(its load restrictor); archlint read it as `--load-restrictor LoadRestrictionsNone` does", span,
                         fix="Move the file under the kustomization's directory, or make it a base (a directory "
                         "with its own kustomization).")

    @staticmethod
    def out_label(file: str) -> str:
        return posixpath.dirname(file) or "."

    def add(self, resources: list[Resource], resource: Resource, span: Span) -> None:
        current = resource.ids[-1]  # the id as last refreshed: what kustomize keys its resource map by
        if any(r.ids[-1] == current for r in resources):
            self.problem(f"{resource.describe()} is defined twice (kustomize refuses this)", span)
            return
        resources.append(resource)

    # -- generators ------------------------------------------------------------------------------------------
    def generators(self, k: Sourced, file: str, resources: list[Resource]) -> None:
        directory = posixpath.dirname(file)
        options = k.get("generatorOptions") if isinstance(k.get("generatorOptions"), dict) else {}
        for key, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
            value = k.get(key)
            if isinstance(value, Sourced):  # a single mapping where a list belongs: kustomize accepts it
                value = [value]
            for entry in value if isinstance(value, list) else ():
                if not isinstance(entry, Sourced):
                    continue
                try:
                    data, hashed = generate.generate(kind, entry, options, directory, self.tree.text, self.out.consumed)
                except generate.GeneratorError as error:
                    self.problem(error.message, error.span)
                    continue
                self.generated(Resource.of(data), hashed, str(entry.get("behavior") or "create"), entry.span,
                               resources)

    def generated(self, new: Resource, hashed: bool, behavior: str, span: Span, resources: list[Resource]) -> None:
        new.hashed = hashed
        existing = next((r for r in resources if r.kind == new.kind and new.name in r.names
                         and (not new.namespace or r.namespace == new.namespace)), None)
        if behavior == "create" or existing is None:
            if behavior != "create":
                self.problem(f"{new.describe()} has behavior {behavior} but no base defines it", span, contextual=True)
            self.add(resources, new, span)
            return
        if behavior == "replace":
            for key in ("data", "binaryData"):
                existing.data.drop(key)
        for key in ("data", "binaryData"):
            if isinstance(new.data.get(key), Sourced):
                target = existing.data.get(key)
                if not isinstance(target, Sourced):
                    existing.data.put(key, new.data[key], new.data.origin(key))
                    continue
                for item, value in new.data[key].items():
                    target.put(item, value, new.data[key].origin(item))
        for key in ("labels", "annotations"):
            values = new.data["metadata"].get(key)
            if isinstance(values, Sourced):
                pairs = [(name, value, values.origin(name)) for name, value in values.items()]
                transform.add_fields(existing, pairs, (), key)
        existing.hashed = existing.hashed or hashed

    # -- transformers ----------------------------------------------------------------------------------------
    def transformers(self, k: Sourced, file: str, resources: list[Resource]) -> None:
        for entry, span in self.entries(k, "patchesStrategicMerge", file):
            for patch, at in self.patch_documents(entry, span, file):
                self.strategic(patch, at, None, resources, span)
        for entry, span in self.entries(k, "patches", file):
            if not isinstance(entry, Sourced):
                self.problem("a patch must be a mapping with path or patch", span)
                continue
            target = None
            if entry.get("target") is not None:
                try:
                    target = selector(entry["target"])
                except ValueError as error:
                    self.problem(str(error), entry.origin("target"))
                    continue
            content = entry.get("path") if entry.get("path") is not None else entry.get("patch")
            key = "path" if entry.get("path") is not None else "patch"
            documents = self.patch_documents(content, entry.origin(key), file, inline=key == "patch")
            if documents and isinstance(documents[0][0], list):
                self.json_patch(documents[0][0], documents[0][1], target, resources, span)
            else:
                for patch, at in documents:
                    self.strategic(patch, at, target, resources, span)
        namespace = k.get("namespace")
        if isinstance(namespace, str) and namespace:
            for resource in resources:
                transform.set_namespace(resource, namespace, k.origin("namespace"))
                resource.refresh()
        prefix, suffix = str(k.get("namePrefix") or ""), str(k.get("nameSuffix") or "")
        if prefix or suffix:
            at = k.origin("namePrefix" if prefix else "nameSuffix")
            for resource in resources:
                transform.rename(resource, prefix, suffix, at)
                resource.affixes.append((prefix, suffix))
                resource.refresh()
        labels = k.get("commonLabels")
        if isinstance(labels, Sourced):
            pairs = [(str(n), str(v), labels.origin(n)) for n, v in labels.items()]
            for resource in resources:
                transform.add_fields(resource, pairs, transform.SELECTOR_FIELDS, "labels")
        for entry, _ in self.entries(k, "labels", file):
            pairs_map = entry.get("pairs") if isinstance(entry, Sourced) else None
            if not isinstance(pairs_map, Sourced):
                continue
            pairs = [(str(n), str(v), pairs_map.origin(n)) for n, v in pairs_map.items()]
            fields = (transform.SELECTOR_FIELDS if entry.get("includeSelectors")
                      else transform.TEMPLATE_FIELDS if entry.get("includeTemplates") else ())
            for resource in resources:
                transform.add_fields(resource, pairs, fields, "labels")
        annotations = k.get("commonAnnotations")
        if isinstance(annotations, Sourced):
            pairs = [(str(n), str(v), annotations.origin(n)) for n, v in annotations.items()]
            for resource in resources:
                transform.add_fields(resource, pairs, transform.ANNOTATION_FIELDS, "annotations")
        for entry, span in self.entries(k, "patchesJson6902", file):
            if not isinstance(entry, Sourced) or entry.get("target") is None:
                self.problem("a patchesJson6902 entry needs a target", span)
                continue
            try:
                target = selector(entry["target"])
            except ValueError as error:
                self.problem(str(error), entry.origin("target"))
                continue
            key = "path" if entry.get("path") is not None else "patch"
            documents = self.patch_documents(entry.get(key), entry.origin(key), file, inline=key == "patch")
            if documents:
                self.json_patch(documents[0][0], documents[0][1], target, resources, span)
        for entry, span in self.entries(k, "replicas", file):
            if isinstance(entry, Sourced) and "count" in entry:
                matched = [r for r in resources if str(entry.get("name")) in r.names]
                if not matched:
                    self.problem(f"replicas: no resource named {entry.get('name')}", span, contextual=True)
                for resource in matched:
                    transform.set_replicas(resource, entry["count"], entry.origin("count"))
        for entry, span in self.entries(k, "images", file):
            if isinstance(entry, Sourced):
                at = next((entry.origin(key) for key in ("newTag", "digest", "newName", "tagSuffix") if key in entry),
                          span)
                for resource in resources:
                    transform.set_image(resource, entry, at)
        for entry, span in self.entries(k, "replacements", file):
            if isinstance(entry, Sourced) and isinstance(entry.get("path"), str):
                documents = self.patch_documents(entry["path"], entry.origin("path"), file, inline=False)
                entries = [(d, at) for d, at in documents if isinstance(d, Sourced)]
            else:
                entries = [(entry, span)] if isinstance(entry, Sourced) else []
            for replacement, at in entries:
                try:
                    replace.apply(replacement, resources, at)
                except (replace.ReplacementError, ValueError) as error:
                    self.problem(getattr(error, "message", str(error)), getattr(error, "span", at), contextual=True)
                for resource in resources:
                    resource.refresh()

    def patch_documents(self, content: Any, span: Span, file: str, inline: bool | None = None) -> list[tuple[Any, Span]]:
        """The documents of a patch given as a file path or inline, each Sourced in the file it is written in."""
        if not isinstance(content, str) or not content.strip():
            self.problem("a patch needs a path or an inline patch", span)
            return []
        if inline is None:
            inline = "\n" in content.strip() or content.lstrip().startswith(("{", "["))
        if inline:
            lines = (self.tree.text(span.file) or "").splitlines()
            offset = _offset(lines, span.line, content)
            try:
                documents = parse_yaml(content.encode(), span.file)
            except ParseError as error:
                self.problem(f"inline patch is not valid YAML: {error.message}", Span(span.file, error.line + offset))
                return []
            return [(adopt(d.data, span.file, offset, d.line + offset), Span(span.file, d.line + offset))
                    for d in documents if d.data is not None]
        path = self.local(posixpath.dirname(file), content.strip(), span, "patch")
        if path is None:
            return []
        if not self.tree.is_file(path):
            self.problem(f"patch file {content} not found", span)
            return []
        self.restricted(posixpath.dirname(file), path, content.strip(), span)
        self.out.consumed.add(path)
        try:
            documents = self.tree.documents(path)
        except ParseError as error:
            self.problem(f"patch {content} is not valid YAML: {error.message}", Span(path, error.line))
            return []
        return [(adopt(d.data, path, 0, d.line), Span(path, d.line)) for d in documents if d.data is not None]

    def strategic(self, patch: Any, at: Span, target: Any, resources: list[Resource], entry: Span) -> None:
        if not isinstance(patch, Sourced):
            self.problem("a strategic merge patch must be a mapping", at)
            return
        through(patch, Span(entry.file, entry.line, note="patch applied by this kustomization"))
        if target is not None:
            matched = [r for r in resources if target.matches(r)]
        else:
            meta = patch.get("metadata") if isinstance(patch.get("metadata"), dict) else {}
            group, version = group_version(patch.get("apiVersion"))
            wanted = (group, version, str(patch.get("kind", "")), str(meta.get("namespace") or ""),
                      str(meta.get("name", "")))
            matched = [r for r in resources if r.has_id(*wanted)]
            if not matched:
                self.problem(f"patch targets {wanted[2]} {wanted[4]}, which no resource is", at, contextual=True)
                return
        for resource in matched:
            if patch.get("$patch") == "delete":
                resources.remove(resource)
                continue
            # a targeted patch applies whatever its own name says
            body = _without_identity(patch) if target is not None else patch
            result = merge.merge(resource.data, body, resource.builtin)
            if result is merge.DELETE:
                resources.remove(resource)
            else:
                resource.data = result
                resource.refresh()

    def json_patch(self, operations: Any, at: Span, target: Any, resources: list[Resource], entry: Span) -> None:
        if target is None:
            self.problem("a JSON patch needs a target", at)
            return
        if not isinstance(operations, list):
            self.problem("a JSON patch must be a list of operations", at)
            return
        for operation in operations:
            through(operation, Span(entry.file, entry.line, note="patch applied by this kustomization"))
        for resource in [r for r in resources if target.matches(r)]:
            try:
                jsonpatch.apply(resource.data, operations, at)
            except merge.PatchError as error:
                self.problem(f"{error.message} in {resource.describe()}", error.span, contextual=True)
                continue
            resource.refresh()


def _documents(tree: Tree, file: str) -> list[Document]:
    try:
        return tree.documents(file)
    except ParseError:
        return []


def _without_identity(patch: Sourced) -> Sourced:
    """A targeted strategic merge patch applies to objects of any name: its metadata.name is not merged."""
    meta = patch.get("metadata")
    if not isinstance(meta, Sourced) or "name" not in meta:
        return patch
    result = copy(patch)
    result["metadata"].drop("name")
    return result


def _expand(data: Any) -> list[dict]:
    if not isinstance(data, dict):
        return []
    kind = data.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), list):
        return [item for item in data["items"] if isinstance(item, dict)]
    return [data]


def _annotations(data: dict) -> dict:
    meta = data.get("metadata")
    values = meta.get("annotations") if isinstance(meta, dict) else None
    return values if isinstance(values, dict) else {}


def _find_line(lines: list[str], start: int, value: str) -> int:
    """The line (1-based, from `start`) on which list item `value` is written; `start` when not found."""
    for index in range(max(start - 1, 0), len(lines)):
        text = lines[index].strip()
        if text.startswith("-"):
            text = text[1:].strip()
            if text.strip("'\"") == value or text.split(" #")[0].strip().strip("'\"") == value:
                return index + 1
    return start


def _offset(lines: list[str], start: int, content: str) -> int:
    """How many lines the text of an inline string starts after line 0 of its file (its line 1 is file line
    offset + 1): found by looking for its first non-blank line at or after `start`."""
    body = content.splitlines()
    first = next((i for i, line in enumerate(body) if line.strip()), 0)
    wanted = body[first].strip() if body else ""
    for index in range(max(start - 1, 0), len(lines)):
        text = lines[index].strip()
        if text == wanted or (index == start - 1 and text.endswith(wanted) and wanted):
            return index - first
    return start
