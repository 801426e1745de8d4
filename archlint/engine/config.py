"""`.archlint.yaml`: found upward from the first path, validated strictly, every error reported at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archlint.finding import Severity
from archlint.loaders.layout import Layout
from archlint.model.preferences import Preferences
from archlint.model.resilience import ResiliencePolicy

CONFIG_NAME = ".archlint.yaml"
SCHEMA = "config.schema.json"


class ConfigError(Exception):
    """The configuration is invalid; `errors` lists each problem as `file:line: path: message`."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class RuleSetting:
    """What the configuration says about one rule; None means the rule's default."""

    enabled: bool | None = None
    severity: Severity | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """The validated configuration. `rules` is keyed by rule id."""

    path: Path | None = None
    fail_on: Severity | None = None
    exclude: tuple[str, ...] = ()
    rules: dict[str, RuleSetting] = field(default_factory=dict)
    #: The usage file (`usage:`), resolved against the configuration file's directory.
    usage: Path | None = None
    #: The `cost:` section: price and usage-assumption files, denominators and budgets.
    cost: CostSettings = field(default_factory=lambda: CostSettings())
    #: The `placement:` section: criterion weights and thresholds of the advisor.
    placement: Preferences = field(default_factory=Preferences)
    #: Rules compiled from the policy directories the configuration names (`policies:`).
    policy_rules: tuple = ()
    #: `--select` and `--ignore`: rule ids, names, concerns or id prefixes (engine/select.py).
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: `systems:` and `helm:`: how the repository is laid out (which files form which system, Helm rendering).
    layout: Layout = field(default_factory=Layout)
    #: The `resilience:` section: recovery objectives per disruption, per journey or criticality, own figures.
    resilience: ResiliencePolicy = field(default_factory=ResiliencePolicy)


@dataclass(frozen=True)
class CostSettings:
    """`cost:` of the configuration. Budgets are `(kind, subject, limit, line)`; files are resolved."""

    prices: Path | None = None
    usage: Path | None = None
    units: dict[str, float] = field(default_factory=dict)
    budgets: tuple[tuple[str, str, float, int], ...] = ()
    #: The cloud Kubernetes workloads run on when neither their node labels nor the system's Terraform say.
    kubernetes_provider: str | None = None


def find_config(start: Path) -> Path | None:
    """The nearest `.archlint.yaml` in `start` (a directory, or a file's directory) or any parent."""
    directory = start if start.is_dir() else start.parent
    for candidate in [directory, *directory.parents]:
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None


def load_config(path: Path | None, rules: tuple | Callable[[], tuple]) -> Config:
    """Read and validate a configuration file against the schema and the registered rules' options. `rules` may
    be a function that makes them: it is called only when the file names rules or policies."""
    if path is None:
        return Config()
    from archlint.loaders.yamlsource import ParseError, parse_yaml
    from archlint.validation import validate

    name = str(path)
    try:
        documents = parse_yaml(path.read_bytes(), name)
    except OSError as error:
        raise ConfigError([f"{name}: cannot read: {error.strerror or error}"]) from None
    except ParseError as error:
        raise ConfigError([f"{name}:{error.line}: {error.message}"]) from None
    data = documents[0].data if documents else {}
    if data is None:
        return Config(path=path)
    if not isinstance(data, dict):
        raise ConfigError([f"{name}:1: the configuration must be a mapping"])
    problems = validate(data, SCHEMA)
    errors = [(e.line, f"{name}:{e.line}: {e.path}: {e.message}") for e in problems]
    data = _sound(data, problems)
    policy_rules = _policies(data, path, name, errors)
    raw_rules = data.get("rules")
    settings: dict[str, RuleSetting] = {}
    if policy_rules or isinstance(raw_rules, dict):  # only then are the registered rules needed
        known = tuple(rules() if callable(rules) else rules) + policy_rules
        if policy_rules:
            from archlint.rules.policy.load import duplicates

            errors.extend((0, f"{name}: policies: {text}") for text in duplicates(known))
        if isinstance(raw_rules, dict):
            settings = _rule_settings(raw_rules, known, name, errors)
    usage = _usage(data, path, name, errors)
    cost = _cost(data.get("cost"), path, name, errors)
    layout = _layout(data, name, errors, path)
    resilience = _resilience(data.get("resilience"), name, errors)
    if errors:
        raise ConfigError([text for _, text in sorted(errors)])
    return Config(path=path, fail_on=Severity(data["fail_on"]) if "fail_on" in data else None,
                  exclude=tuple(data.get("exclude", ())), rules=settings, usage=usage, cost=cost,
                  placement=_placement(data.get("placement")), policy_rules=policy_rules, layout=layout,
                  resilience=resilience)


