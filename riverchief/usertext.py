"""Text a person types (a reason, a note), made safe to keep and to show: control characters and the invisible
direction marks that reorder what a reader sees (U+202E …) are dropped, and each field has a length limit that
the server enforces whatever the page allowed (pure, no UI)."""
from __future__ import annotations

import unicodedata

REASON_MAX = 500  # a reason, a note, a return or override reason: a paragraph, not a file


def clean(value, limit: int = REASON_MAX, what: str = "说明") -> str:
    """The text without control or format characters (line breaks kept), stripped; ValueError (Chinese) when it is
    longer than `limit` characters."""
    text = "" if value is None else str(value)
    kept = "".join(c for c in text if c in "\n" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co"))
    kept = kept.strip()
    if len(kept) > limit:
        raise ValueError(f"{what}最长{limit}个字，现有{len(kept)}个字，请精简后再提交")
    return kept
