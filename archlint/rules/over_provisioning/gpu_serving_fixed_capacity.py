"""GPU model serving with a fixed replica count and no request batching.

What it flags: a model-serving component (a known server image, a declared kind, or a GPU workload that a Service
selects) that requests GPUs, runs a fixed number of replicas (no autoscaler, or one whose minimum equals its
maximum) and whose server is not one that batches requests by design. vLLM, Text Generation Inference and NVIDIA
NIM batch continuously and Text Embeddings Inference dynamically (`batching_images`): no finding. Triton,
TorchServe, TensorFlow Serving, KServe, Seldon, Ray, JetStream and Saxml batch only when configured in files
archlint does not read (`configured_batching_images`): the rule abstains. An image matches when its base name is,
or holds as a `-`, `_` or `.` separated part, one of these names (`huggingface-text-generation-inference-cu121` is
TGI), or starts with one that ends in `/` (a repository: `nvcr.io/nim/`). Any other image (a custom server) is
flagged; a component whose images archlint does not know (a service graph alone) is not.
Why it matters: a GPU is the most expensive thing in the cluster and is billed by the hour, busy or not. A fixed
count sized for the peak idles off-peak, and a server that handles one request at a time leaves most of each
GPU's throughput unused even at the peak: with batching one GPU serves several times the requests. "Use model
serving platforms that support batching, autoscaling, and hardware acceleration."
How to fix: serve with a server that batches (vLLM, TGI, Triton with `dynamic_batching`), and scale replicas on
queue depth or latency (KEDA, or an HPA on custom metrics) with a low floor; if the count must be fixed, add the
image to `batching_images` once it batches.
"""

from __future__ import annotations

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding
from archlint.rules.capacity import monthly_usd, price_note, price_sources, usd
from archlint.rules.images import image_base, names_one_of

GUESSED = "a long-running workload that requests accelerators"

META = RuleMeta(
    id="OP030", name="gpu-serving-without-scaling-or-batching", title="GPU serving with fixed replicas and no batching",
    concern=Concern.OVER_PROVISIONING, severity=Severity.WARNING,
    options={"batching_images": ["vllm", "vllm-openai", "text-generation-inference", "tgi", "tei",
                                 "text-embeddings-inference", "nvcr.io/nim/"],
             "configured_batching_images": ["tritonserver", "torchserve", "tensorflow-serving", "serving", "kserve",
                                            "seldon-core-microservice", "mlserver", "ray-ml", "ray",
                                            "jetstream-pytorch-server", "sax-model-server"]},
    options_schema={"batching_images": {"type": "array", "items": {"type": "string", "minLength": 1}},
                    "configured_batching_images": {"type": "array", "items": {"type": "string", "minLength": 1}}})


def check(model, options):
    known = options["batching_images"] + options["configured_batching_images"]
    for component in model.components(NodeKind.MODEL_SERVING):
        scaling = component.autoscaling
        if not component.gpu or (scaling is not None and scaling.min_replicas != scaling.max_replicas):
            continue
        if component.attrs.get("kind_reason") == GUESSED and not component.attrs.get("services"):
            continue  # a GPU workload that no Service selects may train or render rather than serve
        replicas = scaling.min_replicas if scaling is not None else component.replicas
        images = [c.image for c in component.containers if not c.init and c.image]
        if not replicas or not images or any(names_one_of(image, known) for image in images):
            continue
        amount = replicas * monthly_usd(component.provider, gpu=component.gpu)
        gpus = replicas * component.gpu
        yield finding(META, component, f"{component.name} holds {gpus:g} GPU{'s' if gpus != 1 else ''} with a fixed "
                      f"{replicas} replica{'s' if replicas != 1 else ''} and a server ({image_base(images[0])}) "
                      f"not known to batch requests: about {usd(amount)}/month of GPUs at "
                      f"{price_note(component.provider, 'gpu')}, busy or not",
                      "Batch requests (vLLM, TGI, Triton dynamic batching) and autoscale on queue depth or latency.",
                      span=scaling.span if scaling is not None else component.replicas_span or component.span,
                      sources=price_sources(component.provider, "gpu"))
