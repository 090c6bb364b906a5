"""A `--jobs 2` batch stopped from outside (issue 9): its workers end with it, Ctrl-C
stops it promptly with exit 130, and no temporary file outlives the next run."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SAMPLES
from reportgen.model import document_to_dict
from reportgen.readers import read_file

EXE = Path(sys.executable).with_name("reportgen")


def batch_file(tmp_path: Path, count: int = 2000) -> Path:  # a few seconds of PDFs
    base = document_to_dict(read_file(SAMPLES[0]).documents[0])
    docs = [dict(base, project=f"{base['project']}{i}") for i in range(count)]
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    return path


def start(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    out = tmp_path / "out"
    command = [str(EXE), "render", str(batch_file(tmp_path)), "-o", str(out), "--jobs", "2", "--to", "pdf"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.pdf"))) < 4:
        time.sleep(0.1)
    assert process.poll() is None, "the batch ended before it could be stopped"
    return process, out


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads /proc")
def test_workers_die_with_a_killed_parent_and_the_next_run_removes_the_debris(tmp_path):
    process, out = start(tmp_path)
    workers = children(process.pid)
    assert len(workers) == 2
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(alive(w) for w in workers)
    done = subprocess.run([str(EXE), "render", str(SAMPLES[0]), "-o", str(out), "--to", "pdf"],
                          capture_output=True, text=True)
    assert done.returncode == 0
    assert list(out.glob(".*.part")) == []


@pytest.mark.parametrize("signum, status, word", [(signal.SIGINT, 130, "interrupted"),
                                                  (signal.SIGTERM, 143, "terminated")])
def test_ctrl_c_or_sigterm_stops_the_batch_promptly_and_keeps_what_was_done(tmp_path, signum, status, word):
    process, out = start(tmp_path)
    workers = children(process.pid)
    # Ctrl-C reaches the whole foreground group; SIGTERM, as kill sends it, the parent
    os.killpg(process.pid, signum) if signum == signal.SIGINT else os.kill(process.pid, signum)
    try:
        returncode = process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    err = process.stderr.read()
    assert returncode == status
    assert "Traceback" not in err and f"reportgen: {word}; the files finished before are kept" in err
    time.sleep(0.5)
    assert not any(alive(w) for w in workers)
    assert list(out.glob(".*.part")) == []
    written = list(out.glob("*.pdf"))
    assert 4 <= len(written) < 200
    for pdf in written:
        assert subprocess.run(["pdfinfo", str(pdf)], capture_output=True).returncode == 0
