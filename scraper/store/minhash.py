"""MinHash signatures of the word shingles of a folded body, and the LSH bands cut from them.

A body's words are the runs of word characters (those ``\\w`` matches), punctuation and
paragraph breaks ignored; its shingles are the overlapping runs of ``SHINGLE_WORDS`` words. Each
shingle is hashed to 32 bits, in one of two ways, named by the ``hash`` parameter an index
records:

- ``words64`` (indexes made since the hashing was vectorised): every word hashed from its code
  points, a shingle from its words' hashes, all in a few array operations over the whole body;
- ``crc32`` (indexes made before): CRC-32 of each shingle's UTF-8 bytes, then MurmurHash3's
  finalizer, as datasketch 2.0's MinHash computes it. A shingle at a time, in Python, it took
  twice as long as the rest of the clustering of a record.

Both are then permuted ``NUM_PERM`` ways (h -> a * h + b mod 2^32, as datasketch draws ``a`` and
``b`` from ``SEED``) and the least value of each permutation kept.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from itertools import accumulate

import numpy as np

#: Words per shingle: three keeps a changed word from touching more than three shingles.
SHINGLE_WORDS = 3
#: MinHash permutations: the standard error of the Jaccard estimate is 0.03 near 0.85.
NUM_PERM = 128
SEED = 1
WORDS64 = "words64"
CRC32 = "crc32"
#: LSH band weights (false positive, false negative): favour recall, as every candidate is then
#: checked against its estimated Jaccard similarity.
LSH_WEIGHTS = (0.1, 0.9)

_WORD = re.compile(r"\w+")
#: The "affine32" permutations h -> a * h + b (mod 2^32), ``a`` odd, drawn as datasketch draws
#: them from ``SEED``.
_PERMUTATIONS = np.random.RandomState(SEED)
_A = _PERMUTATIONS.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
_B = _PERMUTATIONS.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)


def _odd_multipliers(seed: int, count: int) -> np.ndarray:
    """``count`` fixed odd 64-bit multipliers (fixed: what they made is stored)."""
    drawn = np.random.RandomState(seed).randint(0, 1 << 63, count, dtype=np.uint64)
    return drawn * np.uint64(2) + np.uint64(1)  # type: ignore[no-any-return]


#: One multiplier per row of an LSH band, for `band_keys`.
_ROW_MULTIPLIERS = _odd_multipliers(SEED + 1, NUM_PERM)
#: One multiplier per character position in a word (modulo 64), for `word_hashes`.
_CHARACTER_MULTIPLIERS = _odd_multipliers(SEED + 2, 64)
#: One multiplier per word position in a shingle, for the ``words64`` shingle hashes.
_WORD_MULTIPLIERS = _odd_multipliers(SEED + 3, SHINGLE_WORDS)
#: Gauss-Legendre nodes and weights on [-1, 1]: they integrate the LSH error polynomials
#: (degree rows x bands <= NUM_PERM) exactly.
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(NUM_PERM // 2 + 1)
_LAST_BMP = 0xFFFF
#: Shingles permuted in one array operation (its NUM_PERM x 4 bytes each bound the memory).
PERMUTED_AT_ONCE = 1 << 14
#: The 32-bit hash of each shingle of some bodies, one body after the other, and how many each
#: body has (at least one).
ShingleHashes = tuple[np.ndarray, np.ndarray]


def _shingles(body_search: Iterable[str]) -> Iterable[bytes]:
    """The word shingles of a folded body in order, UTF-8 encoded (repeats kept)."""
    words = " ".join(_WORD.findall(" ".join(body_search))).encode().split(b" ")
    if len(words) <= SHINGLE_WORDS:
        return [b" ".join(words)]
    return map(b" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False))


def shingles(body_search: Iterable[str]) -> set[bytes]:
    """Word shingles of a folded body, paragraph breaks and punctuation ignored.

    A body shorter than a shingle is one shingle (an empty body the empty one).
    """
    return set(_shingles(body_search))


@cache
def _bmp_word_characters() -> np.ndarray:
    """Whether each code point of the Basic Multilingual Plane is one ``\\w`` matches."""
    return np.fromiter(
        (chr(point).isalnum() or point == ord("_") for point in range(_LAST_BMP + 1)),
        dtype=bool,
        count=_LAST_BMP + 1,
    )


def _in_words(points: np.ndarray) -> np.ndarray:
    """Whether each code point is a word character; the rare ones beyond the BMP one by one."""
    if not points.size or points.max() <= _LAST_BMP:
        return _bmp_word_characters()[points]  # type: ignore[no-any-return]
    in_word = _bmp_word_characters()[np.minimum(points, _LAST_BMP)]
    for position in np.flatnonzero(points > _LAST_BMP):
        in_word[position] = chr(points[position]).isalnum()
    return in_word


def _words(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The offset (in code points) and the 64-bit hash of each word of ``text`` (each match of
    ``\\w+``), in order: the hash is the sum of its code points, each times the multiplier of
    its position in the word."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    in_word = _in_words(points)
    starts = np.flatnonzero(in_word & ~np.concatenate(([False], in_word[:-1])))
    if not starts.size:
        return starts, np.empty(0, dtype=np.uint64)
    word_start = np.zeros(len(points), dtype=np.intp)
    word_start[starts] = starts
    offsets = np.arange(len(points)) - np.maximum.accumulate(word_start)
    weighted = (points * in_word) * _CHARACTER_MULTIPLIERS[offsets & 63]
    return starts, np.add.reduceat(weighted, starts)


def word_hashes(text: str) -> np.ndarray:
    """The 64-bit hash of each word of ``text``, in order."""
    return _words(text)[1]


_MIX_SHIFTS = (np.uint64(30), np.uint64(27), np.uint64(31))
_MIX_MULTIPLIERS = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))
_HIGH_HALF = np.uint64(32)


def _mix64(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finalizer, in place: every bit of the result depends on every input bit."""
    first_shift, second_shift, third_shift = _MIX_SHIFTS
    first_multiplier, second_multiplier = _MIX_MULTIPLIERS
    values ^= values >> first_shift
    values *= first_multiplier
    values ^= values >> second_shift
    values *= second_multiplier
    values ^= values >> third_shift
    return values


