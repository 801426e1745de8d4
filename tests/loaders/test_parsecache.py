"""The parse cache gives back exactly what the parsers give (values, types, lines, errors), for any input, and
never a stale or damaged answer."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archlint.loaders import parsecache
from archlint.loaders.parsecache import ParseCache
from archlint.loaders.yamlsource import LineDict, ParseError, Tagged, parse_json, parse_yaml
from tests.conftest import run_cli
from tests.hardening.test_bad_input import BOMB
from tests.loaders.test_yaml_reader import same_values

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

MANIFEST = b"""\
base: &base {cpu: 500m, memory: 1Gi, replicas: 3}
api:
  <<: *base
  replicas: 5
  ports: [80, 443, {name: admin, port: 9000}]
  enabled: yes
  ratio: .inf
  nothing: ~
  blob: !!binary aGVsbG8=
  ref: !Ref Bucket
  sub: !GetAtt [Bucket, {Arn: x}]
  1: integer key
  quoted: "123"
  since: 2024-01-02
  at: 2001-12-14t21:59:43.10-05:00
  naive: 2001-12-14 21:59:43
list: &items [a, {b: c}]
again: *items
---
second: document
"""


def _documents_equal(ours, theirs) -> bool:
    return [(d.file, d.line, d.end_line) for d in ours] == [(d.file, d.line, d.end_line) for d in theirs] and all(
        same_values(a.data, b.data) for a, b in zip(ours, theirs))


def _round_trip(tmp_path: Path, data: bytes, mode: str = "y", name: str = "a.yaml"):
    """What a first run parses and a second run (a new process: the pack reopened) answers from the pack."""
    parser = parse_json if mode == "j" else parse_yaml
    first = ParseCache(tmp_path / "p.pack")
    try:
        parsed = first.parse(mode, data, name, parser)
    finally:
        first.save()
    again = ParseCache.open_at(tmp_path / "p.pack")
    return parsed, again.parse(mode, data, name, parser), again


def test_documents_come_back_with_every_value_type_and_line(tmp_path):
    parsed, cached, cache = _round_trip(tmp_path, MANIFEST)
    assert cache.hits == 1
    assert _documents_equal(cached, parsed)
    api = cached[0].data["api"]
    assert api.line_of("replicas") == 4 and api["blob"] == b"hello" and api[1] == "integer key"
    assert api["sub"] == Tagged("!GetAtt", ["Bucket", {"Arn": "x"}]) and isinstance(api["sub"].value[1], LineDict)
    assert api["since"] == datetime.date(2024, 1, 2) and api["at"].utcoffset() == datetime.timedelta(hours=-5)
    assert cached[0].data["again"] is cached[0].data["list"]  # an alias stays one shared value


def test_a_moved_file_is_answered_under_its_new_name(tmp_path):
    _round_trip(tmp_path, MANIFEST)
    again = ParseCache.open_at(tmp_path / "p.pack")
    moved = again.parse("y", MANIFEST, "elsewhere/b.yaml", parse_yaml)
    assert again.hits == 1 and {d.file for d in moved} == {"elsewhere/b.yaml"}


def test_an_invalid_file_is_cached_with_its_error(tmp_path):
    broken = b"kind: ConfigMap\nmetadata: {name: x\n  broken: [\n"
    with pytest.raises(ParseError) as direct:
        parse_yaml(broken, "b.yaml")
    cache = ParseCache(tmp_path / "p.pack")
    with pytest.raises(ParseError):
        cache.parse("y", broken, "b.yaml", parse_yaml)
    cache.save()
    again = ParseCache.open_at(tmp_path / "p.pack")
    with pytest.raises(ParseError) as cached:
        again.parse("y", broken, "b.yaml", parse_yaml)
    assert again.hits == 1
    assert (cached.value.message, cached.value.line, cached.value.column) == (
        direct.value.message, direct.value.line, direct.value.column)


def test_values_marshal_cannot_hold_are_parsed_every_time(tmp_path):
    dated = b"names: !!set {a, b}\n"
    parsed, cached, cache = _round_trip(tmp_path, dated)
    assert cache.hits == 0 and _documents_equal(cached, parsed)


def test_yaml_and_json_readings_of_the_same_bytes_are_kept_apart(tmp_path):
    data = b'{"a": 1, "b": [1, 2]}'
    cache = ParseCache(tmp_path / "p.pack")
    as_yaml = cache.parse("y", data, "a.yaml", parse_yaml)
    as_json = cache.parse("j", data, "a.json", parse_json)
    assert cache.hits == 0 and _documents_equal(as_json, parse_json(data, "a.json"))
    assert as_yaml[0].data == as_json[0].data


#: Aliases that a real file uses (each shared part written once), under the alias-bomb limit.
SHARED = ("a: &a {image: x, ports: [1, 2, 3]}\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(6)) +
    "i: [*g, *g]\n")


def test_shared_values_stay_shared_and_small_in_the_pack(tmp_path):
    parsed, cached, cache = _round_trip(tmp_path, SHARED.encode())
    assert cache.hits == 1 and (tmp_path / "p.pack").stat().st_size < 10_000
    assert cached[0].data["i"][0] is cached[0].data["i"][1]


def test_an_alias_bomb_is_refused_and_the_refusal_cached(tmp_path):
    first = ParseCache(tmp_path / "p.pack")
    with pytest.raises(ParseError, match="YAML bomb"):
        first.parse("y", BOMB.encode(), "a.yaml", parse_yaml)
    first.save()
    again = ParseCache.open_at(tmp_path / "p.pack")
    with pytest.raises(ParseError, match="YAML bomb"):
        again.parse("y", BOMB.encode(), "a.yaml", parse_yaml)
    assert again.hits == 1


@pytest.mark.parametrize("damage", ["truncate", "flip", "foreign", "salt"])
def test_a_damaged_or_foreign_pack_is_ignored(tmp_path, damage, monkeypatch):
    _round_trip(tmp_path, MANIFEST)
    pack = tmp_path / "p.pack"
    raw = pack.read_bytes()
    if damage == "truncate":
        pack.write_bytes(raw[: len(raw) // 2])
    elif damage == "flip":
        pack.write_bytes(raw[:-5] + bytes([raw[-5] ^ 0xFF]) + raw[-4:])
    elif damage == "foreign":
        pack.write_bytes(b"not a pack at all")
    else:
        monkeypatch.setattr(parsecache, "FORMAT", parsecache.FORMAT + 1)
    again = ParseCache.open_at(pack)
    documents = again.parse("y", MANIFEST, "a.yaml", parse_yaml)
    assert again.hits == 0 and _documents_equal(documents, parse_yaml(MANIFEST, "a.yaml"))


def test_unused_entries_are_dropped_after_some_runs(tmp_path):
    pack = tmp_path / "p.pack"
    cache = ParseCache(pack)
    cache.parse("y", b"old: 1\n", "old.yaml", parse_yaml)
    cache.save()
    for run in range(parsecache.KEEP_RUNS):
        cache = ParseCache.open_at(pack)
        cache.parse("y", f"new: {run}\n".encode(), "new.yaml", parse_yaml)
        cache.save()
        kept = ParseCache.open_at(pack)
        kept.parse("y", b"old: 1\n", "old.yaml", parse_yaml)
        assert kept.hits == (1 if run < parsecache.KEEP_RUNS - 1 else 0)


def test_a_saved_cache_lets_its_entries_go_and_writes_once(tmp_path):
    # The pipeline saves as soon as every file is parsed, so that the model is built in the memory the pack held.
    pack = tmp_path / "p.pack"
    cache = ParseCache(pack)
    cache.parse("y", MANIFEST, "a.yaml", parse_yaml)
    cache.save()
    written = pack.read_bytes()
    assert cache.path is None and not cache._used and not cache._old
    later = cache.parse("y", b"later: 1\n", "later.yaml", parse_yaml)  # still parses, keeps nothing
    cache.save()
    assert later[0].data == {"later": 1} and pack.read_bytes() == written
    again = ParseCache.open_at(pack)
    again.parse("y", MANIFEST, "a.yaml", parse_yaml)
    assert again.hits == 1


def test_a_run_that_parses_nothing_new_does_not_write(tmp_path):
    _round_trip(tmp_path, MANIFEST)
    pack = tmp_path / "p.pack"
    before = pack.stat().st_mtime_ns
    again = ParseCache.open_at(pack)
    again.parse("y", MANIFEST, "a.yaml", parse_yaml)
    os.utime(pack, ns=(before - 10**9, before - 10**9))
    again.save()
    assert pack.stat().st_mtime_ns == before - 10**9


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                     st.dates(), st.datetimes(), st.binary(max_size=8))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4)),
    max_leaves=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_VALUES, flow=st.booleans())
def test_any_document_round_trips_through_the_pack(tmp_path, value, flow):
    data = yaml.safe_dump_all([value, {"k": value}], default_flow_style=flow, allow_unicode=True).encode()
    pack = tmp_path / "p.pack"
    pack.unlink(missing_ok=True)
    parsed, cached, cache = _round_trip(tmp_path, data)
    assert cache.hits == 1 and _documents_equal(cached, parsed)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside this checkout")
def test_every_corpus_file_comes_back_as_parsed(tmp_path):
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
    first, outcomes = ParseCache(tmp_path / "p.pack"), []
    for path in files:
        mode, parser = ("j", parse_json) if path.suffix == ".json" else ("y", parse_yaml)
        try:
            outcomes.append(first.parse(mode, path.read_bytes(), path.name, parser))
        except ParseError as error:
            outcomes.append((error.message, error.line, error.column))
    first.save()
    again = ParseCache.open_at(tmp_path / "p.pack")
    for path, outcome in zip(files, outcomes):
        mode, parser = ("j", parse_json) if path.suffix == ".json" else ("y", parse_yaml)
        try:
            cached = again.parse(mode, path.read_bytes(), path.name, parser)
        except ParseError as error:
            assert (error.message, error.line, error.column) == outcome, path
            continue
        assert _documents_equal(cached, outcome), path
    assert again.hits >= 0.99 * len(files)


def test_the_cli_answers_the_same_from_the_cache_and_sees_edits(tmp_path):
    tree = tmp_path / "repo"
    tree.mkdir()
    (tree / "app.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  replicas: 1\n"
        "  selector: {matchLabels: {app: app}}\n  template:\n    metadata: {labels: {app: app}}\n"
        "    spec:\n      containers: [{name: app, image: 'acme/app:1'}]\n")
    env = {"ARCHLINT_CACHE_DIR": str(tmp_path / "cache")}
    first = run_cli("check", ".", "--format", "json", cwd=tree, env=env)
    packs = list((tmp_path / "cache" / "parse").glob("*.pack"))
    second = run_cli("check", ".", "--format", "json", cwd=tree, env=env)
    assert len(packs) == 1 and first.stdout == second.stdout and first.returncode == second.returncode
    (tree / "app.yaml").write_text((tree / "app.yaml").read_text().replace("replicas: 1", "replicas: 3"))
    edited = run_cli("check", ".", "--format", "json", cwd=tree, env=env)
    uncached = run_cli("check", ".", "--format", "json", cwd=tree, env={**env, "ARCHLINT_NO_CACHE": "1"})
    assert edited.stdout == uncached.stdout != first.stdout
    assert {f["rule"] for f in json.loads(first.stdout)["findings"]} != {
        f["rule"] for f in json.loads(edited.stdout)["findings"]}


@pytest.mark.parametrize("how", ["environment", "option"])
def test_no_cache_writes_nothing(tmp_path, how):
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    env = {"ARCHLINT_CACHE_DIR": str(tmp_path / "cache"), **({"ARCHLINT_NO_CACHE": "1"} if how == "environment" else {})}
    done = run_cli("check", "a.yaml", *(["--no-cache"] if how == "option" else []), cwd=tmp_path, env=env)
    assert done.returncode == 0 and not (tmp_path / "cache").exists()


_FILES = [("a.yaml", MANIFEST), ("copy/a.yaml", MANIFEST), ("b.yaml", b"names: !!set {a, b}\n"),
          ("broken.yaml", b"a: [\n"), *((f"n{i}.yaml", f"n: {i}\nlist: [{i}, {{x: {i}}}]\n".encode()) for i in range(40))]


def _outcomes(cache: ParseCache) -> list:
    found = []
    for name, data in _FILES:
        try:
            found.append(cache.parse("y", data, name, parse_yaml))
        except ParseError as error:
            found.append((error.message, error.line, error.column))
    return found


def _equal_outcomes(ours: list, theirs: list) -> bool:
    return len(ours) == len(theirs) and all(
        a == b if isinstance(a, tuple) else _documents_equal(a, b) for a, b in zip(ours, theirs))


@pytest.mark.skipif(not parsecache._can_fork(), reason="parsing in two processes needs Linux and two cores")
@pytest.mark.parametrize("stored", [True, False])
def test_parsing_in_two_processes_gives_what_one_gives(tmp_path, monkeypatch, stored):
    monkeypatch.setattr(parsecache, "PARALLEL_BYTES", 0)
    sequential = _outcomes(ParseCache(None))
    from tests.twocores import child_first

    pause = child_first(tmp_path)

    def both(data, name):  # each process waits in its first file until the other has begun: both take some
        pause()
        (tmp_path / f"parsed-in-{os.getpid()}").touch()
        return parse_yaml(data, name)

    cache = ParseCache(tmp_path / "p.pack" if stored else None)
    cache.fill([("y", data, name, both) for name, data in _FILES])
    assert len(list(tmp_path.glob("parsed-in-*"))) == 2  # both processes parsed
    assert _equal_outcomes(_outcomes(cache), sequential)
    if stored:
        cache.save()
        assert _equal_outcomes(_outcomes(ParseCache.open_at(tmp_path / "p.pack")), sequential)


@pytest.mark.skipif(not parsecache._can_fork(), reason="parsing in two processes needs Linux and two cores")
def test_a_child_that_fails_delivers_nothing_and_its_files_are_parsed_here(tmp_path, monkeypatch):
    monkeypatch.setattr(parsecache, "PARALLEL_BYTES", 0)
    parent = os.getpid()

    def fails_in_the_child(data, name):
        if os.getpid() != parent:
            raise RuntimeError("the child dies")
        return parse_yaml(data, name)

    cache = ParseCache(tmp_path / "p.pack")
    cache.fill([("y", data, name, fails_in_the_child) for name, data in _FILES])
    assert len(cache._fresh) == len({parsecache._key("y", data) for _, data in _FILES})  # every file parsed here
    assert _equal_outcomes(_outcomes(cache), _outcomes(ParseCache(None)))


@pytest.mark.parametrize("stored", [True, False])
def test_loading_leaves_nothing_for_the_collector(tmp_path, stored):
    """The collector is off while loading (cli/wiring.py): an invalid file's error kept as an exception would
    hold, through its traceback's frames, every document of the load until the end of the run."""
    import gc

    from archlint.loaders.discover import discover
    from archlint.loaders.pipeline import load

    tree = tmp_path / "tree"
    tree.mkdir()
    for name, data in _FILES:
        (tree / name.replace("/", "-")).write_bytes(data)
    paths = discover([tree], tree)

    def once():
        cache = ParseCache(tmp_path / "p.pack" if stored else None)
        load(paths, cache=cache)
        cache.save()

    once()  # the first run imports what loading needs, and fills the pack
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        once()
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()


