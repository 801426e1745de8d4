"""Renderings kept between runs (archlint.loaders.kustomize.memo): taken only while the tree answers every
question the rendering asked as it did then, and exactly what rendering again gives, every origin included."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from archlint.loaders.kustomize import FileTree, Sourced, render
from archlint import forked
from archlint.loaders.kustomize import memo
from archlint.loaders.kustomize.memo import Unfit, cached_render, cached_renders, decode, encode
from archlint.loaders.yamlsource import parse_yaml
from tests.conftest import run_cli
from tests.twocores import child_first

CORPUS = Path(os.environ.get("ARCHLINT_CORPUS") or Path(__file__).resolve().parents[2].parent / "shared" / "corpus")
BASE = {
    "base/kustomization.yaml": "resources: [deployment.yaml]\n",
    "base/deployment.yaml": ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n"
                             "  template:\n    spec:\n      containers:\n        - name: app\n          image: web:1\n"),
    "overlay/kustomization.yaml": "resources: [../base]\nnamePrefix: prod-\npatches:\n  - path: image.yaml\n",
    "overlay/image.yaml": ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n"
                           "    spec:\n      containers:\n        - name: app\n          image: web:latest\n"),
}


def _shape(value):
    """Everything a rendering holds, origins included, as plain comparable values."""
    if isinstance(value, Sourced):
        return ("m", value.span, dict(value.key_lines), {k: value.origin(k) for k in value},
                {k: _shape(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return value


def _whole(rendering):
    return ([_shape(r.data) for r in rendering.resources], sorted(rendering.consumed), rendering.component,
            [(p.rule, p.message, p.span, p.fix, p.what, p.contextual) for p in rendering.problems])


class _Pack(dict):
    """The two calls the parse cache offers, over a dictionary."""

    def recall(self, key: bytes) -> bytes | None:
        return self.get(key)

    def keep(self, key: bytes, entry: bytes) -> None:
        self[key] = entry


def _tree(root: Path) -> FileTree:
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.yaml")}
    return FileTree(files, parse_yaml, root)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside this checkout")
def test_every_corpus_rendering_comes_back_from_its_entry_exactly():
    files = {p.relative_to(CORPUS).as_posix(): p.read_bytes() for p in CORPUS.rglob("*")
             if p.is_file() and p.suffix in (".yaml", ".yml")}
    tree = FileTree(files, parse_yaml, CORPUS)
    names = sorted(n for n in files if n.rsplit("/", 1)[-1] in ("kustomization.yaml", "kustomization.yml"))
    kept = 0
    for name in names:
        rendering = render(tree, name)
        try:
            encoded = encode(rendering)
        except Unfit:  # a Secret's values: never kept, rendered on every run
            continue
        again = decode(marshal.loads(marshal.dumps(encoded)), name)
        assert _whole(again) == _whole(rendering), name
        kept += 1
    assert kept >= 50  # of the corpus's 51 kustomizations


def test_a_kept_rendering_is_used_while_nothing_it_read_changed(tmp_path):
    _write(tmp_path, BASE)
    pack = _Pack()
    first = cached_render(_tree(tmp_path), "overlay/kustomization.yaml", pack.recall, pack.keep)
    assert len(pack) == 1
    entry = next(iter(pack.values()))
    second = cached_render(_tree(tmp_path), "overlay/kustomization.yaml", pack.recall, pack.keep)
    assert next(iter(pack.values())) is entry  # taken, not rendered and kept again
    assert _whole(second) == _whole(first)
    patched = second.resources[0].data["spec"]["template"]["spec"]["containers"][0]
    assert (patched.origin("image").file, patched.origin("image").line) == ("overlay/image.yaml", 10)
    assert patched.origin("image").via == first.resources[0].data["spec"]["template"]["spec"]["containers"][0].origin(
        "image").via != ()


@pytest.mark.parametrize("change", ["edit the patch", "edit the base", "a file the base names appears",
                                    "a resource goes away"])
def test_a_rendering_is_made_again_when_anything_it_read_changed(tmp_path, change):
    _write(tmp_path, {**BASE, "base/kustomization.yaml": "resources: [deployment.yaml, extra]\n"})
    pack = _Pack()
    first = cached_render(_tree(tmp_path), "overlay/kustomization.yaml", pack.recall, pack.keep)
    if change == "edit the patch":
        (tmp_path / "overlay/image.yaml").write_text(BASE["overlay/image.yaml"].replace("web:latest", "web:2"))
    elif change == "edit the base":
        (tmp_path / "base/deployment.yaml").write_text(BASE["base/deployment.yaml"].replace("replicas: 1", "replicas: 2"))
    elif change == "a file the base names appears":
        _write(tmp_path, {"base/extra/kustomization.yaml": "resources: [account.yaml]\n", "base/extra/account.yaml":
                          "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n"})
    else:
        (tmp_path / "base/deployment.yaml").unlink()
    second = cached_render(_tree(tmp_path), "overlay/kustomization.yaml", pack.recall, pack.keep)
    assert _whole(second) == _whole(render(_tree(tmp_path), "overlay/kustomization.yaml"))
    assert _whole(second) != _whole(first)


def test_a_rendered_secret_with_values_is_never_kept(tmp_path):
    _write(tmp_path, {"kustomization.yaml": "secretGenerator:\n  - name: db\n    literals: [password=hunter2]\n"})
    pack = _Pack()
    rendering = cached_render(_tree(tmp_path), "kustomization.yaml", pack.recall, pack.keep)
    assert rendering.resources[0].data["kind"] == "Secret"
    assert pack == {}


def test_the_cli_reports_the_same_from_a_kept_rendering_and_says_what_a_change_does(tmp_path):
    project = tmp_path / "repo"
    _write(project, BASE)
    env = {"ARCHLINT_CACHE_DIR": str(tmp_path / "cache")}
    cold = run_cli("check", ".", "--format", "json", cwd=project, env=env)
    warm = run_cli("check", ".", "--format", "json", cwd=project, env=env)
    assert cold.returncode == warm.returncode == 0 and warm.stdout == cold.stdout
    assert b'"file": "overlay/image.yaml"' in warm.stdout  # FI037 at the patch's line, from the kept rendering
    (project / "overlay/image.yaml").write_text(BASE["overlay/image.yaml"].replace("web:latest", "web:2"))
    edited = run_cli("check", ".", "--format", "json", cwd=project, env=env)
    fresh = run_cli("check", ".", "--format", "json", cwd=project, env={"ARCHLINT_NO_CACHE": "1"})
    assert edited.stdout == fresh.stdout != warm.stdout and b'"file": "overlay/image.yaml"' not in edited.stdout


def test_a_run_whose_renderings_are_all_kept_never_imports_the_renderer(tmp_path):
    from tests.conftest import imported_by_two_runs

    project = tmp_path / "repo"
    (project / "base").mkdir(parents=True)
    (project / "base" / "web.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
                                               "  template:\n    spec:\n      containers: [{name: c, image: nginx}]\n")
    (project / "base" / "kustomization.yaml").write_text("resources: [web.yaml]\n")
    (project / "kustomization.yaml").write_text("resources: [base]\nreplicas: [{name: web, count: 3}]\n")
    assert imported_by_two_runs(project, tmp_path / "cache", "archlint.loaders.kustomize.build") == [True, False]


@pytest.mark.skipif(not forked.available(), reason="rendering on two cores needs Linux and two cores")
def test_renderings_made_on_two_cores_are_the_ones_made_here_and_kept_the_same(tmp_path, monkeypatch):
    files = dict(BASE)
    for n in range(6):  # enough kustomizations for the forked child to take some
        files[f"env{n}/kustomization.yaml"] = f"resources: [../base]\nnamePrefix: e{n}-\nreplicas:\n  - name: web\n    count: {n + 2}\n"
    files["creds/kustomization.yaml"] = "secretGenerator:\n  - name: creds\n    literals: [password=hunter2]\n"
    _write(tmp_path, files)
    names = sorted(n for n in files if n.endswith("kustomization.yaml") and not n.startswith("base/"))
    alone, together = _Pack(), _Pack()
    one = {name: cached_render(_tree(tmp_path), name, alone.recall, alone.keep) for name in names}
    here, pause = [], child_first(tmp_path)

    def slowly(tree, name, rendered=memo._rendered):
        pause()  # the parent waits for the child to begin (tests.twocores)
        here.append(os.getpid())
        return rendered(tree, name)

    monkeypatch.setattr(memo, "_rendered", slowly)
    both = cached_renders(_tree(tmp_path), names, together.recall, together.keep)
    assert 0 < here.count(os.getpid()) < len(names)  # the child rendered the others
    assert list(both) == names
    assert {name: _whole(r) for name, r in both.items()} == {name: _whole(r) for name, r in one.items()}
    assert {k: marshal.loads(v) for k, v in together.items()} == {k: marshal.loads(v) for k, v in alone.items()}
    assert len(together) == len(names) - 1  # the Secret's rendering is never kept, from either process
