"""RFC 6962 Merkle tree hash, computed in one pass with O(log n) memory.

MTH of n leaves splits at the largest power of two below n; folding a stack
of perfect subtrees from the right gives exactly that value, so a million
leaves need no recursion and no list of all hashes.
"""

import hashlib

EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class TreeBuilder:
    """Feed leaf hashes in order; ask for the root of what was fed so far."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (height, hash), heights decreasing

    def add(self, leaf: bytes) -> None:
        height, value = 0, leaf
        while self._stack and self._stack[-1][0] == height:
            _, left = self._stack.pop()
            value = node_hash(left, value)
            height += 1
        self._stack.append((height, value))
        self.size += 1

    def root(self) -> str:
        if not self._stack:
            return EMPTY_ROOT
        value = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            value = node_hash(left, value)
        return value.hex()


def root_of(leaves: list[bytes]) -> str:
    builder = TreeBuilder()
    for leaf in leaves:
        builder.add(leaf)
    return builder.root()


def reference_root(leaves: list[bytes]) -> bytes:
    """The recursive definition from RFC 6962 §2.1, kept to test TreeBuilder."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    split = 1
    while split * 2 < len(leaves):
        split *= 2
    return node_hash(reference_root(leaves[:split]), reference_root(leaves[split:]))
