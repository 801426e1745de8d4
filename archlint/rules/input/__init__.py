"""Rules of the input concern, one per module."""
