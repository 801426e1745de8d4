"""Parcelwise's public API."""
