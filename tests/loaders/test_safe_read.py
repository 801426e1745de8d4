"""safe_read.read: a regular file whole, however it is laid out on disk; links only inside the tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archlint.loaders import safe_read


def test_a_regular_file_is_read_whole(tmp_path):
    text = b"kind: Service\n" * 250_000  # 3.5 MB: more than one read chunk
    (tmp_path / "big.yaml").write_bytes(text)
    (tmp_path / "empty.yaml").write_bytes(b"")
    assert safe_read.read(tmp_path / "big.yaml", "big.yaml") == text
    assert safe_read.read(tmp_path / "empty.yaml", "empty.yaml") == b""


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
def test_a_file_that_says_its_size_is_zero_is_read_to_its_end():
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0
    assert b"Name:" in safe_read.read(status, "status")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_link_is_followed_inside_the_tree_only(tmp_path):
    tree, outside = tmp_path / "tree", tmp_path / "secret"
    tree.mkdir()
    outside.write_bytes(b"token")
    (tree / "real.yaml").write_bytes(b"a: 1\n")
    (tree / "inside.yaml").symlink_to(tree / "real.yaml")
    (tree / "outside.yaml").symlink_to(outside)
    assert safe_read.read(tree / "inside.yaml", "inside.yaml") == b"a: 1\n"
    with pytest.raises(safe_read.Refused) as refused:
        safe_read.read(tree / "outside.yaml", "outside.yaml")
    assert refused.value.skipped and "outside the scanned tree" in refused.value.message
    with pytest.raises(FileNotFoundError):
        safe_read.read(tree / "missing.yaml", "missing.yaml")
