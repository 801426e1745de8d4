"""The parse cache is the user's own: private, never written through a link, never trusted unless this user's
archlint wrote it, and never holding a Secret's values. Each through the real CLI."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from archlint import cachestore
from archlint.loaders import parsecache
from archlint.loaders.yamlsource import parse_yaml
from tests.conftest import run_cli
from tests.hardening.test_bad_input import GOOD

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX ownership, modes and links")

#: A marshal stream that makes `marshal.loads` crash the interpreter (CPython 3.11): a tuple whose one item is a
#: dict keyed by a reference to that same, still empty tuple, which is hashed with a NULL item.
CRASHER = b"\xa8\x01\x00\x00\x00{r\x00\x00\x00\x00N0"
#: The pack as archlint wrote it before packs were keyed: magic, an unkeyed digest anyone can compute, payload;
#: padded to the 74 bytes of the issue's crafted pack.
OLD_MAGIC = b"archlint-parse\x00\x01"
FORGED_OLD = OLD_MAGIC + hashlib.blake2b(CRASHER + b"N" * 29, digest_size=16).digest() + CRASHER + b"N" * 29


def _tree(tmp_path: Path) -> Path:
    tree = tmp_path / "repo"
    tree.mkdir()
    (tree / "app.yaml").write_text(GOOD)
    return tree


def _check(tree: Path, cache: Path, **env: str):
    done = run_cli("check", ".", "--format", "json", cwd=tree, env={"ARCHLINT_CACHE_DIR": str(cache), **env})
    assert done.returncode in (0, 1) and b"Traceback" not in done.stderr, done.stderr.decode()
    return done


def _uncached(tree: Path) -> bytes:
    return run_cli("check", ".", "--format", "json", cwd=tree, env={"ARCHLINT_NO_CACHE": "1"}).stdout


def _pack(cache: Path) -> Path:
    packs = list((cache / "parse").glob("*.pack"))
    assert len(packs) == 1, packs
    return packs[0]


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _valid(cache: Path, pack: Path) -> bool:
    """Whether `pack` carries the digest the user's key gives it (it is a pack archlint wrote)."""
    raw, key = pack.read_bytes(), (cache / "key").read_bytes()
    mac = hmac.new(key, pack.name.encode() + b"\0", "sha256")
    mac.update(raw[32:])
    return hmac.compare_digest(raw[:32], mac.digest())


def test_the_cache_is_created_private_to_the_user(tmp_path):
    tree, cache = _tree(tmp_path), tmp_path / "cache"
    _check(tree, cache)
    assert _mode(cache) == _mode(cache / "parse") == 0o700
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"key", _pack(cache).name}
    assert all(_mode(p) == 0o600 for p in files) and not any(p.name.endswith(".tmp") for p in files)
    assert _valid(cache, _pack(cache))


def test_a_cache_of_ours_that_others_can_read_is_made_private(tmp_path):
    tree, cache = _tree(tmp_path), tmp_path / "cache"
    cache.mkdir(mode=0o755)
    os.chmod(cache, 0o755)
    done = _check(tree, cache)
    assert _mode(cache) == 0o700 and done.stderr == b"" and _pack(cache)


@pytest.mark.parametrize("where", ["cache", "parse"])
def test_a_cache_directory_writable_by_others_is_not_used(tmp_path, where):
    tree, cache = _tree(tmp_path), tmp_path / "cache"
    _check(tree, cache)
    shared = cache if where == "cache" else cache / "parse"
    os.chmod(shared, 0o777)
    pack = _pack(cache)
    pack.unlink()
    done = _check(tree, cache)
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and str(shared) in lines[0] and "writable by group and others" in lines[0]
    assert "chmod 700" in lines[0] and not pack.exists()  # nothing read from it, nothing written into it
    assert done.stdout == _uncached(tree)


