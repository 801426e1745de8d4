"""Model training and model serving share one workload or one pool of machines.

What it flags: a workload that runs a model server (vLLM, TGI, Triton, TorchServe, ...) and a training container
(an image named `train`, `trainer`, `training` or `finetune`) side by side; a training job and a model server
pinned to the same node pool (`nodeSelector` or required node affinity on a node-pool label); and a training
job and a model server that both request GPUs, are pinned nowhere, in a model that holds exactly one GPU node
pool. Where the pool is not known the rule abstains.
Why it matters: training takes every GPU and all the memory bandwidth it is given, for hours, and it is
restarted and resized freely; serving needs a steady share with room to scale out at the peak. On shared machines
a training run leaves serving no GPU to scale onto (or the scheduler preempts one for the other), and a crashed
training container takes the serving pod it shares with down too. "For AI workloads, separate model training
pipelines from model serving."
How to fix: give training its own node pool, tainted (`nvidia.com/gpu=training:NoSchedule`) and tolerated only by
training pods, ideally of spot capacity; keep serving on a pool sized and autoscaled for serving. At least put
training on a lower PriorityClass with a GPU quota so that it yields.
"""

from __future__ import annotations

import re

from archlint.finding import Concern, Severity
from archlint.model import NodeKind
from archlint.rules.base import RuleMeta, finding, listing
from archlint.rules.images import MODEL_SERVERS, image_base, names_one_of

META = RuleMeta(
    id="FI034", name="training-beside-serving", title="Training and serving share a workload or a node pool",
    concern=Concern.FAILURE_ISOLATION, severity=Severity.WARNING)

TRAINING_IMAGE = re.compile(r"(^|[-_])(train|trainer|training|finetune|fine-tune|fine-tuning)([-_]|$)")


def check(model, options):
    for component in model.components():
        running = [c for c in component.containers if not c.init]
        trainers = [c for c in running if TRAINING_IMAGE.search(image_base(c.image))]
        servers = [c for c in running if names_one_of(c.image, MODEL_SERVERS)] if trainers else []
        if servers and trainers:
            yield finding(META, component, f"{component.name} runs training ({trainers[0].name}) and serving "
                          f"({servers[0].name}) in the same pods", "Run training as its own job on its own node pool.",
                          span=trainers[0].span, key="one-workload")
    serving = list(model.components(NodeKind.MODEL_SERVING))
    training = list(model.components(NodeKind.TRAINING_JOB))
    gpu_pools = [p for p in model.components(NodeKind.NODE_POOL) if p.gpu]
    # One finding per shared pool, listing its members: n servers beside m jobs is one problem, not n x m.
    shared: dict[str, tuple[dict, dict]] = {}
    for server in serving:
        for job in training:
            common = set(server.attrs.get("node_pool") or ()) & set(job.attrs.get("node_pool") or ())
            if common:
                where = f"node pool {sorted(common)[0]}"
            elif (len(gpu_pools) == 1 and server.gpu and job.gpu and "node_pool" not in server.attrs
                  and "node_pool" not in job.attrs):
                where = f"the only GPU node pool, {gpu_pools[0].name}"
            else:
                continue
            servers, jobs = shared.setdefault(where, ({}, {}))
            servers[server.id], jobs[job.id] = server, job
    for where, (servers, jobs) in sorted(shared.items()):
        first, *others = servers.values()
        yield finding(META, first, f"{where} runs model serving ({listing(s.name for s in servers.values())}) "
                      f"beside training ({listing(j.name for j in jobs.values())}): a training run takes the GPUs "
                      "serving needs to scale out", "Give training its own tainted node pool, or a lower "
                      "PriorityClass with a GPU quota.", key=where, nodes=(*(s.id for s in others), *jobs))
