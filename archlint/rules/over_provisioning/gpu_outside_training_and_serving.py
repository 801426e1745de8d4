"""GPUs requested by a workload that neither trains nor serves models.

What it flags: a component that requests GPUs while it is declared or known to be something else than model
serving, training, batch work or a vector store (a service, worker, gateway, datastore, cache or queue), and a
long-running notebook or development environment (Jupyter, JupyterLab, code-server images) holding GPUs: archlint
counts such a workload as model serving only because it requests a GPU.
Why it matters: a GPU costs ten to fifty times a general-purpose core and is billed by the hour whether used or
not. A web service or a worker rarely uses the GPU it requests (it was copied from another manifest, or used once
for an experiment), and an interactive notebook holds its GPU through nights and weekends while idle; in both
cases the GPU is also unavailable to the serving and training work that needs it.
How to fix: remove the GPU request, or move the GPU part into a model server or a batch job; give notebooks an
idle culler (JupyterHub's `cull_idle`) or run them on a scale-to-zero pool. If the workload really computes on the
GPU (video encoding, simulation), say so in a suppression.
"""

from __future__ import annotations

import re

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding
from archlint.rules.capacity import monthly_usd, price_note, price_sources, usd
from archlint.rules.images import image_base

META = RuleMeta(
    id="OP031", name="gpu-outside-training-and-serving", title="GPUs held by a workload that neither trains nor serves",
    concern=Concern.OVER_PROVISIONING, severity=Severity.WARNING)

_OTHER_KINDS = (NodeKind.SERVICE, NodeKind.WORKER, NodeKind.GATEWAY, NodeKind.DATASTORE, NodeKind.CACHE,
                NodeKind.QUEUE, NodeKind.FUNCTION)
_NOTEBOOK = re.compile(r"(^|[-_])(jupyter|jupyterlab|notebook|code-server|vscode-server|rstudio)([-_]|$)")
_GUESSED = "a long-running workload that requests accelerators"


def check(model, options):
    for component in model.components():
        if not component.gpu:
            continue
        running = [c for c in component.containers if not c.init]
        notebook = next((c.image for c in running if _NOTEBOOK.search(image_base(c.image))), None)
        if component.kind in _OTHER_KINDS:
            what = f"{component.kind.value} {component.name}"
        elif component.kind is NodeKind.MODEL_SERVING and component.attrs.get("kind_reason") == _GUESSED and notebook:
            what = f"notebook {component.name} ({notebook})"
        else:
            continue
        replicas = component.min_replicas or 1
        amount = replicas * monthly_usd(component.provider, gpu=component.gpu)
        yield finding(META, component, f"{what} requests {component.gpu:g} GPU{'s' if component.gpu != 1 else ''} per "
                      f"replica but neither trains nor serves a model: about {usd(amount)}/month at "
                      f"{price_note(component.provider, 'gpu')}", "Remove the GPU request, or move the GPU work into a "
                      "model server or a job.", span=_gpu_span(component),
                      sources=price_sources(component.provider, "gpu"))


def _gpu_span(component):
    holder = next((c for c in component.containers if c.gpu), None)
    return (holder.resources_span or holder.span) if holder else component.span
