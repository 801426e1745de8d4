"""Container images as the AI rules read them: base names, and well-known model servers matched by name token."""

from __future__ import annotations

import re

from archlint.model import image_base

#: Model servers, by a token of the image's base name (`huggingface-text-generation-inference-cu121` is TGI).
MODEL_SERVERS = ("vllm", "vllm-openai", "tritonserver", "text-generation-inference", "tgi", "ollama", "torchserve",
                 "tensorflow-serving", "kserve", "seldon-core-microservice", "mlserver", "tei",
                 "text-embeddings-inference", "llama.cpp", "llama-server", "jetstream-pytorch-server")


def names_one_of(image: str | None, names) -> str | None:
    """The first of `names` that the image's base name is, or holds as a whole `-`, `_` or `.` separated token; a
    name ending in `/` is a repository prefix (`nvcr.io/nim/`)."""
    base, full = image_base(image), (image or "").lower()
    for name in names:
        wanted = name.lower()
        if wanted.endswith("/") and full.startswith(wanted):
            return name
        # the substring test first: most images hold none of the names, and it costs far less than the search
        if wanted in base and re.search(rf"(^|[-_.]){re.escape(wanted)}([-_.]|$)", base):
            return name
    return None
