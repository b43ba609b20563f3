"""Near-duplicate detection for syndicated copies: 64-bit SimHash over word 3-shingles.

Copies within ``MAX_DISTANCE`` bits are linked to each other, never merged. Candidates are found
through four 16-bit bands: two hashes within 3 bits share at least one band exactly.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from dashboard.textnorm import normalise_for_search

MAX_DISTANCE = 3
BANDS = 4
_WORD = re.compile(r"\w+")


def simhash(text: str) -> int:
    """64-bit SimHash of the normalised word 3-shingles of ``text``."""
    words = _WORD.findall(normalise_for_search(text))
    if len(words) < 3:
        words = words + [""] * (3 - len(words))
    digests = b"".join(
        hashlib.blake2b(" ".join(words[i : i + 3]).encode(), digest_size=8).digest()
        for i in range(len(words) - 2)
    )
    # One row of 64 bits per shingle (big-endian, most significant bit first); a bit of the
    # fingerprint is set when most shingles set it.
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8), axis=1)
    majority = bits.sum(axis=0) * 2 > bits.shape[0]
    return int.from_bytes(np.packbits(majority).tobytes(), "big")


def bands(value: int) -> list[int]:
    """The four 16-bit bands of a hash, as (band_number << 16 | bits) keys."""
    return [(b << 16) | ((value >> (16 * b)) & 0xFFFF) for b in range(BANDS)]


def distance(a: int, b: int) -> int:
    """Hamming distance between two hashes."""
    return (a ^ b).bit_count()


def to_hex(value: int) -> str:
    return f"{value:016x}"


def from_hex(value: str) -> int:
    return int(value, 16)
