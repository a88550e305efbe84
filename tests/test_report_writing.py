"""Writing a large report: spans of the case store's runs copied file to file
(textruns.Span, write_to), a report written past the page cache (checker.direct), and the
same bytes whichever way they go: to a file directly, the usual way, or to standard output."""

from __future__ import annotations

import errno
import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import direct
from checker.api import audit
from checker.conformance import runner, store, textruns
from checker.conformance.textruns import Span, write_to
from checker.output import write_output
from checker.reporters.audit import JsonLines, joined, json_chunks

ROOT = Path(__file__).resolve().parents[1]
SOP = ROOT / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
LOG = ROOT / "fixtures" / "logs" / "penawaran-kerja-sama.csv"

SOURCE = bytes(range(256)) * 64  # 16 KiB that spans are cut from

# A piece of a report: text (beyond ASCII too), bytes, or a span of SOURCE.
pieces = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.binary(max_size=40),
        st.tuples(st.integers(0, len(SOURCE)), st.integers(0, 9000)).map(lambda t: ("span", *t)),
    ),
    max_size=25,
)


def _made(items: list, fd: int) -> tuple[list, bytes]:
    """The pieces with spans of SOURCE (open as `fd`), and the bytes they stand for."""
    out, expected = [], b""
    for item in items:
        if isinstance(item, tuple):
            _, offset, length = item
            length = min(length, len(SOURCE) - offset)
            out.append(Span(fd, offset, length))
            expected += SOURCE[offset : offset + length]
        else:
            out.append(item)
            expected += item if isinstance(item, bytes) else item.encode("utf-8")
    return out, expected


@pytest.fixture
def source(tmp_path: Path):
    path = tmp_path / "source"
    path.write_bytes(SOURCE)
    fd = os.open(path, os.O_RDONLY)
    yield fd
    os.close(fd)


def _direct_here(folder: Path) -> bool:
    fd = os.open(folder / "probe", os.O_WRONLY | os.O_CREAT)
    try:
        return direct.direct(fd) is not None
    finally:
        os.close(fd)


@settings(max_examples=60, deadline=None)
@given(items=pieces, buffer=st.sampled_from([4096, 8192, 3 * 4096]))
def test_a_report_written_directly_holds_every_piece(tmp_path_factory, items, buffer) -> None:
    """Whatever the pieces (text, bytes, spans across buffer and block edges), the file holds
    them back to back: through the aligned O_DIRECT buffer, the usual way, and on stdout."""
    folder = tmp_path_factory.mktemp("direct")
    (folder / "source").write_bytes(SOURCE)
    fd = os.open(folder / "source", os.O_RDONLY)
    try:
        made, expected = _made(items, fd)
        original = direct.BUFFER
        direct.BUFFER = buffer  # small, so that writes cross the buffer's edge
        try:
            write_output(iter(made), str(folder / "report"))
        finally:
            direct.BUFFER = original
        assert (folder / "report").read_bytes() == expected
        if _utf8(expected):
            assert joined(iter(made)).encode("utf-8") == expected
    finally:
        os.close(fd)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_the_direct_writer_is_used_where_the_file_system_allows(tmp_path: Path, monkeypatch) -> None:
    if not _direct_here(tmp_path):
        pytest.skip("this file system does not offer O_DIRECT")
    used = []
    monkeypatch.setattr(direct.DirectWriter, "close", _spy(direct.DirectWriter.close, used))
    write_output(["x" * 10_000, b"y" * 5], str(tmp_path / "report"))
    assert used, "the report was not written past the page cache"
    assert (tmp_path / "report").read_bytes() == b"x" * 10_000 + b"y" * 5
    monkeypatch.setenv("SOPCHECK_DIRECT", "0")
    used.clear()
    write_output(["x" * 10_000], str(tmp_path / "report2"))
    assert not used
    assert (tmp_path / "report2").read_bytes() == b"x" * 10_000


def _spy(method, calls: list):
    def spied(self, *args, **kwargs):
        calls.append(self)
        return method(self, *args, **kwargs)

    return spied