def word_shingle_hashes(bodies: Sequence[Sequence[str]]) -> ShingleHashes:
    """The ``words64`` hash of each shingle of each body: its words' hashes, each times the
    multiplier of its place in the shingle, summed and mixed; the high 32 bits. A body shorter
    than a shingle is one shingle (the missing words count as hash 0). All the bodies at once:
    their texts are joined, and each body's words followed by ``SHINGLE_WORDS`` zeros."""
    texts = [" ".join(body) for body in bodies]
    starts, words = _words("\n".join(texts))
    ends = list(accumulate(len(text) + 1 for text in texts))  # each text, the newline after it
    body_of_word = np.searchsorted(ends, starts, side="right")
    padded = np.zeros(len(words) + SHINGLE_WORDS * len(texts), dtype=np.uint64)
    padded[body_of_word * SHINGLE_WORDS + np.arange(len(words))] = words
    summed = padded[: 1 - SHINGLE_WORDS] * _WORD_MULTIPLIERS[0]  # a shingle at every slot
    for place in range(1, SHINGLE_WORDS):
        summed += padded[place : len(padded) - SHINGLE_WORDS + 1 + place] * _WORD_MULTIPLIERS[place]
    per_body, slot = [], 0
    for words_in_body in np.bincount(body_of_word, minlength=len(texts)).tolist():
        per_body.append(summed[slot : slot + max(words_in_body - (SHINGLE_WORDS - 1), 1)])
        slot += words_in_body + SHINGLE_WORDS
    mixed = _mix64(np.concatenate(per_body))
    return (mixed >> _HIGH_HALF).astype(np.uint32), np.array([len(h) for h in per_body])


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer, which datasketch applies to each hash before permuting it."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))  # type: ignore[no-any-return]


