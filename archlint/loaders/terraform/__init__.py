"""Terraform: reads the .tf and .tfvars files of each directory as one module and adds its resources to the model.

This module is what the pipeline sees of the loader: its format, the files it takes, `load_files`. The reader
itself (`configuration`: modules, their evaluation, the cloud resource mapping) is imported only when a scan holds
Terraform files, so that a scan of manifests does not pay for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archlint.finding import Finding
    from archlint.loaders.disk import Disk
    from archlint.loaders.layout import Layout
    from archlint.model import ModelBuilder

FORMAT = "terraform"
#: File name endings this loader reads; the pipeline hands it every such file at once.
EXTENSIONS = (".tf", ".tfvars")
#: The pipeline's rule for files that cannot be read or parsed.
UNREADABLE = "IN001"
#: A scan that read Terraform files but modelled nothing (or less than it left unread).
NOTHING_MODELLED = "IN007"
#: The pipeline hands this loader a Disk, so that module calls can name directories outside the scanned files.
READS_DISK = True


def load_files(files: list[tuple[str, bytes]], builder: ModelBuilder, problems: list[Finding],
               stats: dict[str, int], disk: Disk | None = None,
               layout: Layout | None = None) -> dict[str, tuple[tuple[int, int], ...]]:
    """Load every module found in `files` (relative name, content); return each file's top-level block lines
    (`configuration.load_files` says how)."""
    from archlint.loaders.terraform import configuration

    return configuration.load_files(files, builder, problems, stats, disk, layout)
