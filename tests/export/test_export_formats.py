"""What holds for every export format: registered by name, lazy, deterministic whatever the build order."""

from __future__ import annotations

import importlib

import pytest

from archlint.export import FORMATS, exporter


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_is_a_module_with_render(name):
    assert exporter(name) is importlib.import_module(FORMATS[name]).render


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_renders_the_same_twice_and_ends_with_one_newline(model, name):
    first = exporter(name)(model)
    assert first == exporter(name)(model)
    assert first.endswith("\n") and not first.endswith("\n\n")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_does_not_depend_on_the_order_components_were_added_in(model, reversed_model, name):
    assert exporter(name)(reversed_model) == exporter(name)(model)


def test_unknown_format_is_a_key_error():
    with pytest.raises(KeyError):
        exporter("png")
