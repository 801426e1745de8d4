"""Rules of the cost concern, one per module."""
