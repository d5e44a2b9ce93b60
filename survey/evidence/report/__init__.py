"""The management-review report (PDF, A4, Vietnamese)."""