def _on_direct_writes(tmp_path: Path, monkeypatch, handler) -> None:
    """os.write as the writer sees it: `handler(fd, data, write)` for a write with O_DIRECT set
    (write: the real one), the real write otherwise; 8 KiB buffers. Skips where the file system
    offers no O_DIRECT."""
    if not _direct_here(tmp_path):
        pytest.skip("this file system does not offer O_DIRECT")
    real_write = os.write

    def write(fd, data):
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_DIRECT:
            return handler(fd, data, real_write)
        return real_write(fd, data)

    monkeypatch.setattr(direct.os, "write", write)
    monkeypatch.setattr(direct, "BUFFER", 8192)


def test_a_file_system_refusing_direct_writes_gets_the_bytes_the_usual_way(tmp_path, monkeypatch) -> None:
    """Some file systems take the flag and refuse the write (EINVAL): the writer goes on without
    it, losing nothing."""
    refused = []

    def refuse(fd, data, write):
        refused.append(len(data))
        raise OSError(errno.EINVAL, "Invalid argument")

    _on_direct_writes(tmp_path, monkeypatch, refuse)
    content = [bytes([i % 251]) * 3000 for i in range(10)]
    write_output(iter(content), str(tmp_path / "report"))
    assert refused
    assert (tmp_path / "report").read_bytes() == b"".join(content)


def test_spans_are_copied_by_the_kernel_or_read_when_it_refuses(tmp_path, source, monkeypatch) -> None:
    span = Span(source, 1000, 9000)
    with open(tmp_path / "a", "wb") as handle:
        handle.write(b"head")
        write_to(handle, span)
        write_to(handle, b"tail")
    assert (tmp_path / "a").read_bytes() == b"head" + SOURCE[1000:10_000] + b"tail"

    def refused(*args):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(textruns.os, "copy_file_range", refused)
    monkeypatch.setattr(textruns, "_KERNEL_COPY", [True])
    with open(tmp_path / "b", "wb") as handle:
        write_to(handle, span[10:])
    assert (tmp_path / "b").read_bytes() == SOURCE[1010:10_000]
    assert textruns._KERNEL_COPY == [False]  # not tried again


def test_a_full_disk_is_not_taken_for_a_refused_copy(tmp_path: Path, source, monkeypatch) -> None:
    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(textruns.os, "copy_file_range", full)
    monkeypatch.setattr(textruns, "_KERNEL_COPY", [True])
    with open(tmp_path / "a", "wb") as handle, pytest.raises(OSError) as raised:
        write_to(handle, Span(source, 0, 100))
    assert raised.value.errno == errno.ENOSPC


def test_a_span_is_cut_like_bytes(source) -> None:
    span = Span(source, 100, 50)
    data = SOURCE[100:150]
    for cut in (slice(1, None), slice(0, 10), slice(49, None), slice(60, None), slice(-5, None)):
        assert b"".join(span[cut].blocks()) == data[cut]
    with pytest.raises(ValueError):
        span[::2]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.binary(min_size=8, max_size=8), max_size=40), st.booleans())