def crc32_shingle_hashes(bodies: Sequence[Sequence[str]]) -> ShingleHashes:
    """The ``crc32`` hash of each shingle of each body: datasketch 2.0's, with
    ``hashfunc=zlib.crc32``."""
    per_body = [np.fromiter(map(zlib.crc32, _shingles(body)), dtype=np.uint32) for body in bodies]
    counts = np.array([len(hashes) for hashes in per_body], dtype=np.intp)
    return _fmix32(np.concatenate(per_body)), counts


#: The shingle hashes by the name an index records.
SHINGLE_HASHES: dict[str, Callable[[Sequence[Sequence[str]]], ShingleHashes]] = {
    WORDS64: word_shingle_hashes,
    CRC32: crc32_shingle_hashes,
}


def signature(body_search: Sequence[str], shingle_hash: str = WORDS64) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint32 values) of a folded body."""
    return signatures([body_search], shingle_hash)[0]  # type: ignore[no-any-return]


def signatures(bodies: Sequence[Sequence[str]], shingle_hash: str = WORDS64) -> np.ndarray:
    """The MinHash signatures of folded bodies, one row each: their shingles hashed the
    ``shingle_hash`` way, then permuted ``NUM_PERM`` ways and the least of each kept, a few
    array operations for up to ``PERMUTED_AT_ONCE`` shingles."""
    rows = np.empty((len(bodies), NUM_PERM), dtype=np.uint32)
    if not bodies:
        return rows
    hashes, counts = SHINGLE_HASHES[shingle_hash](bodies)
    bounds = [0, *accumulate(counts.tolist())]  # body i: hashes[bounds[i] : bounds[i + 1]]
    first = 0
    while first < len(bodies):
        last = first + 1
        while last < len(bodies) and bounds[last + 1] - bounds[first] <= PERMUTED_AT_ONCE:
            last += 1
        permuted = np.multiply.outer(_A, hashes[bounds[first] : bounds[last]])
        permuted += _B[:, np.newaxis]  # one row per permutation: the least of each run is SIMD
        body_starts = [bound - bounds[first] for bound in bounds[first:last]]
        rows[first:last] = np.minimum.reduceat(permuted, body_starts, axis=1).T
        first = last
    return rows


@cache
def lsh_bands(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) for ``threshold``, computed once per threshold: of every split of
    ``NUM_PERM`` values, the one with the least weighted probability of a false positive and a
    false negative (as datasketch's MinHashLSH chooses it)."""
    splits = np.array([(b, r) for b in range(1, NUM_PERM + 1) for r in range(1, NUM_PERM // b + 1)])
    bands, rows = splits[:, :1], splits[:, 1:]

    def missed(similarity: np.ndarray) -> np.ndarray:  # P(no band equal), per split
        return (1 - similarity**rows) ** bands  # type: ignore[no-any-return]

    false_positive = _integral(lambda s: 1 - missed(s), 0.0, threshold)
    false_negative = _integral(missed, threshold, 1.0)
    weight_fp, weight_fn = LSH_WEIGHTS
    best = np.argmin(weight_fp * false_positive + weight_fn * false_negative)
    return int(splits[best, 0]), int(splits[best, 1])


def _integral(function: Callable[[np.ndarray], np.ndarray], low: float, high: float) -> np.ndarray:
    """The integral of ``function`` (of an array of points, one row of values per split) from
    ``low`` to ``high``, by Gauss-Legendre quadrature."""
    half = (high - low) / 2
    return half * function(low + half * (_NODES + 1)) @ _WEIGHTS  # type: ignore[no-any-return]


def band_keys(bands: np.ndarray) -> np.ndarray:
    """The key of each band (the last axis of ``bands`` holds its uint32 values): the values
    times odd 64-bit multipliers, summed, then mixed by SplitMix64's finalizer, as a signed
    64-bit integer (SQLite's). All the bands in a few array operations: fourteen BLAKE2b digests
    took ten times as long. Equal values give equal keys; a collision of other values only adds
    a candidate, which the Jaccard check turns down."""
    keys = (bands.astype(np.uint64) * _ROW_MULTIPLIERS[: bands.shape[-1]]).sum(axis=-1)
    return _mix64(keys).view(np.int64)
