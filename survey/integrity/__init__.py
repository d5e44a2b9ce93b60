"""Tamper evidence for responses and exclusions (docs/integrity.md)."""