def _sound(data: dict, problems: list) -> dict:
    """The configuration less the sections the schema found of the wrong type (`systems: 5`): those are reported
    and not read further, as their readers expect the schema's shapes; the readers of the others skip each entry
    of the wrong shape themselves, and still report what the schema cannot see (a system declared twice)."""
    broken = {e.path for e in problems if e.path in data}
    if not broken:
        return data
    from archlint.loaders.yamlsource import LineDict

    sound = LineDict((k, v) for k, v in data.items() if k not in broken)
    sound.line, sound.key_lines = getattr(data, "line", 1), getattr(data, "key_lines", {})
    return sound


def _policies(data: dict, path: Path, name: str, errors: list[tuple[int, str]]) -> tuple:
    """The policies of the directories `policies:` lists (relative to the configuration file), compiled; a missing
    directory or an invalid policy is an error of the configuration, with the policy file's own line."""
    dirs = data.get("policies")
    if not isinstance(dirs, list) or not dirs:
        return ()
    line = _line(data, "policies")
    from archlint.rules.policy.load import PolicyError, load_dirs

    found = []
    for index, directory in enumerate(dirs):
        resolved = path.parent / str(directory)
        if not resolved.is_dir():
            errors.append((line, f"{name}:{line}: policies[{index}]: no such directory: {resolved}"))
        else:
            found.append(resolved)
    try:
        return load_dirs(found)
    except PolicyError as error:
        errors.extend((0, text) for text in error.errors)
        return ()


def _layout(data: dict, name: str, errors: list[tuple[int, str]], path: Path) -> Layout:
    """`systems:`, `helm:` and `terraform:` (their shapes are the schema's; a name given twice is an error, at its
    line; a `module_sources` directory that does not exist too)."""
    from archlint.loaders.layout import HelmSettings, SystemSpec

    systems, seen = [], set()
    declared = data.get("systems")
    for entry in declared if isinstance(declared, list) else ():  # another type: the schema's error says so
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        if entry["name"] in seen:
            line = _line(entry, "name")
            errors.append((line, f"{name}:{line}: systems: {entry['name']!r} is declared twice"))
        seen.add(entry["name"])
        paths = tuple(str(p).strip("/") or "." for p in entry.get("paths") or () if isinstance(p, str))
        variant = entry.get("variant") if isinstance(entry.get("variant"), str) else None
        systems.append(SystemSpec(entry["name"], paths, variant))
    helm = data.get("helm") if isinstance(data.get("helm"), dict) else {}
    listed = helm.get("values") if isinstance(helm.get("values"), dict) else {}
    values = {str(k).strip("/") or ".": tuple(v) for k, v in listed.items() if isinstance(v, list)}
    return Layout(tuple(systems), HelmSettings(render=helm.get("render", True) is not False, values=values),
                  _terraform(data.get("terraform"), name, errors, path))


def _terraform(section: Any, name: str, errors: list[tuple[int, str]], path: Path):
    from archlint.loaders.layout import TerraformSettings

    if not isinstance(section, dict):
        return TerraformSettings()
    sources = {}
    mapping = section.get("module_sources")
    for source, directory in (mapping.items() if isinstance(mapping, dict) else ()):
        if not isinstance(directory, str) or not isinstance(source, str):
            continue
        resolved = (path.parent / directory).resolve()
        if not resolved.is_dir():
            line = _line(mapping, source)
            errors.append((line, f"{name}:{line}: terraform.module_sources.{source}: {directory!r} is not a directory"))
            continue
        sources[source.split("//", 1)[0].removeprefix("registry.terraform.io/")] = str(resolved)
    return TerraformSettings(section.get("judge_called_modules_alone") is True, sources)


def _resilience(section: Any, name: str, errors: list[tuple[int, str]]) -> ResiliencePolicy:
    from archlint.engine.resilience_config import resilience

    return resilience(section, name, errors) if section is not None else ResiliencePolicy(file=name)


def _placement(section: Any) -> Preferences:
    """The `placement:` section (already validated): weights over the defaults, and thresholds."""
    if not isinstance(section, dict):
        return Preferences()
    defaults = Preferences()
    return Preferences(weights={**defaults.weights, **section.get("weights", {})},
                       scale_to_zero_rps=section.get("scale_to_zero_rps", defaults.scale_to_zero_rps),
                       function_seconds=section.get("function_seconds", defaults.function_seconds))


