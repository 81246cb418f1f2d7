"""Text normalisation shared by indexing and querying, and the n-gram forms the search tables hold.

Index and query must go through exactly the same `normalize()` or substrings stop matching, so it
lives in one place. NFKC folds full-width letters, digits and brackets to their ASCII forms;
casefold removes case; whitespace, control and private-use characters are dropped (private-use
code points are reserved for the START/END markers below).
"""

from __future__ import annotations

import unicodedata

# Private-use markers wrapped around every indexed field: "START + q" only occurs at the start of a
# field and "START + q + END" only for a whole field, so prefix and exact matches become plain
# substring matches that the FTS tables answer in rank order.
START = "\ue000"
END = "\ue001"

_DROPPED_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn"})


def normalize(text: str) -> str:
    """Return `text` in the canonical form both the index and queries use."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if folded.isascii():
        # Fast path for pinyin queries: only ASCII whitespace and control characters to drop.
        return "".join(ch for ch in folded if ch.isprintable() and not ch.isspace())
    return "".join(ch for ch in folded if unicodedata.category(ch) not in _DROPPED_CATEGORIES)


def wrap(text: str) -> str:
    """`text` between the START and END markers (one field as the FTS tables store it)."""
    return START + text + END


def bigrams(text: str) -> str:
    """Space-separated overlapping character pairs of `text`, the token stream of the bigram table.

    Every character of a wrapped field starts at least one pair (the last one pairs with END), so a
    one-character query is a 1-character prefix query over these tokens.
    """
    return " ".join(text[i : i + 2] for i in range(len(text) - 1))
