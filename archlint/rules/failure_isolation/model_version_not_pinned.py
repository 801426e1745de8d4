"""A model server does not pin the model it serves.

What it flags: a model-serving component whose container image has the tag `latest` or no tag and no digest
(`vllm/vllm-openai:latest`, `ollama/ollama`); or whose declared model (`model:` in the service graph) has no
`version` (or `version: latest`) and a `uri` that names no version: one that ends in `latest`, a Hugging Face
model (`hf://org/model`, `huggingface.co/org/model`) without a revision (`@rev` or `?revision=`), or a path with
no version-like part (`v7`, `2026-11-01`, `1.4.0`, a commit hash). Container arguments (`--model`, `--revision`)
are not in archlint's model yet, so a model chosen only there is not judged.
Why it matters: every restart, rollout or scale-out pulls whatever the tag or path points to at that moment.
Replicas end up serving different models, a model pushed upstream reaches production without a deploy, a
review or a canary, and there is nothing to roll back to: the failure is in every replica at once. "Treat models
as deployable artifacts with versioning, testing, and rollback capabilities."
How to fix: pin the server image by version or digest, and the model by version: a versioned path
(`s3://models/eta/v7/`), a Hugging Face revision (`--revision <commit>`, `hf://org/model@<commit>`), or
`model.version` in the service graph; roll new versions out like code.
"""

from __future__ import annotations

import re

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding

META = RuleMeta(
    id="FI035", name="model-version-not-pinned", title="Model server does not pin its model or image version",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)

_VERSION_PART = re.compile(r"(^|[/:@=_.-])(v?\d+([._-]\d+)*|[0-9a-f]{7,40})([/._-]|$)", re.IGNORECASE)
_HUGGING_FACE = ("hf://", "huggingface.co/", "https://huggingface.co/")


def check(model, options):
    for component in model.components(NodeKind.MODEL_SERVING):
        for container in component.containers:
            tag = _tag(container.image)
            if container.image and not container.init and tag in (None, "latest"):
                said = "the tag latest" if tag else "no tag"
                yield finding(META, component, f"{component.name} runs {container.image} with {said}: each restart "
                              "may pull a different server", "Pin the image by version or digest.",
                              span=container.span, key=f"image:{container.name}")
        declared = component.attrs.get("model")
        problem = _unpinned(declared) if isinstance(declared, dict) else None
        if problem:
            yield finding(META, component, f"{component.name} serves {problem}: each restart may load a different "
                          "model, with nothing to roll back to", "Pin the model: a versioned URI, a revision, or "
                          "model.version.", key="model")


def _tag(image: str | None) -> str | None:
    """The image's tag; "" for a digest (pinned); None when there is neither."""
    if not image:
        return None
    if "@" in image:
        return ""
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1].lower() if ":" in last else None


def _unpinned(declared: dict) -> str | None:
    name = declared.get("name") or declared.get("uri") or "its model"
    version = str(declared.get("version") or "").strip().lower()
    if version and version != "latest":
        return None
    if version == "latest":
        return f"model {name} at version latest"
    uri = str(declared.get("uri") or "").strip()
    if not uri:
        return f"model {name} with no version"
    lowered = uri.lower().rstrip("/")
    if lowered.endswith(("/latest", ":latest", "@latest")):
        return f"model {uri}, a path that moves"
    if lowered.startswith(_HUGGING_FACE):
        return None if "@" in uri or "revision=" in lowered else f"model {uri} without a revision"
    return None if _VERSION_PART.search(uri.split("://", 1)[-1]) else f"model {uri}, a path with no version"
