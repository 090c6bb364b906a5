"""Input that once aborted a batch or exhausted memory (issue 9): each becomes its file's
or its document's one error line, and the other inputs are still rendered."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SAMPLES
from reportgen.cli import main
from reportgen.model import document_to_dict
from reportgen.readers import read_file

GOOD = SAMPLES[0]


def sample_data() -> dict:
    result = read_file(GOOD)
    return document_to_dict(result.documents[0])


def error_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("Error: ")]


def render_with(tmp_path, capsys, bad_name: str, content: str | bytes) -> tuple[int, list[str], list[str]]:
    bad = tmp_path / bad_name
    bad.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    out = tmp_path / "out"
    status = main(["render", str(GOOD), str(bad), "-o", str(out), "--to", "xlsx", "--jobs", "1"])
    return status, error_lines(capsys), sorted(p.name for p in out.iterdir()) if out.exists() else []


def with_field(path: list, value) -> str:
    data = sample_data()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("name, content, message", [
    ("deep.json", "[" * 100_000, "deep.json: nested too deeply to be a form"),
    ("deep.yaml", "[" * 100_000, "deep.yaml: nested too deeply to be a form"),  # PyYAML: quadratic
    ("digits.json", with_field(["funding", "total", "budget"], "__BIG__").replace('"__BIG__"', "9" * 5000),
     "digits.json: funding.total.budget: a number of 5,000 digits is out of range"),
    ("year.json", with_field(["year"], "²⁰²⁴"), 'year.json: year: "²⁰²⁴" is not a year'),
    ("surrogate.json", with_field(["project"], "__S__").replace("__S__", "\\ud800"),
     "surrogate.json: project: holds an unpaired surrogate"),
    ("wide.json", with_field(["funding", "total", "budget"], "1" * 29),
     'wide.json: funding.total.budget: "11111111111111111111111111111" is out of range'),
    ("tiny.json", with_field(["indicators", 0, "score"], "1e-99999999"),
     'tiny.json: indicators[0].score: "1e-99999999" is out of range'),
])
def test_a_bad_file_is_one_error_line_and_the_others_are_rendered(tmp_path, capsys, name, content, message):
    status, errors, written = render_with(tmp_path, capsys, name, content)
    assert status == 2
    assert len(errors) == 1 and errors[0].startswith(f"Error: {tmp_path / message.split(':')[0]}")
    assert message.split(": ", 1)[1] in errors[0]
    assert len(written) == 1  # the good sample's XLSX


@pytest.mark.parametrize("command", ["check", "summary"])
def test_check_and_summary_refuse_a_29_digit_amount_with_its_field(tmp_path, capsys, command):
    bad = tmp_path / "wide.json"
    bad.write_text(with_field(["funding", "total", "executed"], "9" * 29), encoding="utf-8")
    extra = ["-o", str(tmp_path / "out")] if command == "summary" else []
    status = main([command, str(GOOD), str(bad), *extra])
    assert status == 2
    (error,) = error_lines(capsys)
    assert "funding.total.executed" in error and "out of range" in error


ALIAS_BOMB = "\n".join(
    ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    + ["kind: *i", "year: 2024", "project: x"])


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path, capsys):
    assert len(ALIAS_BOMB) < 900
    start = time.monotonic()
    status, errors, written = render_with(tmp_path, capsys, "bomb.yaml", ALIAS_BOMB)
    assert time.monotonic() - start < 10  # it once took 120 s and 6.4 GB
    assert status == 2 and len(written) == 1
    (error,) = errors
    assert "aliases (*name) expand to more than 200,000 values: refused" in error


def test_a_message_quotes_a_huge_value_shortly(tmp_path, capsys):
    status, errors, _ = render_with(tmp_path, capsys, "kind.json", with_field(["kind"], "x" * 100_000))
    (error,) = errors
    assert len(error) < 300 and "(100,000 characters)" in error


@pytest.mark.parametrize("make", ["file", "under_a_file"])
def test_an_output_path_that_cannot_be_a_folder_is_one_error(tmp_path, capsys, make):
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    out = blocker if make == "file" else blocker / "out"
    assert main(["render", str(GOOD), "-o", str(out)]) == 2
    (error,) = error_lines(capsys)
    assert error.startswith(f"Error: {out}: ")


def test_a_large_dump_is_checked_in_bounded_memory(tmp_path):
    """Dumps are read form by form: `check` on a 20 MB dump stays under 200 MB (it
    took 4.35 GB on a 200 MB dump when dumps were read whole)."""
    seeds = sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt"))
    block = b"\n".join(path.read_bytes() for path in seeds)
    dump = tmp_path / "large.txt"
    dump.write_bytes(b"\n".join([block] * (20_000_000 // len(block) + 1)))
    measured = ("import sys, reportgen.cli as cli\ncode = cli.main(sys.argv[1:])\n"
                "print(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1],"
                " file=sys.stderr)\nsys.exit(code)\n")  # the process's own peak, not its parent's
    done = subprocess.run([sys.executable, "-c", measured, "check", str(dump), "--format", "json"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 1  # the seeds have errors to report
    assert int(done.stderr.split()[-1]) / 1024 < 200