def _cost(section: Any, path: Path, name: str, errors: list[tuple[int, str]]) -> CostSettings:
    """The `cost:` section: files must exist; each budget keeps the line that declares it."""
    if not isinstance(section, dict):
        return CostSettings()
    files: dict[str, Path | None] = {}
    for key in ("prices", "usage"):
        value = section.get(key)
        files[key] = path.parent / value if isinstance(value, str) and value else None
        if files[key] is not None and not files[key].is_file():
            line = _line(section, key)
            errors.append((line, f"{name}:{line}: cost.{key}: no such file: {files[key]}"))
    units = section.get("units") if isinstance(section.get("units"), dict) else {}
    budgets: list[tuple[str, str, float, int]] = []
    declared = section.get("budgets") if isinstance(section.get("budgets"), dict) else {}
    for kind, value in declared.items():
        if kind in ("teams", "tags", "tiers") and isinstance(value, dict):
            budgets += [(kind, str(k), float(v), _line(value, k)) for k, v in value.items() if _number(v)]
        elif kind == "increase" and isinstance(value, dict):
            budgets += [(f"increase_{k}", "", float(v), _line(value, k)) for k, v in value.items() if _number(v)]
        elif _number(value):
            budgets.append((str(kind), "", float(value), _line(declared, kind)))
    provider = section.get("kubernetes_provider")
    return CostSettings(files["prices"], files["usage"], {k: float(v) for k, v in units.items() if _number(v)},
                        tuple(budgets), provider if isinstance(provider, str) else None)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _line(mapping: Any, key: str) -> int:
    return mapping.line_of(key) if hasattr(mapping, "line_of") else 1


def _usage(data: dict, path: Path, name: str, errors: list[tuple[int, str]]) -> Path | None:
    """The `usage` file, relative to the configuration's directory; a missing file is an error of the config."""
    value = data.get("usage")
    if not isinstance(value, str) or not value:
        return None  # absent, or the schema error says what is wrong
    usage = path.parent / value
    if not usage.is_file():
        line = data.line_of("usage") if hasattr(data, "line_of") else 1
        errors.append((line, f"{name}:{line}: usage: no such file: {usage}"))
    return usage


def _rule_settings(raw: dict, rules: tuple, name: str, errors: list[tuple[int, str]]) -> dict[str, RuleSetting]:
    """Rule ids, option names and option values, checked against the registered rules."""
    from archlint.rules import lookup

    table = lookup(rules)
    settings: dict[str, RuleSetting] = {}
    for key, value in raw.items():
        line = raw.line_of(key) if hasattr(raw, "line_of") else 1
        rule = table.get(str(key)) or table.get(str(key).lower())
        if rule is None:
            errors.append((line, f"{name}:{line}: rules.{key}: unknown rule (see `archlint rules`)"))
            continue
        try:
            setting = _setting(value)
        except (ValueError, AttributeError, TypeError):
            continue  # the schema error says what is wrong with the value
        for option in sorted(setting.options):
            if option not in rule.meta.options:
                known = ", ".join(sorted(rule.meta.options)) or "none"
                errors.append((line, f"{name}:{line}: rules.{key}.options.{option}: unknown option (known: {known})"))
        errors.extend((line, text) for text in _option_errors(rule, setting.options, f"{name}:{line}: rules.{key}.options"))
        settings[rule.id] = setting
    return settings


def _setting(value: Any) -> RuleSetting:
    if value is True or value == "on":
        return RuleSetting(enabled=True)
    if value is False or value == "off":
        return RuleSetting(enabled=False)
    if isinstance(value, str):
        return RuleSetting(severity=Severity(value))
    severity = value.get("severity")
    options = value.get("options") or {}
    return RuleSetting(enabled=value.get("enabled"), severity=Severity(severity) if severity else None,
                       options=dict(options) if isinstance(options, dict) else {})


def _option_errors(rule: Any, options: dict, where: str) -> list[str]:
    from archlint.validation import messages

    errors = []
    for option, value in sorted(options.items()):
        schema = rule.meta.options_schema.get(option)
        if schema:
            errors.extend(f"{where}.{option}: {message}" for message in messages(value, dict(schema)))
    return errors


def options_schema(rules: tuple) -> dict[str, dict]:
    """Each rule's options as JSON Schema with their defaults: the `$defs.rule_options` of the shipped config
    schema (a test keeps the file equal to this), so that editors and readers see every option."""
    documented = {}
    for rule in sorted(rules, key=lambda r: r.id):
        if not rule.meta.options:
            continue
        properties = {name: {**rule.meta.options_schema.get(name, {}), "default": default}
                      for name, default in sorted(rule.meta.options.items())}
        documented[rule.id] = {"title": f"{rule.id} {rule.meta.name}", "type": "object",
                               "additionalProperties": False, "properties": properties}
    return documented