def test_a_cache_directory_owned_by_someone_else_is_not_used(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("making a directory someone else's needs root (the in-process test below covers it)")
    tree, cache = _tree(tmp_path), tmp_path / "cache"
    _check(tree, cache)
    pack = _pack(cache)
    pack.unlink()
    os.chown(cache, 65534, 65534)
    done = _check(tree, cache)
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and "belongs to user id 65534, not to you" in lines[0] and str(cache) in lines[0]
    assert not pack.exists() and done.stdout == _uncached(tree)


def test_a_cache_directory_owned_by_someone_else_is_not_used_in_process(tmp_path, monkeypatch, capsys):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setattr(cachestore, "_opened", {})
    monkeypatch.setattr(cachestore, "_warned", [])
    monkeypatch.setattr(cachestore.os, "geteuid", lambda: os.getuid() + 1)  # as seen by another user
    monkeypatch.setenv("ARCHLINT_CACHE_DIR", str(cache))
    cached = parsecache.ParseCache.open(tmp_path)
    cached.parse("y", GOOD.encode(), "app.yaml", parse_yaml)
    cached.save()
    err = capsys.readouterr().err.splitlines()
    assert cached.path is None and len(err) == 1 and f"{cache} belongs to user id {os.getuid()}" in err[0]
    assert not (cache / "parse").exists() and not (cache / "key").exists()


def test_a_pack_owned_by_someone_else_is_not_used(tmp_path, monkeypatch, capsys):
    cache = tmp_path / "cache"
    first = parsecache.ParseCache.open_at(cache / "parse" / "p.pack")
    first.parse("y", GOOD.encode(), "app.yaml", parse_yaml)
    first.save()
    monkeypatch.setattr(cachestore, "_opened", {})
    monkeypatch.setattr(cachestore, "_warned", [])
    real = os.fstat
    owner = os.geteuid()

    def fstat(fd):  # the pack (only it) as another user's file
        found = real(fd)
        if stat.S_ISREG(found.st_mode) and found.st_size > 100:
            return os.stat_result((found.st_mode, found.st_ino, found.st_dev, found.st_nlink, owner + 1,
                                   *found[5:10]))
        return found

    monkeypatch.setattr(cachestore.os, "fstat", fstat)
    again = parsecache.ParseCache.open_at(cache / "parse" / "p.pack")
    again.parse("y", GOOD.encode(), "app.yaml", parse_yaml)
    err = capsys.readouterr().err.splitlines()
    assert again.hits == 0 and len(err) == 1 and f"belongs to user id {owner + 1}, not to you" in err[0]


def _forged(tree: Path, cache: Path, pack: Path) -> bytes:
    """A pack with a valid digest that says app.yaml holds three replicas (it holds one)."""
    store = cachestore.open_store(cache).sub("parse")
    forged = parsecache.ParseCache(pack, store=store)
    data = (tree / "app.yaml").read_bytes()
    forged.parse("y", data, "app.yaml", lambda raw, name: parse_yaml(raw.replace(b"replicas: 1", b"replicas: 3"), name))
    forged.save()
    return pack.read_bytes()


def test_a_pack_that_is_a_link_is_neither_read_nor_written_through(tmp_path):
    tree, cache = _tree(tmp_path), tmp_path / "cache"
    honest = _check(tree, cache).stdout
    pack = _pack(cache)
    forged = _forged(tree, cache, pack)
    assert _check(tree, cache).stdout != honest  # a pack with a valid digest is believed: the test can tell
    elsewhere = tmp_path / "elsewhere.pack"
    elsewhere.write_bytes(forged)
    pack.unlink()
    pack.symlink_to(elsewhere)
    assert _check(tree, cache).stdout == honest  # not read through the link
    (tree / "new.yaml").write_text(GOOD.replace("name: ok", "name: new").replace("app: ok", "app: new"))
    _check(tree, cache)  # something new was parsed: the pack is written, in place of the link
    assert elsewhere.read_bytes() == forged and not pack.is_symlink() and _valid(cache, pack)


@pytest.mark.parametrize("forgery", ["unkeyed digest", "wrong key", "truncated"])
def test_a_forged_pack_that_would_crash_marshal_is_ignored_and_rebuilt(tmp_path, forgery):
    tree, cache = _tree(tmp_path), tmp_path / "cache"
    honest = _check(tree, cache).stdout
    pack = _pack(cache)
    if forgery == "unkeyed digest":
        pack.write_bytes(FORGED_OLD)
    elif forgery == "wrong key":
        payload = parsecache._MAGIC + CRASHER
        pack.write_bytes(hmac.digest(b"k" * 32, pack.name.encode() + b"\0" + payload, "sha256") + payload)
    else:
        pack.write_bytes(pack.read_bytes()[:20])
    done = _check(tree, cache)
    assert done.stdout == honest and done.stderr == b""
    assert _valid(cache, pack) and b"{r\x00\x00\x00\x00N0" not in pack.read_bytes()


def test_a_forged_policy_document_in_the_cache_is_never_taken_for_a_validated_one(tmp_path):
    tree, cache = _tree(tmp_path), tmp_path / "cache"
    honest = _check(tree, cache).stdout
    assert not list(cache.rglob("policy-*"))  # the built-in policies come from their bundle, beside the code
    from archlint.rules.policy import bundle
    from archlint.resources import data_dir

    for name in json.loads((data_dir("policies") / bundle.NAME).read_text()):  # as an older cache named them
        forged = cache / f"policy-{name.replace('/', '-')}.json"
        forged.write_text(json.dumps({"apiVersion": "archlint.dev/v1", "kind": "Policy", "policies": []}))
    assert _check(tree, cache).stdout == honest


def test_a_secret_s_values_are_never_in_the_cache(tmp_path):
    tree, cache = _tree(tmp_path), tmp_path / "cache"
    (tree / "app.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ntype: Opaque\n"
        "data:\n  password: aHVudGVyMi1iYXNlNjQ=\nstringData:\n  url: postgres://app:hunter2-plain@db:5432/app\n"
        "---\n" + GOOD + "---\napiVersion: v1\nkind: List\nitems:\n"
        "  - {apiVersion: v1, kind: Secret, metadata: {name: tls}, data: {tls.key: c2VjcmV0LWluLWEtbGlzdA==}}\n")
    cold = _check(tree, cache)
    warm = _check(tree, cache)
    stored = b"".join(p.read_bytes() for p in cache.rglob("*") if p.is_file())
    for value in (b"aHVudGVyMi1iYXNlNjQ=", b"hunter2", b"c2VjcmV0LWluLWEtbGlzdA=="):
        assert value not in stored
    assert b"replicas" in stored  # the file is cached, all but its Secrets
    assert cold.stdout == warm.stdout == _uncached(tree)
