"""Lets pip install this example without the wheel package (setup.py develop): the metadata is in pyproject.toml."""

from setuptools import setup

setup()
