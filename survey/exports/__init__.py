"""Helpers shared by every file the product writes for people to open."""
