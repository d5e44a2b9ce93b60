"""Neutralising untrusted text for spreadsheets (CSV and XLSX).

A cell that starts with = + - @ or a tab / carriage return can be run as a
formula by Excel, LibreOffice or Google Sheets (`=HYPERLINK(...)`, DDE).
Prefixing a single quote makes every spreadsheet show it as plain text.
"""

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Return text safe for a spreadsheet cell; other types pass through."""
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        return "'" + value
    return value


def neutralise_row(values) -> list:
    # The test of neutralise() inlined: a pack calls this for every raw cell.
    return ["'" + v if isinstance(v, str) and v.startswith(DANGEROUS_STARTS) else v for v in values]
