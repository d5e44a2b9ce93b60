"""The ISO 9001 evidence pack: report, data files, manifest (docs/evidence.md)."""
