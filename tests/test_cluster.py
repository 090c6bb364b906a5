"""`--cluster`: render, summary and check on the workers of a real Dask cluster (a
LocalCluster of two worker processes), the same files as a local run; a worker killed
mid-batch loses no document; outputs to a URL through fsspec."""
from __future__ import annotations

import io
import os
import re
import signal
import threading
import time
from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import SAMPLES, pdf_text
from reportgen.cli import main

distributed = pytest.importorskip("distributed", reason="Dask's distributed is in the test extras")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
INPUTS = [next(SEEDS.glob("000_*.txt")), next(SEEDS.glob("003_*.txt")), SAMPLES[0]]  # 25 + 24 + 1


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=50) as local:
        yield local


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(args, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def contents(path: Path):
    """What a file holds, as a reader sees it: a PDF's text, a DOCX's paragraphs and
    table cells, an XLSX's cell values."""
    if path.suffix == ".pdf":
        return pdf_text(path)
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        return ([p.text for p in document.paragraphs],
                [[cell.text for cell in row.cells] for table in document.tables for row in table.rows])
    workbook = openpyxl.load_workbook(path)
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
            for sheet in workbook.worksheets}


def test_render_on_the_cluster_makes_the_files_a_local_run_makes(cluster, tmp_path):
    status, _, local_err = run(["render", *map(str, INPUTS), "-o", str(tmp_path / "local"), "--jobs", "2"])
    assert status == 0
    status, _, err = run(["render", *map(str, INPUTS), "-o", str(tmp_path / "cluster"),
                          "--cluster", cluster.scheduler_address])
    assert status == 0, err
    assert "50 documents, 150 files written" in err
    local, remote = sorted((tmp_path / "local").iterdir()), sorted((tmp_path / "cluster").iterdir())
    assert [p.name for p in local] == [p.name for p in remote] and len(remote) == 150
    for mine, theirs in zip(local, remote):
        assert contents(mine) == contents(theirs), mine.name


def test_summary_and_check_on_the_cluster_agree_with_a_local_run(cluster, tmp_path):
    for where, extra in (("local", []), ("cluster", ["--cluster", cluster.scheduler_address])):
        status, _, err = run(["summary", *map(str, INPUTS), "-o", str(tmp_path / where), "--to", "pdf,xlsx", *extra])
        assert status == 0, err
    local, remote = sorted((tmp_path / "local").iterdir()), sorted((tmp_path / "cluster").iterdir())
    assert [p.name for p in local] == [p.name for p in remote] and len(remote) == 4
    for mine, theirs in zip(local, remote):
        assert contents(mine) == contents(theirs), mine.name
    local_check = run(["check", *map(str, INPUTS)])
    cluster_check = run(["check", *map(str, INPUTS), "--cluster", cluster.scheduler_address])
    assert cluster_check[:2] == local_check[:2] and local_check[1].count("\n") > 10
    assert cluster_check[2].splitlines()[-1] == local_check[2].splitlines()[-1]


def test_a_worker_killed_mid_batch_loses_no_document(cluster, tmp_path):
    """The scheduler runs the killed worker's jobs again elsewhere; what could not be
    done is an error naming the file. Either way the closing line counts every file."""
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)
    pids = sorted(client.run(os.getpid).values())
    out = tmp_path / "out"
    result: list = []
    command = ["render", *map(str, INPUTS), "-o", str(out), "--pdf-engine", "weasyprint",
               "--cluster", cluster.scheduler_address]  # WeasyPrint: slow enough to kill in time
    worker = threading.Thread(target=lambda: result.append(run(command)))
    worker.start()
    deadline = time.monotonic() + 60
    while not (out.exists() and len(list(out.glob("*.pdf"))) >= 5) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(pids[0], signal.SIGKILL)
    worker.join(300)
    client.close()
    status, _, err = result[0]
    written = int(re.search(r"(\d+) files written", err).group(1))
    failed = err.count("Error: ")
    assert written + failed == 150, err
    assert written == len([p for p in out.iterdir() if not p.name.startswith(".")])
    assert "50 documents" in err
    assert status == (2 if failed else 0)


def test_outputs_go_to_any_fsspec_url(tmp_path):
    fsspec = pytest.importorskip("fsspec")
    status, _, err = run(["render", str(SAMPLES[0]), "-o", "memory://forms/2024", "--to", "pdf,xlsx", "--jobs", "1"])
    assert status == 0, err
    memory = fsspec.filesystem("memory")
    names = sorted(Path(p).name for p in memory.ls("/forms/2024", detail=False))
    assert len(names) == 2 and names[0].endswith(".pdf") and names[1].endswith(".xlsx")
    with memory.open(f"/forms/2024/{names[0]}", "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_a_cluster_that_is_not_there_is_a_clear_error(tmp_path):
    status, _, err = run(["render", str(SAMPLES[0]), "-o", str(tmp_path), "--cluster", "tcp://127.0.0.1:9"])
    assert status == 2
    assert "tcp://127.0.0.1:9" in err and "no Dask scheduler" in err


def test_a_local_worker_killed_mid_batch_fails_its_documents_and_the_batch_goes_on(tmp_path):
    """Without a cluster: the jobs the dead worker's pool held fail, each file named, and
    a new pool renders the rest."""
    import multiprocessing

    out = tmp_path / "out"
    result: list = []
    command = ["render", *map(str, INPUTS), "-o", str(out), "--to", "pdf", "--pdf-engine", "weasyprint",
               "--jobs", "2"]
    before = {p.pid for p in multiprocessing.active_children()}  # the cluster's, of the other tests
    worker = threading.Thread(target=lambda: result.append(run(command)))
    worker.start()
    deadline = time.monotonic() + 60
    while not (out.exists() and len(list(out.glob("*.pdf"))) >= 3) and time.monotonic() < deadline:
        time.sleep(0.05)
    victims = [p for p in multiprocessing.active_children() if p.is_alive() and p.pid not in before]
    assert victims
    os.kill(victims[0].pid, signal.SIGKILL)
    worker.join(300)
    status, _, err = result[0]
    written = int(re.search(r"(\d+) files written", err).group(1))
    failed = err.count("Error: ")
    assert written + failed == 50 and failed >= 1, err
    assert "the worker rendering" in err
    assert written == len([p for p in out.iterdir() if not p.name.startswith(".")])
    assert status == 2
