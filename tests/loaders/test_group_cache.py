"""Kubernetes groups kept between runs (archlint.loaders.sharedload, archlint.loaders.layering): a group whose
documents are made of what they were made of is taken from the cache, and gives the model, findings and counts
that loading it gives; an edit anywhere a group reads from (a plain file, a kustomize base, the source of a copy)
loads it again; no entry ever holds a Secret's values."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from archlint import forked
from archlint.loaders import layering, sharedload
from archlint.loaders.sharedload import group_key
from archlint.model import ModelBuilder
from tests.conftest import run_cli
from tests.loaders.test_sharedload import _groups


class _Pack(dict):
    """The two calls the parse cache offers, over a dictionary."""

    def recall(self, key: bytes) -> bytes | None:
        return self.get(key)

    def keep(self, key: bytes, entry: bytes) -> None:
        self[key] = entry


def _load(groups, pack, keys, monkeypatch, shared=False):
    monkeypatch.setattr(forked, "available", (lambda: True) if shared else (lambda: False))
    builder, problems, stats, loaded = ModelBuilder(), [], defaultdict(int), []

    def load(documents, target, found, counts):
        loaded.append(documents[0].file)
        layering._load_documents(documents, target, found, counts)

    sharedload.load_groups(groups, load, builder, problems, stats, keys=keys, memo=pack)
    return builder, problems, dict(stats), loaded


def _keys(groups, origins):
    return [group_key(scope, origin) for (_, scope), origin in zip(groups, origins)]


def _same(one, other):
    assert one[0].components() == other[0].components()
    assert one[0]._dependencies == other[0]._dependencies and one[0]._ids == other[0]._ids
    assert one[1:3] == other[1:3]


@pytest.mark.parametrize("shared", [False, True], ids=["one core", "two cores"])
def test_kept_groups_give_the_model_loading_gives_and_are_not_loaded_again(monkeypatch, shared):
    if shared and not forked.available():
        pytest.skip("loading on two cores needs Linux and two cores")
    origins = [f"origin {n}".encode() for n in range(12)]
    plain = _load(_groups(12), None, None, monkeypatch)
    pack = _Pack()
    first = _load(_groups(12), pack, _keys(_groups(12), origins), monkeypatch, shared)
    assert len(pack) == 11  # group 7 holds a NUL: the encoding cannot carry it, so it is loaded on every run
    second = _load(_groups(12), pack, _keys(_groups(12), origins), monkeypatch, shared)
    _same(first, plain)
    _same(second, plain)
    assert set(second[3]) == {"v7/app.yaml"}  # only the group that cannot be kept
    assert [(p.rule, p.file) for p in second[1]] == [("IN015", "v5/app.yaml")]  # the kept finding, in its place


def test_a_group_of_another_origin_or_without_one_is_loaded_and_the_others_taken(monkeypatch):
    origins = [f"origin {n}".encode() for n in range(6)]
    pack = _Pack()
    _load(_groups(6), pack, _keys(_groups(6), origins), monkeypatch)
    origins[2], origins[4] = b"edited", None
    again = _load(_groups(6), pack, _keys(_groups(6), origins), monkeypatch)
    assert again[3] == ["v2/app.yaml", "v4/app.yaml"]
    _same(again, _load(_groups(6), None, None, monkeypatch))


def test_no_entry_holds_a_withheld_value_and_none_is_recalled_when_debugging(monkeypatch):
    groups = _groups(3)
    keys = [group_key(scope, b"o%d" % n, (b"web:1",) if n == 1 else ()) for n, (_, scope) in enumerate(groups)]
    pack = _Pack()
    _load(groups, pack, keys, monkeypatch)
    assert len(pack) == 2 and keys[1][0] not in pack  # the image is in the entry: it is not kept
    monkeypatch.setenv("ARCHLINT_DEBUG", "1")
    assert _load(_groups(3), pack, keys, monkeypatch)[3] == ["v0/app.yaml", "v1/app.yaml", "v2/app.yaml"]


DEPLOYMENT = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: NAME, labels: {app: NAME}}\nspec:\n"
              "  replicas: 1\n  selector: {matchLabels: {app: NAME}}\n  template:\n    metadata: {labels: {app: NAME}}\n"
              "    spec:\n      containers: [{name: c, image: \"NAME:1.0\"}]\n")
SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: NAME}\nspec: {selector: {app: NAME}, ports: [{port: 80}]}\n"
SECRET = "apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {password: hunter2-in-the-cache}\n"


def _project(root: Path) -> None:
    files = {
        "base/kustomization.yaml": "resources: [api.yaml]\n",
        "base/api.yaml": DEPLOYMENT.replace("NAME", "api") + "---\n" + SERVICE.replace("NAME", "api"),
        "prod/kustomization.yaml": "resources: [../base]\nnamePrefix: prod-\n",
        "plain/web.yaml": DEPLOYMENT.replace("NAME", "web") + "---\n" + SERVICE.replace("NAME", "web"),
        "plain/creds.yaml": SECRET,
        "docs/web.yaml": DEPLOYMENT.replace("NAME", "web"),
        "docs/all.yaml": DEPLOYMENT.replace("NAME", "web") + "---\n" + SERVICE.replace("NAME", "web"),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


@pytest.mark.parametrize("edit", ["plain/web.yaml", "base/api.yaml", "docs/web.yaml"])
def test_the_cli_reports_from_kept_groups_what_it_reports_without_the_cache(tmp_path, edit):
    project = tmp_path / "repo"
    _project(project)
    env = {"ARCHLINT_CACHE_DIR": str(tmp_path / "cache")}
    cold = run_cli("check", ".", "--format", "json", cwd=project, env=env)
    warm = run_cli("check", ".", "--format", "json", cwd=project, env=env)
    assert cold.returncode == warm.returncode == 1 and warm.stdout == cold.stdout
    assert all(b"hunter2-in-the-cache" not in path.read_bytes() for path in (tmp_path / "cache").rglob("*")
               if path.is_file())
    path = project / edit
    path.write_text(path.read_text().replace("replicas: 1", "replicas: 3"))
    edited = run_cli("check", ".", "--format", "json", cwd=project, env=env)
    fresh = run_cli("check", ".", "--format", "json", cwd=project, env={"ARCHLINT_NO_CACHE": "1"})
    assert edited.stdout == fresh.stdout != warm.stdout
    single = {(f["rule"], f["file"]) for f in json.loads(edited.stdout)["findings"] if f["rule"] == "FI001"}
    assert (("FI001", edit) in single) is False


def test_the_secret_values_looked_for_are_those_of_every_secret_a_document_holds():
    from archlint.loaders.parsecache import secret_values
    from archlint.loaders.yamlsource import parse_yaml

    text = ("apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Secret, stringData: {a: alpha}}\n"
            "  - apiVersion: template.openshift.io/v1\n    kind: Template\n    objects:\n"
            "      - {kind: Secret, data: {b: YmV0YQ==}}\n      - {kind: Secret, data: [odd]}\n"
            "  - {kind: ConfigMap, data: {c: gamma}}\n")
    (document,) = parse_yaml(text.encode(), "list.yaml")
    assert sorted(secret_values(document.data)) == [b"", b"YmV0YQ==", b"alpha"]  # b"": a shape never kept
