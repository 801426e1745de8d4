"""Rules of the observability concern, one per module."""
