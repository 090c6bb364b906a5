"""Text as reportgen prints it for people: one line per message, and nothing of the
data that a terminal would take for a command (ESC sequences that move the cursor,
retitle the window or rewrite what was printed; bidi controls that reorder a line)."""
from __future__ import annotations

import re

# C0 and C1 controls but tab, DEL, and the bidi controls
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """Given text bound for a terminal, return it with every control character shown
    as an escape (ESC as \\x1b, a line break as \\n) and unpaired surrogates as \\udxxx."""
    text = _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
