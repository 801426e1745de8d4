"""How a repository is laid out, as the configuration declares it: systems (a name, its paths, the variant to
judge by default) and whether Helm charts may be rendered with a `helm` binary."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SystemSpec:
    """`systems:` entry: every file under `paths` (relative to the scan root) belongs to system `name`; when
    `variant` is given only that variant of it is judged."""

    name: str
    paths: tuple[str, ...]
    variant: str | None = None


@dataclass(frozen=True)
class HelmSettings:
    """`helm:`: render charts with `helm template` (when the binary is on the PATH), with these values files
    (relative to the scan root, per chart directory or for every chart)."""

    render: bool = True
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    binary: str = "helm"


@dataclass(frozen=True)
class TerraformSettings:
    """`terraform:`: whether a module other modules call is also judged on its own, with its own defaults; and
    registry or git sources (`namespace/name/provider`, without `//subdir`) read from a directory on disk."""

    judge_called_modules_alone: bool = False
    module_sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    systems: tuple[SystemSpec, ...] = ()
    helm: HelmSettings = field(default_factory=HelmSettings)
    terraform: TerraformSettings = field(default_factory=TerraformSettings)
