"""What reportgen writes and prints, attacked (issue 9): names, terminals, file modes,
full disks, leftovers of killed runs, templates that reach outside their folder."""
from __future__ import annotations

import http.server
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from conftest import SAMPLES
from reportgen.cli import main
from reportgen.model import document_to_dict
from reportgen.naming import safe_stem
from reportgen.readers import read_file
from reportgen.writers import remove_stale_parts

GOOD = SAMPLES[0]
ESC = "\x1b"


def sample_with(**fields) -> dict:
    data = document_to_dict(read_file(GOOD).documents[0])
    data.update(fields)
    return data


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_data_never_reaches_the_terminal_as_escape_sequences(tmp_path, capsys):
    evil = f"{ESC}]0;pwned{chr(7)}{ESC}[2J项目"
    path = write_json(tmp_path / "evil.json", sample_with(project=evil, kind=f"x{ESC}[31m"))
    dump = tmp_path / "evil.txt"
    dump.write_text(GOOD.read_text(encoding="utf-8")[:10] + f"\n{ESC}[31mred line\n", encoding="utf-8")
    main(["render", str(path), str(dump), "-o", str(tmp_path / "out")])
    main(["check", str(write_json(tmp_path / "evil2.json", sample_with(project=evil)))])
    printed = capsys.readouterr()
    assert ESC not in printed.out + printed.err and chr(7) not in printed.out + printed.err
    assert "\\x1b" in printed.err + printed.out


@pytest.mark.parametrize("name", ["控制\x01字符\x1f项目", "长" * 300, "RTL\u202efdp.exe"])
def test_any_project_name_gives_valid_files(tmp_path, name):
    path = write_json(tmp_path / "odd.json", sample_with(project=name))
    out = tmp_path / "out"
    assert main(["render", str(path), "-o", str(out)]) == 0
    files = sorted(out.iterdir())
    assert len(files) == 3
    assert all("\u202e" not in f.name and not any(ord(c) < 32 for c in f.name) for f in files)
    docx.Document(str(next(out.glob("*.docx"))))  # opens: valid
    assert openpyxl.load_workbook(next(out.glob("*.xlsx"))).active.title


@pytest.mark.parametrize("stem, expected", [("CON", "_CON"), ("a\x07b", "a_b"), ("x" * 245, "x" * 200),
                                            ("RTL\u202efdp.exe", "RTLfdp.exe")])
def test_combined_files_are_named_by_the_same_rule(tmp_path, stem, expected):
    assert safe_stem(stem) == expected
    path = write_json(tmp_path / f"{stem}.json", sample_with())
    out = tmp_path / "out"
    assert main(["render", str(path), "-o", str(out), "--combine", "--to", "pdf"]) == 0
    assert [p.name for p in out.iterdir()] == [f"{expected}.pdf"]


def test_files_honour_the_umask(tmp_path):
    out = tmp_path / "out"
    assert main(["render", str(GOOD), "-o", str(out), "--to", "xlsx"]) == 0
    (written,) = out.iterdir()
    umask = os.umask(0)
    os.umask(umask)
    assert written.stat().st_mode & 0o777 == 0o666 & ~umask


def _small_file_limit() -> None:
    """In the child: files may not grow past 4 kB, and writing past it fails with an
    error (as on a full disk) instead of killing the process."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4_000, 4_000))


def test_a_full_disk_is_one_error_line_per_file_and_no_debris(tmp_path):
    out = tmp_path / "out"
    exe = Path(sys.executable).with_name("reportgen")
    done = subprocess.run([str(exe), "render", *map(str, SAMPLES[:3]), "-o", str(out), "--jobs", "1",
                           "--to", "docx,xlsx"], capture_output=True, text=True, preexec_fn=_small_file_limit)
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 6 and all("File too large" in line for line in errors)
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
    assert list(out.iterdir()) == []


def test_a_later_run_removes_what_a_killed_run_left(tmp_path):
    dead = tmp_path / ".x.pdf.999999999.abcd.part"  # no such process
    alive = tmp_path / f".x.pdf.{os.getpid()}.abcd.part"  # a run still going
    foreign = tmp_path / ".notes.part"
    for path in (dead, alive, foreign):
        path.write_bytes(b"half")
    assert remove_stale_parts(tmp_path) == [dead]
    assert alive.exists() and foreign.exists()
    assert main(["render", str(GOOD), "-o", str(tmp_path), "--to", "xlsx"]) == 0
    assert not dead.exists()


def test_a_missing_template_folder_is_an_error(tmp_path, capsys):
    assert main(["render", str(GOOD), "-o", str(tmp_path), "--templates", str(tmp_path / "nope")]) == 2
    assert f"Error: --templates {tmp_path / 'nope'}: no such folder" in capsys.readouterr().err


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the handler's name)
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


def test_a_users_page_template_is_used_and_reaches_no_url_nor_file(tmp_path, capsys):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    shipped = (Path(__file__).parent.parent / "templates" / "page.html.j2").read_text(encoding="utf-8")
    own = shipped.replace("<body>", f'<body><p>OWN PAGE TEMPLATE</p><img src="{url}/a.png">'
                                    f'<link rel="stylesheet" href="{url}/b.css">'
                                    '<link rel="attachment" href="file:///etc/passwd">'
                                    '<img src="local.png">')
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html.j2").write_text(own, encoding="utf-8")
    out = tmp_path / "out"
    try:
        assert main(["render", str(GOOD), "-o", str(out), "--to", "pdf", "--templates", str(templates)]) == 0
    finally:
        server.shutdown()
    assert _Recorder.requests == []
    (pdf,) = out.iterdir()
    data = pdf.read_bytes()
    assert b"root:" not in data and b"EmbeddedFile" not in data
    err = capsys.readouterr().err
    assert f"warning: not fetched: {url}/a.png" in err and "not fetched: file:///etc/passwd" in err
    assert "local.png" not in err  # inside the template folder: allowed (and absent)
    from conftest import pdf_text
    assert "OWN PAGE TEMPLATE" in pdf_text(pdf)


def test_xlsx_rows_stay_within_excels_tallest(tmp_path):
    path = write_json(tmp_path / "long.json", sample_with(goals={"planned": "很长的目标。" * 2000, "actual": "x"}))
    out = tmp_path / "out"
    assert main(["render", str(path), "-o", str(out), "--to", "xlsx"]) == 0
    ws = openpyxl.load_workbook(next(out.iterdir())).active
    assert max(d.height or 0 for d in ws.row_dimensions.values()) <= 409
    with zipfile.ZipFile(next(out.iterdir())) as package:
        assert b"wrapText=\"1\"" in package.read("xl/styles.xml")
