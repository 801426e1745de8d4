"""Terraform module instances live as long as the model whose deferred spans need them, and no longer: a span read
after loading still reaches the caller's line, and a dropped model frees its instances without the collector."""

from __future__ import annotations

import gc
import textwrap
from pathlib import Path

from archlint.loaders.discover import discover
from archlint.loaders.pipeline import load
from archlint.loaders.terraform.modules import Instance

FILES = {
    "stack/main.tf": """
        module "api" {
          source = "../modules/service"
          name   = "api"
          size   = 1
        }
    """,
    "modules/service/main.tf": """
        variable "name" {}
        variable "size" {
          default = 2
        }
        module "queue" {
          source = "../queue"
          name   = "${var.name}-jobs"
        }
        resource "aws_ecs_service" "this" {
          name          = var.name
          desired_count = var.size
        }
    """,
    "modules/queue/main.tf": """
        variable "name" {}
        resource "aws_sqs_queue" "this" {
          name = var.name
        }
    """,
}


def _write(root: Path) -> None:
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())


def _instances() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, Instance))


def test_a_span_read_after_loading_still_reaches_the_callers_line(tmp_path):
    _write(tmp_path)
    result = load(discover([tmp_path], tmp_path))
    gc.collect()  # nothing the model needs is only held by a cycle
    service = next(c for c in result.model.components() if c.attrs["resource_type"] == "aws_ecs_service")
    assert (service.replicas_span.file, service.replicas_span.line) == ("stack/main.tf", 4)
    assert service.replicas_span.via[0].file == "modules/service/main.tf"


def test_a_dropped_model_frees_its_module_instances_without_the_collector(tmp_path):
    _write(tmp_path)
    gc.collect()
    before = _instances()
    enabled = gc.isenabled()
    gc.disable()
    try:
        result = load(discover([tmp_path], tmp_path))
        assert _instances() == before + 3  # the root, module.api and module.api.module.queue
        del result
        assert _instances() == before
    finally:
        if enabled:
            gc.enable()
