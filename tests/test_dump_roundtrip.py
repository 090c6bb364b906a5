"""Round trip: every sample written as a dump in the seeds' style, with any mix of the
dump quirks, reads back as the same document."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLES, load_sample
from dumpwriter import Quirks, write_dump
from reportgen.model import document_to_dict
from reportgen.readers.text import read_text as read_dump_text

DOCS = {path.stem: load_sample(path) for path in SAMPLES}


def read_back(text: str) -> dict:
    result = read_dump_text("roundtrip.txt", text)
    assert not result.errors, result.errors
    (doc,) = result.documents
    data = document_to_dict(doc)
    data.pop("source"), data.pop("warnings")
    return data


def as_written(stem: str) -> dict:
    data = document_to_dict(DOCS[stem])
    data.pop("source"), data.pop("warnings")
    return data


@pytest.mark.parametrize("stem", sorted(DOCS))
def test_plain_dump_reads_back(stem):
    assert read_back(write_dump(DOCS[stem])) == as_written(stem)


@settings(max_examples=150, deadline=None)
@given(stem=st.sampled_from(sorted(DOCS)),
       quirks=st.builds(Quirks, shift=st.booleans(), wrap_labels=st.booleans(),
                        broken_levels=st.booleans(), latex=st.booleans(),
                        thousands=st.booleans(), missing_title=st.booleans(),
                        markdown=st.booleans(), seed=st.integers(0, 10_000)))
def test_dump_with_quirks_reads_back(stem, quirks):
    assert read_back(write_dump(DOCS[stem], quirks)) == as_written(stem)
