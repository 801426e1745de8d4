"""configMapGenerator and secretGenerator: literals, env files and files, generatorOptions, and kustomize's
content hash in the generated name (so that references resolve to the names kustomize really gives)."""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
from typing import Any, Callable

from archlint.loaders.kustomize.origin import Sourced, plain, sourced
from archlint.model import Span


class GeneratorError(ValueError):
    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.message, self.span = message, span


def generate(kind: str, entry: Sourced, options: dict, directory: str,
             read: Callable[[str], str | None], consumed: set[str]) -> tuple[Sourced, bool]:
    """The ConfigMap or Secret an entry generates, and whether its name gets the content hash.

    `options` are the kustomization's generatorOptions, which the entry's own `options` override."""
    span = entry.span
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise GeneratorError(f"a {kind} generator needs a name", span)
    merged_options = dict(options)
    own = entry.get("options") if isinstance(entry.get("options"), dict) else {}
    for key in ("labels", "annotations"):
        merged_options[key] = {**(options.get(key) or {}), **(own.get(key) or {})}
    for key in ("disableNameSuffixHash", "immutable"):
        if key in own:
            merged_options[key] = own[key]
    data = sourced(span)
    pairs: list[tuple[str, str, Span]] = []
    for index, literal in enumerate(_list(entry.get("literals"))):
        key, _, value = str(literal).partition("=")
        pairs.append((key.strip(), _unquote(value), _item_span(entry, "literals")))
    env_files = _list(entry.get("envs")) + ([entry["env"]] if isinstance(entry.get("env"), str) else [])
    for env_file in env_files:
        path = posixpath.normpath(posixpath.join(directory, str(env_file)))
        text = read(path)
        if text is None:
            raise GeneratorError(f"env file {env_file} not found", _item_span(entry, "envs" if "envs" in entry else "env"))
        consumed.add(path)
        for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
            line = line.lstrip()
            if not line or line.startswith("#"):
                continue
            key, equals, value = line.partition("=")
            # a bare key takes its value from the environment of the kustomize run: unknown here
            pairs.append((key, value if equals else "", Span(path, number)))
    binary: list[tuple[str, str, Span]] = []
    for source in _list(entry.get("files")):
        key, equals, file_name = str(source).partition("=")
        if not equals:
            key, file_name = posixpath.basename(key), key
        path = posixpath.normpath(posixpath.join(directory, file_name))
        text = read(path)
        if text is None:
            raise GeneratorError(f"file {file_name} not found", _item_span(entry, "files"))
        consumed.add(path)
        pairs.append((key, text, Span(path, 1)))
    meta = sourced(span)
    meta.put("name", name, entry.origin("name"))
    if isinstance(entry.get("namespace"), str):
        meta.put("namespace", entry["namespace"], entry.origin("namespace"))
    for key in ("labels", "annotations"):
        if merged_options.get(key):
            values = sourced(span)
            for label, value in merged_options[key].items():
                values.put(str(label), str(value), span)
            meta.put(key, values, span)
    obj = sourced(span)
    obj.put("apiVersion", "v1", span)
    obj.put("kind", kind, span)
    obj.put("metadata", meta, span)
    for key, value, at in sorted(pairs, key=lambda p: p[0]):
        data.put(key, value if kind == "ConfigMap" else base64.b64encode(value.encode()).decode(), at)
    del binary
    if pairs:
        obj.put("data", data, span)
    if kind == "Secret":
        obj.put("type", str(entry.get("type") or "Opaque"), entry.origin("type"))
    if merged_options.get("immutable"):
        obj.put("immutable", True, span)
    return obj, not merged_options.get("disableNameSuffixHash")


def content_hash(data: Any) -> str:
    """kustomize's name suffix for a generated ConfigMap or Secret: the first ten hex digits of the SHA-256 of its
    JSON encoding (kind, data; type for a Secret), with the characters that could spell words replaced.

    The encoding has a `name` too, always empty: kustomize looks it up as `metadata/name`, which its lookup takes
    for one field name that no object has. The hash is kustomize's exactly, quirk included."""
    data = plain(data)
    kind = data.get("kind")
    if kind == "Secret":
        encoded: dict[str, Any] = {"kind": "Secret", "type": data.get("type", ""), "name": "",
                                   "data": data.get("data", "")}
        if isinstance(data.get("stringData"), dict):
            encoded["stringData"] = data["stringData"]
    else:
        encoded = {"kind": "ConfigMap", "name": "", "data": data.get("data", "")}
        if isinstance(data.get("binaryData"), dict):
            encoded["binaryData"] = data["binaryData"]
    text = json.dumps(encoded, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # Go's encoding/json escapes these, and the hash is of Go's bytes
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    return digest.translate(str.maketrans("013ae", "ghkmt"))


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _item_span(entry: Sourced, key: str) -> Span:
    return entry.origin(key)
