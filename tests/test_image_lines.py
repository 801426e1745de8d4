"""FI037 points at the line that sets the image: the container's `image:` line, or the kustomization's `images:`
entry when an overlay sets the tag (the line the user edits), the base's line related."""

from __future__ import annotations

import json

from tests.conftest import run_cli

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:IMAGE_TAG
"""


def _fi037(tmp_path):
    done = run_cli("check", str(tmp_path), "--format", "json", "--select", "FI037", "--root", str(tmp_path))
    return [(f["file"], f["line"]) for f in json.loads(done.stdout)["findings"] if f["rule"] == "FI037"]


def test_an_unpinned_image_is_reported_at_its_image_line(tmp_path):
    (tmp_path / "web.yaml").write_text(DEPLOYMENT.replace("IMAGE_TAG", "latest"))
    assert _fi037(tmp_path) == [("web.yaml", 15)]


def test_a_tag_an_overlay_sets_is_reported_at_the_kustomization_images_entry(tmp_path):
    (tmp_path / "base").mkdir()
    (tmp_path / "prod").mkdir()
    (tmp_path / "base" / "web.yaml").write_text(DEPLOYMENT.replace("IMAGE_TAG", "1.4.2"))
    (tmp_path / "base" / "kustomization.yaml").write_text("resources: [web.yaml]\n")
    (tmp_path / "prod" / "kustomization.yaml").write_text(
        "resources: [../base]\nimages:\n  - name: ghcr.io/acme/web\n    newTag: latest\n")
    assert _fi037(tmp_path) == [("prod/kustomization.yaml", 4)]  # its newTag line
