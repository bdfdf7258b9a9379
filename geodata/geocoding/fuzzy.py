"""Exact and one-typo look-up of squashed keys (symmetric deletion neighbourhood, SymSpell-like).

Every indexed key is stored with all the strings obtained by deleting one of its characters.
A query matches a key within one edit (insertion, deletion, substitution or transposition of
two adjacent letters) exactly when the query, or one of its one-deletion strings, equals the
key or one of the key's one-deletion strings. Candidates are then checked with the real
(optimal string alignment) distance, which also removes hash collisions.

To stay compact (~40 000 commune names give ~450 000 deletion strings), the deletion
strings are not kept: only their 64-bit ``hash()`` values in a sorted ``array('q')`` and
the matching entry numbers in a parallel ``array('i')``. Python's string hash is stable
within a process, and the index is rebuilt in each process. About 12 bytes per deletion
string, 5 to 6 MB for the whole of France.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

_ENTRY_BITS = 24
_ENTRY_MASK = (1 << _ENTRY_BITS) - 1
_HASH_OFFSET = 1 << 63
MIN_TYPO_KEY_LENGTH = 4
"""Shorter keys ("eu", "y", "bry") only match exactly: one edit would change them too much."""


def deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def osa_distance(a: str, b: str, limit: int = 1) -> int:
    """Optimal string alignment distance (a swap of two neighbours counts 1), capped at
    ``limit + 1``: the work stops as soon as the distance exceeds ``limit``."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if limit == 1:
        return 1 if _one_edit_apart(a, b) else 2
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _one_edit_apart(a: str, b: str) -> bool:
    """One insertion, deletion, substitution or swap of neighbours turns ``a`` into ``b``
    (two different strings whose lengths differ by at most one)."""
    if len(a) > len(b):
        a, b = b, a
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) < len(b):
        return a[start:] == b[start + 1 :]
    if a[start + 1 :] == b[start + 1 :]:
        return True
    return (
        start + 1 < len(a)
        and a[start] == b[start + 1]
        and a[start + 1] == b[start]
        and a[start + 2 :] == b[start + 2 :]
    )


class FuzzyIndex:
    """Finds, among indexed keys, those equal to a query or one edit away from it.

    Entry numbers are the positions of the keys in the sequence given to the constructor;
    the same key may appear several times (homonyms), each with its own entry number.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        if len(keys) > _ENTRY_MASK:
            raise ValueError("too many keys for one index")
        self._keys = list(keys)
        self._exact: dict[str, list[int]] = {}
        packed: list[int] = []
        for entry, key in enumerate(self._keys):
            if not key:
                continue
            self._exact.setdefault(key, []).append(entry)
            if len(key) >= MIN_TYPO_KEY_LENGTH:
                packed.extend(
                    ((hash(variant) + _HASH_OFFSET) << _ENTRY_BITS) | entry
                    for variant in {key, *deletions(key)}
                )
        packed.sort()  # one int per (hash, entry): sorts ~10 times faster than tuples
        self._hashes = array("q", ((value >> _ENTRY_BITS) - _HASH_OFFSET for value in packed))
        self._entries = array("i", (value & _ENTRY_MASK for value in packed))

    def __len__(self) -> int:
        return len(self._keys)

    def key(self, entry: int) -> str:
        return self._keys[entry]

    def exact(self, key: str) -> list[int]:
        return list(self._exact.get(key, ()))

    def within_one_edit(self, key: str) -> list[tuple[int, int]]:
        """(entry, distance) pairs with distance 0 or 1, exact ones first."""
        found = [(entry, 0) for entry in self._exact.get(key, ())]
        if len(key) < MIN_TYPO_KEY_LENGTH - 1:
            return found  # a 3-letter query may still be a 4-letter key with a letter missing
        candidates: set[int] = set()
        for variant in {key, *deletions(key)}:
            wanted = hash(variant)
            start = bisect_left(self._hashes, wanted)
            end = bisect_right(self._hashes, wanted, lo=start)
            candidates.update(self._entries[start:end])
        typos = sorted(
            entry
            for entry in candidates
            if self._keys[entry] != key and osa_distance(key, self._keys[entry]) == 1
        )
        return found + [(entry, 1) for entry in typos]