def test_distinct_digests_are_told_from_repeated_ones(digests: list[bytes], repeat: bool) -> None:
    if repeat and digests:
        digests = [*digests, digests[len(digests) // 2]]
    assert runner._distinct(b"".join(digests)) == (len(set(digests)) == len(digests))


def test_a_spilled_report_is_the_same_bytes_every_way_it_is_written(tmp_path: Path, monkeypatch) -> None:
    """A store spilled to runs (spans of them above textruns.SPAN) writes the same report to a
    file directly, the usual way, as text (joined) and on standard output."""
    monkeypatch.setattr(store, "BUFFER", 7)  # many runs, cut at every few cases
    monkeypatch.setattr(textruns, "SPAN", 64)
    report = audit(SOP, LOG, as_of="2026-11-25", jobs=1, render=JsonLines("en", True))
    assert report.cases.spilled
    spans = [p for p in json_chunks(report, "en") if isinstance(p, Span)]
    assert spans, "no span to copy"
    text = joined(json_chunks(report, "en")).encode("utf-8")
    write_output(json_chunks(report, "en"), str(tmp_path / "direct.json"))
    monkeypatch.setenv("SOPCHECK_DIRECT", "0")
    write_output(json_chunks(report, "en"), str(tmp_path / "usual.json"))
    assert (tmp_path / "direct.json").read_bytes() == text
    assert (tmp_path / "usual.json").read_bytes() == text
    # ... and the unspilled report of the same log is the same text
    monkeypatch.setattr(store, "BUFFER", 1 << 20)
    whole = audit(SOP, LOG, as_of="2026-11-25", jobs=1, render=JsonLines("en", True))
    assert not whole.cases.spilled
    assert joined(json_chunks(whole, "en")).encode("utf-8") == text


def test_the_command_writes_the_same_report_to_a_file_and_to_stdout(tmp_path: Path) -> None:
    args = [sys.executable, "-m", "checker", "audit", str(SOP), str(LOG), "--format", "json",
            "--as-of", "2026-11-25"]
    to_file = subprocess.run([*args, "-o", str(tmp_path / "r.json")], capture_output=True, check=False)
    to_stdout = subprocess.run(args, capture_output=True, check=False)
    usual = subprocess.run(
        [*args, "-o", str(tmp_path / "u.json")], capture_output=True, check=False,
        env={**os.environ, "SOPCHECK_DIRECT": "0"},
    )
    assert to_file.returncode == to_stdout.returncode == usual.returncode == 1  # findings
    assert (tmp_path / "r.json").read_bytes() == to_stdout.stdout == (tmp_path / "u.json").read_bytes()
    assert to_stdout.stdout.startswith(b'{\n "cases": [')


def test_a_full_disk_while_writing_directly_is_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    """The writing thread's error reaches the command as the usual one line (file.unwritable),
    the half-written temporary file is gone, and no thread is left waiting."""
    import threading

    from checker.errors import InputError

    written = []

    def fill(fd, data, write):
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(len(data))
        return write(fd, data)

    _on_direct_writes(tmp_path, monkeypatch, fill)
    with pytest.raises(InputError) as raised:
        write_output(iter([b"z" * 4096] * 40), str(tmp_path / "report.json"))
    assert raised.value.key == "file.unwritable"
    assert written == [8192]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["probe"]  # no report, no temporary file
    assert not [t for t in threading.enumerate() if t.name == "sopcheck-direct"]


def test_a_short_direct_write_then_a_refusal_writes_each_byte_once(tmp_path: Path, monkeypatch) -> None:
    """A direct write cut short at a count that is not a block multiple leaves the rest
    unaligned, and the kernel refuses it (EINVAL): the rest goes the usual way, and the bytes
    written already are not written again (a review found them twice in the file)."""
    short = []

    def cut_short(fd, data, write):
        if short:
            return write(fd, data)  # the rest, unaligned: the kernel's own EINVAL
        short.append(1)
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_DIRECT)  # a short write of 1,000 bytes
        try:
            return write(fd, memoryview(data)[:1000])
        finally:
            fcntl.fcntl(fd, fcntl.F_SETFL, flags)

    _on_direct_writes(tmp_path, monkeypatch, cut_short)
    content = bytes(range(256)) * 100
    write_output([content], str(tmp_path / "report"))
    assert short
    assert (tmp_path / "report").read_bytes() == content


def test_a_kernel_copy_of_nothing_falls_back_to_reading(tmp_path, source, monkeypatch) -> None:
    monkeypatch.setattr(textruns.os, "copy_file_range", lambda *args: 0)
    monkeypatch.setattr(textruns, "_KERNEL_COPY", [True])
    with open(tmp_path / "a", "wb") as handle:
        write_to(handle, Span(source, 5, 7000))
    assert (tmp_path / "a").read_bytes() == SOURCE[5:7005]


def test_a_store_streams_bytes_unless_asked_for_spans(tmp_path: Path, monkeypatch) -> None:
    """CaseStore.stream(k) gives text and bytes a caller may keep (api.audit documents it);
    spans, which borrow the runs' open files, only when asked for (the report's writers)."""
    monkeypatch.setattr(store, "BUFFER", 7)
    monkeypatch.setattr(textruns, "SPAN", 64)
    report = audit(SOP, LOG, as_of="2026-11-25", jobs=1, render=JsonLines("en", True))
    kept = list(report.cases.stream(0))  # read later, after the runs' files are closed
    assert kept and not any(isinstance(p, Span) for p in kept)
    text = b"".join(p if isinstance(p, bytes) else p.encode("utf-8") for p in kept)
    assert text == joined(report.cases.stream(0, spans=True)).encode("utf-8")
    assert any(isinstance(p, Span) for p in report.cases.stream(0, spans=True))
