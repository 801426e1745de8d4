"""`.archlint.yaml`: found upward, validated strictly, every error at once with file and line."""

from __future__ import annotations

import pytest

from archlint.engine.config import ConfigError, find_config, load_config
from archlint.finding import Severity
from archlint.rules import all_rules

RULES = all_rules()


def write(tmp_path, text):
    path = tmp_path / ".archlint.yaml"
    path.write_text(text)
    return path


def test_found_upward_from_a_nested_path(tmp_path):
    path = write(tmp_path, "fail_on: warning\n")
    nested = tmp_path / "deploy" / "k8s"
    nested.mkdir(parents=True)
    assert find_config(nested) == path


def test_settings_by_id_and_by_name(tmp_path):
    config = load_config(write(tmp_path, """\
fail_on: warning
exclude: ["charts/**"]
rules:
  FI001: off
  replicas-without-spread: info
  FI010:
    severity: warning
  single-replica-without-autoscaler:
    enabled: false
    options: {min_replicas: 3}
"""), RULES)
    assert config.fail_on is Severity.WARNING and config.exclude == ("charts/**",)
    assert config.rules["FI004"].severity is Severity.INFO
    assert config.rules["FI010"].severity is Severity.WARNING
    assert config.rules["FI001"].enabled is False and config.rules["FI001"].options == {"min_replicas": 3}


def test_every_error_is_reported_at_once_with_lines(tmp_path):
    path = write(tmp_path, """\
fail_on: sometimes
excludes: []
rules:
  FI999: off
  FI001:
    options: {min_replica: 3}
""")
    with pytest.raises(ConfigError) as caught:
        load_config(path, RULES)
    errors = caught.value.errors
    assert any(":1: fail_on:" in e for e in errors), errors
    assert any(":2: excludes: unknown key" in e for e in errors), errors
    path = write(tmp_path, "rules:\n  FI999: off\n  FI001:\n    options: {min_replica: 3}\n  FI004:\n    options: {x: 1}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, RULES)
    errors = caught.value.errors
    assert len(errors) == 3, errors
    assert ":2: rules.FI999: unknown rule" in errors[0]
    assert ":3: rules.FI001.options.min_replica: unknown option (known: min_replicas)" in errors[1]
    assert ":5: rules.FI004.options.x: unknown option (known: none)" in errors[2]


def test_option_values_are_validated(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, "rules:\n  FI001:\n    options: {min_replicas: 1}\n"), RULES)
    assert "rules.FI001.options.min_replicas" in caught.value.errors[0]


def test_empty_file_is_the_default_configuration(tmp_path):
    assert load_config(write(tmp_path, ""), RULES).rules == {}


def test_systems_and_helm_are_read(tmp_path):
    config = load_config(write(tmp_path, """\
systems:
  - name: shop
    paths: [deploy/manifests, deploy/autoscaling/]
  - name: kube
    paths: [kustomize]
    variant: overlays/prod
helm:
  render: false
  values:
    charts/shop: [charts/shop/values-prod.yaml]
"""), RULES)
    shop, kube = config.layout.systems
    assert (shop.name, shop.paths, shop.variant) == ("shop", ("deploy/manifests", "deploy/autoscaling"), None)
    assert (kube.name, kube.variant) == ("kube", "overlays/prod")
    assert config.layout.helm.render is False
    assert config.layout.helm.values == {"charts/shop": ("charts/shop/values-prod.yaml",)}


def test_systems_errors_have_lines(tmp_path):
    with pytest.raises(ConfigError) as raised:
        load_config(write(tmp_path, """\
systems:
  - name: shop
  - name: shop
    paths: [a]
    varaint: prod
helm: {render: maybe}
"""), RULES)
    errors = "\n".join(raised.value.errors)
    assert ":2: systems[0]" in errors and "paths" in errors
    assert ":3: systems: 'shop' is declared twice" in errors
    assert ":5: systems[1].varaint: unknown key" in errors
    assert ":6: helm.render" in errors


def test_a_misspelt_setting_is_said_in_plain_words_with_its_line(tmp_path):
    """`FI001: of` is a string: the words it could be say what is wrong, not 'not valid under any of the given
    schemas'."""
    path = write(tmp_path, "rules:\n  FI001: of\n  FI004: {severity: high}\n  FI005: {enabled: maybe}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, RULES)
    errors = caught.value.errors
    assert errors[0].endswith(":2: rules.FI001: 'of' is not one of off, on, error, warning, info"), errors
    assert errors[1].endswith(":3: rules.FI004.severity: 'high' is not one of error, warning, info"), errors
    assert errors[2].endswith(":4: rules.FI005.enabled: 'maybe' is not of type 'boolean'"), errors
    assert not any("given schemas" in e for e in errors)


def test_terraform_settings_are_strict_and_resolved_against_the_file(tmp_path):
    (tmp_path / "modules").mkdir()
    config = load_config(write(tmp_path, """\
terraform:
  judge_called_modules_alone: true
  module_sources:
    registry.terraform.io/acme/widgets/aws: modules
"""), RULES)
    settings = config.layout.terraform
    assert settings.judge_called_modules_alone is True
    assert settings.module_sources == {"acme/widgets/aws": str((tmp_path / "modules").resolve())}
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, """\
terraform:
  judge_modules_alone: yes
  module_sources:
    acme/widgets/aws: missing
"""), RULES)
    errors = caught.value.errors
    assert any(":2: terraform.judge_modules_alone: unknown key" in e for e in errors), errors
    assert any(":4: terraform.module_sources.acme/widgets/aws: 'missing' is not a directory" in e for e in errors), errors
