"""Fact readers, one per family of resource, by provider: each reads a CloudResource's attributes into Facts."""
