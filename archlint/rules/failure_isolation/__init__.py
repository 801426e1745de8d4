"""Rules of the failure-isolation concern, one per module."""
