"""Fuzzing the dump reader: 10,000 random mutations of the seeds never raise an
uncaught exception; each ends in documents (with warnings) or a clear error."""
from __future__ import annotations

import random
from pathlib import Path

from reportgen.errors import InputError
from reportgen.model import document_from_dict, document_to_dict
from reportgen.readers.decoding import decode
from reportgen.readers.text import read_text as read_dump_text

SEEDS = [p.read_bytes() for p in sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))]
MUTATIONS = 10_000


def window(rng: random.Random) -> list[bytes]:
    """About one or two forms of a seed, from a random line on."""
    lines = rng.choice(SEEDS).split(b"\n")
    start = rng.randrange(len(lines))
    return lines[start:start + rng.randint(1, 60)]


def mutate(rng: random.Random, lines: list[bytes]) -> bytes:
    for _ in range(rng.randint(1, 4)):
        if not lines:
            break
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        kind = rng.randrange(6)
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(j, lines[i])
        elif kind == 2:
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 3:
            lines = lines[:i]
        elif kind == 4:
            at = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + lines[i][at:]
        else:
            at = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:at] + b"\t" * rng.randint(1, 3) + lines[i][at:]
    return b"\n".join(lines)


def test_random_mutations_end_in_documents_or_a_clear_error():
    rng = random.Random(20241122)
    outcomes = {"documents": 0, "errors only": 0, "unreadable": 0}
    for n in range(MUTATIONS):
        data = mutate(rng, window(rng))
        try:
            text, note = decode(data, f"fuzz-{n}.txt")
        except InputError as exc:
            assert str(exc).startswith(f"fuzz-{n}.txt")
            outcomes["unreadable"] += 1
            continue
        result = read_dump_text(f"fuzz-{n}.txt", text, note)
        assert result.documents or result.errors
        for error in result.errors:
            assert str(error).startswith(f"fuzz-{n}.txt")
        for doc in result.documents:
            assert document_from_dict(document_to_dict(doc)) == doc  # a valid document
        outcomes["documents" if result.documents else "errors only"] += 1
    assert outcomes["documents"] > MUTATIONS // 4, outcomes