_SECRET = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {token: hunter2-token}\n"


@pytest.mark.parametrize("text", [
    _SECRET,
    "a: 1\n---\n" + _SECRET + "---\nb: &x [1, {c: 2}]\nd: *x\n",
    "# comment\n\n--- # the secret\n" + _SECRET + "...\n--- {kind: ConfigMap, data: {k: v}}\n",
    "--- {apiVersion: v1, kind: Secret, data: {token: aHVudGVyMi10b2tlbg==}}\n--- x\n",
    "kind: List\nitems:\n- kind: Secret\n  data:\n    token: |\n      hunter2-token\n\n\n",
    _SECRET.replace("\n", "\r\n") + "---\r\nb: 1\r\n",
    _SECRET.replace("\n", "\r") + "---\rb: 1\r",
    _SECRET.replace("kind: Secret", 'kind: "Secr\\x65t"'),  # spelled with an escape: the text never says Secret
    "\ufeff" + _SECRET,  # written in UTF-16 (below): the bytes never say Secret
])
def test_a_secret_s_values_are_parsed_again_never_stored(tmp_path, text):
    data = text.encode("utf-16-le") if text.startswith("\ufeff") else text.encode()
    parsed, cached, _ = _round_trip(tmp_path, data)
    assert _documents_equal(cached, parsed) and _documents_equal(parsed, parse_yaml(data, "a.yaml"))
    stored = (tmp_path / "p.pack").read_bytes() if (tmp_path / "p.pack").exists() else b""
    assert b"hunter2-token" not in stored and b"aHVudGVyMi10b2tlbg==" not in stored


def test_a_run_answered_from_the_cache_never_imports_pyyaml(tmp_path):
    from tests.conftest import imported_by_two_runs

    project = tmp_path / "repo"
    project.mkdir()
    (project / "web.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
                                      "  replicas: 1\n  template:\n    spec:\n      containers: [{name: c, image: nginx}]\n")
    assert imported_by_two_runs(project, tmp_path / "cache", "yaml") == [True, False]
