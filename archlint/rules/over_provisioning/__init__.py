"""Rules of the over-provisioning concern, one per module."""
