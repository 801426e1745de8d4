"""archlint: a policy-as-code linter and architecture advisor for whole cloud systems."""

__version__ = "0.1.0"
