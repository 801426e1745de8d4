"""ACME's archlint rules: an example plugin package."""
