"""Short, unguessable public codes for survey points.

Upper-case letters and digits only, so the whole URL fits QR alphanumeric
mode; ambiguous characters (0/O, 1/I/L) are left out for people who type it.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8  # 31**8 ≈ 8.5e11 possibilities


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(code: str) -> str:
    return code.strip().upper()


def looks_valid(code: str) -> bool:
    return 4 <= len(code) <= 16 and all(ch in ALPHABET for ch in code)
