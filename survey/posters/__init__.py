"""Printable posters: QR + names → PDF (layout.py draws, pages.py places,
service.py picks the survey points and writes the file)."""
