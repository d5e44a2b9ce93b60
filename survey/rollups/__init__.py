"""Roll-ups: pre-aggregated counts kept correct as responses arrive or are excluded.

build.py recomputes (agency, day) and (agency, month) rows from raw data;
freshness.py decides what must be recomputed before a read and marks
late changes; read.py answers a period from month rows, day rows and the
still-open day read raw. docs/definitions.md explains the design.
"""
