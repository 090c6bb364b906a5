"""`reportgen serve` over HTTP (Starlette's test client): what it refuses, and that one
session never sees another's files. The browser's walk is test_web_browser.py."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient

from conftest import ROOT
from reportgen.cli import main
from reportgen.rules import load_rules
from reportgen.web.app import Refused, create_app
from reportgen.web.workspace import Limits

SAMPLE = ROOT / "samples" / "selfeval-xinjiang-zhiqing.yaml"
RULES = load_rules(None)


MADE: list = []


def new_app(**options):
    """The app, its workspaces removed after the test (a TestClient used without `with`
    runs no shutdown)."""
    app = create_app(RULES, **options)
    MADE.append(app)
    return app


@pytest.fixture(autouse=True)
def _workspaces_removed():
    yield
    while MADE:
        MADE.pop().state.workspaces.close()


def upload(client: TestClient, *files: tuple[str, bytes]):
    return client.post("/upload", files=[("files", (name, data, "application/octet-stream")) for name, data in files])


def test_listening_beyond_this_machine_needs_a_token():
    with pytest.raises(Refused, match="without a token"):
        create_app(RULES, host="0.0.0.0")
    with pytest.raises(Refused):
        create_app(RULES, host="192.168.1.20", token="")
    create_app(RULES, host="::1")  # loopback: no token needed
    create_app(RULES, host="0.0.0.0", token="s3cret")


def test_the_command_refuses_a_network_address_without_a_token(capsys):
    assert main(["serve", "--host", "0.0.0.0", "--token", ""]) == 2
    assert "refusing to listen on 0.0.0.0 without a token" in capsys.readouterr().err


def test_with_a_token_every_request_must_carry_it():
    client = TestClient(new_app(host="0.0.0.0", token="s3cret"))
    assert client.get("/").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    first = client.get("/?token=s3cret", follow_redirects=False)
    assert first.status_code == 303 and "token" not in first.headers["location"]
    assert client.get("/").status_code == 200  # the cookie carries it now
    assert TestClient(new_app(host="0.0.0.0", token="s3cret")).post("/upload").status_code == 403


def test_an_oversized_upload_is_refused_with_a_message_and_nothing_is_kept():
    client = TestClient(new_app(limits=Limits(upload_bytes=10_000)))
    answer = upload(client, ("big.txt", b"x" * 20_000))
    assert answer.status_code == 413
    assert "过大" in answer.json()["error"] and "MB" in answer.json()["error"]
    assert "还没有文件" in client.get("/").text


def test_too_many_files_at_once_are_refused():
    client = TestClient(new_app(limits=Limits(upload_files=2)))
    answer = upload(client, *[(f"{i}.yaml", SAMPLE.read_bytes()) for i in range(3)])
    assert answer.status_code == 413 and "最多上传 2 个文件" in answer.json()["error"]


def test_no_download_outside_the_workspace():
    client = TestClient(new_app())
    assert upload(client, (SAMPLE.name, SAMPLE.read_bytes())).status_code == 200
    for path in ("/download/..%2F..%2Fetc%2Fpasswd", "/download/../../etc/passwd",
                 "/download/%2Fetc%2Fpasswd", "/download/..%5C..%5Cwin.ini", "/download/.reportgen",
                 "/static/..%2Fapp.py", "/download/in%2F0001.yaml"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert b"root:" not in answer.content and b"def create_app" not in answer.content


def test_one_session_never_sees_another_ones_forms():
    app = new_app()
    alice, bob = TestClient(app), TestClient(app)
    assert upload(alice, (SAMPLE.name, SAMPLE.read_bytes())).json()["forms"] == 1
    page = alice.get("/forms/0")
    assert page.status_code == 200 and "新疆支青" in page.text
    name = "2024_自评表_新疆支青稳定专项经费.pdf"
    assert alice.get(f"/download/{name}").content[:5] == b"%PDF-"
    assert bob.get("/forms/0").status_code == 404
    assert bob.get(f"/download/{name}").status_code == 404
    assert "还没有文件" in bob.get("/").text


def test_download_names_are_sanitised(tmp_path):
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    data["project"] = '../../etc/passwd"\u202egpj.exe'
    client = TestClient(new_app())
    upload(client, ("evil.yaml", yaml.safe_dump(data, allow_unicode=True).encode("utf-8")))
    answer = client.get("/all.zip?formats=pdf")
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert len(names) == 1
    (name,) = names
    assert "/" not in name and '"' not in name and "\u202e" not in name and not name.startswith(".")
    disposition = client.get(f"/download/{name}").headers["content-disposition"]
    assert disposition.startswith('attachment; filename="download.pdf"; filename*=UTF-8\'\'')


def test_an_expired_workspace_is_deleted_with_its_files():
    app = new_app(limits=Limits(idle_seconds=60))
    client = TestClient(app)
    upload(client, (SAMPLE.name, SAMPLE.read_bytes()))
    spaces = app.state.workspaces
    (folder,) = [p for p in spaces.base.iterdir()]
    assert any(folder.rglob("*.yaml"))
    import time

    spaces.expire(now=time.monotonic() + 61)
    assert not folder.exists()
    assert "还没有文件" in client.get("/").text


def test_the_workspaces_are_deleted_when_the_server_stops():
    app = new_app()
    with TestClient(app) as client:
        upload(client, (SAMPLE.name, SAMPLE.read_bytes()))
        base = app.state.workspaces.base
        assert base.exists()
    assert not base.exists()


def test_pages_carry_a_policy_allowing_no_foreign_script():
    client = TestClient(new_app())
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert client.get("/").headers["x-content-type-options"] == "nosniff"


def test_the_blank_templates_download():
    client = TestClient(new_app())
    for what in ("entry", "form"):
        for kind in ("target", "tracking", "selfeval"):
            answer = client.get(f"/blank/{what}/{kind}.xlsx")
            assert answer.status_code == 200 and answer.content[:2] == b"PK", (what, kind)
            import openpyxl

            assert openpyxl.load_workbook(io.BytesIO(answer.content)).sheetnames
    assert client.get("/blank/entry/nothing.xlsx").status_code == 404


def test_a_form_upload_without_script_goes_back_to_the_list():
    client = TestClient(new_app())
    answer = client.post("/upload?via=form", files=[("files", (SAMPLE.name, SAMPLE.read_bytes(), "text/yaml"))],
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert "新疆支青稳定专项经费" in client.get("/").text


def test_an_upload_with_no_file_says_so():
    client = TestClient(new_app())
    answer = client.post("/upload", data={"x": "1"})
    assert answer.status_code == 413 and "没有收到文件" in answer.json()["error"]


def test_uploads_are_stored_under_names_of_the_workspace_own(tmp_path):
    app = new_app(workspace_dir=tmp_path)
    client = TestClient(app)
    upload(client, ("../../../outside.yaml", SAMPLE.read_bytes()))
    assert not (tmp_path.parent / "outside.yaml").exists()
    stored = [p.name for p in Path(app.state.workspaces.base).rglob("*.yaml")]
    assert stored == ["0001.yaml"]
