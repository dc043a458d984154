"""A catalogue of bad input: each file ends in quarantine with its own reason, and the
good files of the same run load completely."""

from __future__ import annotations

import io
import os
import shutil
import zipfile

import duckdb
import pytest

from pipeline.cli import main

from . import render
from .conftest import SEED
from .test_bad_formats import _blank_pdf, _encrypted_pdf


def _docx_with(document_xml: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/document.xml", "w") as part:
            block = b"\0" * (1 << 20)
            for _ in range(110):
                part.write(block)
    return buf.getvalue()


ENTITY_XML = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
              b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
              b"<w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>")


def _catalogue(folder, tmp_path) -> dict[str, str]:
    """file name -> a phrase its quarantine reason must contain."""
    chuanhui = SEED["chuanhui"].read_text(encoding="utf-8")
    wujiang = SEED["wujiang"].read_text(encoding="utf-8")
    pdf = render.to_pdf(SEED["chuanhui"], tmp_path / "good.pdf").read_bytes()
    files = {
        "empty.txt": (b"", "empty file"),
        "noise.txt": (os.urandom(4096), "binary"),
        "notice.txt": ("关于召开全区政务公开工作会议的通知\n各单位：定于下周召开会议，请准时参加。\n".encode(), "no recognisable table"),
        "letters in numbers.txt": (chuanhui.replace("行政规范性文件\t6\t3\t10", "行政规范性文件\t6\tl3\t1O").encode(),
                                   "letters in number cells"),
        "truncated table.txt": ("川汇区政府办公室2024年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n信息内".encode(),
                                "no recognisable table"),
        "mixed encodings.txt": (wujiang[: len(wujiang) // 2].encode("utf-8") + wujiang[len(wujiang) // 2:].encode("gb18030"),
                                "mixed encodings"),
        "huge numbers.txt": (chuanhui.replace("行政规范性文件\t6\t3\t10", "行政规范性文件\t6\t3\t99999999999999999999").encode(),
                             "too large"),
        "truncated.pdf": (pdf[: len(pdf) // 3], "PDF"),
        "encrypted.pdf": (_encrypted_pdf(), "password-protected PDF"),
        "scanned.pdf": (_blank_pdf(), "no text layer"),  # OCR finds nothing, or is not installed
        "not a zip.docx": (b"this was a .doc renamed to .docx", "not a zip package"),
        "bomb.docx": (_zip_bomb(), "zip bomb"),
        "entities.docx": (_docx_with(ENTITY_XML), "declares a DTD"),
        "report.xls": (b"\xd0\xcf\x11\xe0 spreadsheet", "not a valid Excel 97-2003 .xls file"),
        "old report.doc": (b"\xd0\xcf\x11\xe0 word 97", "not a valid Word 97-2003 .doc file"),
        "oversized.txt": (chuanhui.encode() * 60, "file too large"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    os.symlink("loop-b.txt", folder / "loop-a.txt")
    os.symlink("loop-a.txt", folder / "loop-b.txt")
    reasons = {name: phrase for name, (_, phrase) in files.items()}
    reasons["loop-a.txt"] = reasons["loop-b.txt"] = "looping symbolic link"
    return reasons


def test_every_bad_file_is_quarantined_with_its_reason(tmp_path, capsys):
    folder = tmp_path / "raw"
    shutil.copytree(SEED["qindu"].parent, folder)
    shutil.copy(SEED["chuanhui"], folder / "川汇区 2024 年度 报告.txt")  # spaces and Chinese in the name
    expected = _catalogue(folder, tmp_path)
    assert len(expected) >= 15
    db = tmp_path / "w.duckdb"
    status = main(["run", "--raw", str(folder), "--db", str(db), "--out", str(tmp_path / "out"),
                   "--jobs", "1", "--max-bytes", "200000"])
    assert status == 1
    err = capsys.readouterr().err
    con = duckdb.connect(str(db), read_only=True)
    got = dict(con.execute("SELECT regexp_extract(source_path, '[^/]+$'), reason FROM quarantine").fetchall())
    facts, reports = con.execute("SELECT (SELECT count(*) FROM facts), (SELECT count(*) FROM reports)").fetchone()
    con.close()
    for name, phrase in expected.items():
        assert name in got, f"{name} not quarantined"
        assert phrase in got[name], f"{name}: {got[name]}"
        assert f"{name}: " in err
    assert set(got) == set(expected)
    assert (reports, facts) == (5, 1000)  # the duplicate-named copy of 川汇 is the same bytes: one report


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_a_crashing_reader_costs_one_file(tmp_path, monkeypatch, kind):
    from pipeline import readers

    def boom(data, path):
        raise RuntimeError("reader bug")

    monkeypatch.setitem(readers.READERS, f".{kind}", boom)
    from pipeline.parse import parse_bytes

    assert parse_bytes(b"x", f"a.{kind}").error == "parser error (RuntimeError: reader bug)"


def test_a_file_that_parses_too_long_in_a_worker_thread_is_cut_off_and_the_next_is_not(monkeypatch):
    """Where SIGALRM cannot reach (a Dask worker runs tasks in threads), the process's
    deadline watch stops a slow file, and a file parsed after it is not hit by it."""
    import threading
    import time

    from pipeline import readers
    from pipeline.ingest import _parse_job

    def slow(data, path):
        while True:  # pure Python: the watch's exception lands at the next instruction
            time.sleep(0.01)

    monkeypatch.setitem(readers.READERS, ".pdf", slow)
    out = {}

    def work():
        t = time.monotonic()
        out["slow"] = _parse_job((b"%PDF-1.4", "slow.pdf", 0.5)), time.monotonic() - t
        out["next"] = _parse_job((SEED["qindu"].read_bytes(), "qindu.txt", 0.5))
        time.sleep(1)  # past the first file's deadline: nothing may still be pending

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)
    report, seconds = out["slow"]
    assert report.error == "parsing took longer than 0.5 s (per-file limit, --timeout): skipped"
    assert seconds < 2
    assert out["next"].ok and len(out["next"].facts) == 200


def test_a_file_that_parses_too_long_is_cut_off(tmp_path, monkeypatch, capsys):
    import time

    from pipeline import readers

    def slow(data, path):
        time.sleep(5)

    monkeypatch.setitem(readers.READERS, ".pdf", slow)
    folder = tmp_path / "raw"
    shutil.copytree(SEED["qindu"].parent, folder)
    (folder / "slow.pdf").write_bytes(b"%PDF-1.4 pathological")
    db = tmp_path / "w.duckdb"
    t = time.time()
    assert main(["ingest", str(folder), "--db", str(db), "--jobs", "1", "--timeout", "0.5"]) == 1
    assert time.time() - t < 5
    assert "slow.pdf: parsing took longer than 0.5 s" in capsys.readouterr().err
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 1000
    con.close()


# --- only regular files are read (issue 11.3) -------------------------------------------------------

def _quarantine(db) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT source_path, reason FROM quarantine").fetchall())
    finally:
        con.close()


def test_special_files_are_quarantined_without_being_opened(tmp_path, capsys):
    import socket
    import time

    folder = tmp_path / "raw"
    shutil.copytree(SEED["qindu"].parent, folder)
    os.mkfifo(folder / "fifo.txt")  # opening it for reading would block forever
    os.symlink("/dev/zero", folder / "zero.pdf")  # reading it would never end
    os.symlink("/dev/null", folder / "null.docx")
    os.symlink("missing.txt", folder / "broken.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "s.txt"))
    db = tmp_path / "w.duckdb"
    t = time.time()
    try:
        status = main(["ingest", str(folder), "--db", str(db), "-q", "--jobs", "1"])
    finally:
        sock.close()
    assert time.time() - t < 60
    assert status == 1
    got = {os.path.basename(p): r for p, r in _quarantine(db).items()}
    assert got == {
        "fifo.txt": "a named pipe (FIFO), not a regular file: not read",
        "zero.pdf": "symbolic link to a character device, not a regular file: not read",
        "null.docx": "symbolic link to a character device, not a regular file: not read",
        "broken.txt": "broken symbolic link (target 'missing.txt': No such file or directory)",
        "s.txt": "a socket, not a regular file: not read",
    }
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 1000
    con.close()


def test_a_symlink_to_a_regular_file_is_read(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    os.symlink(SEED["qindu"], folder / "linked.txt")
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(folder), "--db", str(db), "-q", "--jobs", "1"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    con.close()


def test_a_symlinked_folder_is_followed_and_a_folder_loop_is_reported(tmp_path, capsys):
    outside = tmp_path / "elsewhere"
    shutil.copytree(SEED["qindu"].parent, outside)
    folder = tmp_path / "raw"
    folder.mkdir()
    os.symlink(outside, folder / "linked")  # followed: its five reports load
    os.symlink(folder, outside / "back-to-raw")  # a loop: reported once, not walked again
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(folder), "--db", str(db), "-q", "--jobs", "1"]) == 1
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 5
    con.close()
    assert _quarantine(db) == {str(folder / "linked" / "back-to-raw"): (
        "folder reached a second time through a symbolic link (a loop, or already read by another path): "
        "not followed again")}
    assert "back-to-raw: folder reached a second time" in capsys.readouterr().err


def test_a_read_stops_at_max_bytes_whatever_the_size_says():
    """/proc files say they are 0 bytes long: the bound is on what is read, not on st_size."""
    from pathlib import Path

    from pipeline.ingest import _read

    data, problem = _read(Path("/proc/self/maps"), 10)
    assert data is None and problem.startswith("file too large (11 bytes > limit 10)")
    data, problem = _read(Path("/proc/self/maps"), 1 << 20)
    assert problem is None and b"python" in data


# --- item 7 ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("option, value, message", [
    ("--timeout", "-1", "argument --timeout: expected seconds (0: no limit) of at least 0, got '-1'"),
    ("--timeout", "nan", "argument --timeout: expected seconds (0: no limit) of at least 0, got 'nan'"),
    ("--max-bytes", "-5", "argument --max-bytes: expected a whole number of bytes of at least 0, got '-5'"),
])
def test_negative_limits_are_refused_in_one_line(tmp_path, capsys, option, value, message):
    with pytest.raises(SystemExit) as exc:
        main(["ingest", str(tmp_path), "--db", str(tmp_path / "w.duckdb"), option, value])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_negative_limits_are_refused_by_the_library_too(tmp_path):
    from pipeline.job import run_job

    with pytest.raises(ValueError, match="timeout must be 0"):
        run_job(tmp_path / "w.duckdb", [tmp_path], timeout=-1)
    with pytest.raises(ValueError, match="max_bytes must be"):
        run_job(tmp_path / "w.duckdb", [tmp_path], max_bytes=-1)
    assert not (tmp_path / "w.duckdb").exists()


def test_a_newline_in_a_file_name_cannot_forge_a_log_line(tmp_path, capsys):
    folder = tmp_path / "raw"
    folder.mkdir()
    name = "a\nquarantined: forged.txt: \x1b[2Jfake.txt"
    (folder / name).write_bytes(b"")
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(folder), "--db", str(db), "--jobs", "1"]) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("quarantined:")]
    assert lines == [f"quarantined: {folder}/a\\nquarantined: forged.txt: \\x1b[2Jfake.txt: empty file"]
    assert list(_quarantine(db)) == [str(folder / name)]  # stored as it is


def test_a_long_pdf_is_read_to_its_page_limit_with_a_warning(tmp_path, monkeypatch):
    """A compilation of 1,863 pages with the report at its start was lost to the time limit:
    the reader stops at MAX_PAGES (here lowered, with a few appendix pages) and says so."""
    from benchmarks import render as layouts
    from pipeline.parse import parse_bytes
    from pipeline.readers import pdf

    items = render.layout(SEED["chuanhui"]) + [("p", "附件：政府信息公开目录 " * 40)] * 40
    path = layouts.to_pdf(items, tmp_path / "long.pdf")
    full = len(__import__("pdfplumber").open(path).pages)
    monkeypatch.setattr(pdf, "MAX_PAGES", full - 2)
    report = parse_bytes(path.read_bytes(), str(path))
    assert report.ok, report.error
    assert len(report.facts) == 200
    assert f"PDF of {full} pages: only the first {full - 2} were read" in [m for _stage, m in report.warnings]
