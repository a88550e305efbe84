"""Cutting a grouped log into spans for --jobs: the pre-scan's cut candidates are case starts kept
within a bound, and a line's byte offset is where the text layer starts that line (or None where
bytes cannot say)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.readers import open_log
from checker.readers import share as share_module
from checker.readers.share import CutFinder
from checker.readers.textfile import line_offsets

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "fixtures" / "logs" / "penawaran-kerja-sama.csv"

_line = st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(st.tuples(_line, st.sampled_from(["\n", "\r\n"])), min_size=1, max_size=40),
    chunk=st.integers(1, 64),
    data=st.data(),
)
def test_line_offsets_are_where_the_text_layer_starts_each_line(
    tmp_path_factory, lines: list[tuple[str, str]], chunk: int, data
) -> None:
    path = tmp_path_factory.mktemp("lines") / "log.csv"
    raw = "".join(text + end for text, end in lines).encode("utf-8")
    path.write_bytes(raw)
    starts, at = [], 0
    with open(path, encoding="utf-8", newline="") as handle:
        for line in handle:
            starts.append(at)
            at += len(line.encode("utf-8"))
    wanted = data.draw(st.lists(st.integers(1, len(starts)), unique=True).map(sorted))
    assert line_offsets(str(path), "utf-8", wanted, chunk=chunk) == [starts[n - 1] for n in wanted]


def test_bytes_cannot_say_where_a_line_starts_after_a_bare_cr_or_in_utf16(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(b"a,b\rc,d\ne,f\n")
    assert line_offsets(str(path), "utf-8", [3]) is None  # the text layer sees three lines
    path.write_bytes(b"a,b\r\nc,d\ne,f\n")
    assert line_offsets(str(path), "utf-8", [2, 3]) == [5, 9]
    assert line_offsets(str(path), "utf-16", [2]) is None


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=1, max_size=400),
    count=st.integers(2, 5),
    keep=st.integers(1, 8),
)
def test_cuts_are_case_starts_in_order_and_bounded(sizes: list[int], count: int, keep: int) -> None:
    keyed = [(f"case-{n}", None) for n, size in enumerate(sizes) for _ in range(size)]
    keyed = [(key, position) for position, (key, _) in enumerate(keyed)]
    starts = {n for n, (key, _) in enumerate(keyed) if n and keyed[n - 1][0] != key}
    old = share_module.KEEP
    share_module.KEEP = keep
    try:
        finder: CutFinder[int] = CutFinder()
        assert list(finder.watch(keyed)) == [key for key, _ in keyed]
    finally:
        share_module.KEEP = old
    assert len(finder.cuts) < 2 * keep
    assert finder.rows == len(keyed)
    assert all(position in starts and before == position for before, position in finder.cuts)
    chosen = finder.positions(count)
    if chosen is None:
        assert len(finder.cuts) < count - 1
    else:
        assert len(chosen) == count - 1 and chosen == sorted(set(chosen))
        assert set(chosen) <= starts


def test_a_log_with_bare_cr_line_ends_is_shared_by_hash(tmp_path: Path) -> None:
    """Where a byte offset cannot be trusted, the shares still cover every case once."""
    text = LOG.read_text(encoding="utf-8").replace("\n", "\r")
    path = tmp_path / "old-mac.csv"
    path.write_text(text, encoding="utf-8", newline="")
    whole = open_log(path)
    cases = {c.case_id: c for c in whole.cases()}
    shares = whole.shares(2)
    assert shares is not None and all(s.span is None for s in shares)
    seen = {}
    for share in shares:
        seen.update({c.case_id: c for c in share.open().cases()})
    assert seen == cases and len(cases) == 44


@settings(max_examples=300, deadline=None)
@given(
    ids=st.lists(st.one_of(st.none(), st.sampled_from("abcdefgh")), max_size=40),
    bits=st.sampled_from([8, 64, 1 << 12]),
)
def test_grouped_in_bounded_memory_agrees_with_the_set(ids: list[str | None], bits: int) -> None:
    """The Bloom-filter check gives is_grouped's verdict, with a filter small enough (8 bits) that
    most out-of-order starts are "maybe"s checked in the second pass."""
    from checker.readers.grouping import grouped_in_bounded_memory, is_grouped

    assert grouped_in_bounded_memory(iter(ids), lambda: iter(ids), bits) == is_grouped(ids)


def test_the_prescan_holds_no_set_of_case_ids(tmp_path: Path) -> None:
    """A grouped CSV of 4x more cases needs no more memory to open (the pre-scan's set of every
    finished case id was 100 MB at 1.25M cases); an ungrouped one is still found out."""
    from tests.conftest import counted_peak

    def make(cases: int, shuffled: bool = False) -> Path:
        path = tmp_path / f"log{cases}{shuffled}.csv"
        rows = [f"case-{n:07d}-{'x' * 40},step,2026-11-25T08:00:00+07:00\n" for n in range(cases)]
        if shuffled:
            rows.append(rows[0])
        path.write_text("case_id,activity,timestamp\n" + "".join(rows), encoding="utf-8")
        return path

    peaks = [counted_peak("int(source._reader.grouped)", make(n))[1] for n in (50_000, 200_000)]
    assert peaks[1] - peaks[0] < 6 * 1024, peaks  # a set of 150,000 more ids: about 15 MB
    assert open_log(make(1_000, shuffled=True))._reader.grouped is False
    assert open_log(make(1_000))._reader.grouped is True



_cell = st.sampled_from(["", " ", "K1", "K2", "K10", " K2 ", "a", "b c", "é"])
_row = st.lists(_cell, min_size=0, max_size=5)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(_row, st.sampled_from(["\n", "\r\n"])), max_size=30),
    extra=st.sampled_from(["", '"q"', "x\ry", "\x00"]),
    last_newline=st.booleans(),
    sep_line=st.booleans(),
    block=st.integers(1, 40),
)
def test_the_quick_prescan_of_a_plain_csv_agrees_with_the_csv_module(
    tmp_path_factory, rows, extra, last_newline, sep_line, block
) -> None:
    """The pre-scan splits the lines of a plain file (no quote, CR-only line end or NUL) itself;
    it must find what the csv module's pre-scan finds (grouped or not, rows, cut candidates),
    and leave a file that is not plain to it. `extra` puts a quote, a bare CR or a NUL in a row.
    A plain file's rows are then split without the csv module too: the same events, rejections
    and blanks, in the whole file and in each span."""
    from zoneinfo import ZoneInfo

    from checker.errors import InputError
    from checker.readers import csv_reader
    from checker.readers.build import RawEvent
    from checker.readers.csv_reader import CsvReader
    from checker.readers.options import ReadOptions

    lines = [("sep=,\n" if sep_line else "") + "case_id,activity,timestamp\n"]
    for i, (cells, end) in enumerate(rows):
        lines.append(",".join([*cells, extra] if extra and i == len(rows) // 2 else cells) + end)
    text = "".join(lines)
    path = tmp_path_factory.mktemp("plain") / "log.csv"
    path.write_bytes((text if last_newline else text.rstrip("\r\n")).encode("utf-8"))
    zone = ZoneInfo("Asia/Jakarta")

    class Slow(CsvReader):
        def _quick_prescan(self):
            return None

    def scan(cls=CsvReader):
        try:
            reader = cls(str(path), ReadOptions(), zone)
        except InputError as err:
            return ("error", err.key, err.location), None
        spans = reader.spans(2)
        cut = None if spans is None else [span[:3] for span in spans]  # without the plain flag
        return (reader.grouped, reader.cuts.rows, reader.cuts.cuts, cut), reader

    def read(reader, span=None):
        if span is not None:
            reader = CsvReader(str(path), ReadOptions(), zone, share=(0, 1), span=span)
        return [(e.row, e.case_id, e.timestamp) if isinstance(e, RawEvent) else e for e in reader.items()]

    before = csv_reader.PLAIN_BLOCK
    csv_reader.PLAIN_BLOCK = block  # small blocks: lines and CR LF pairs cut at their ends
    try:
        quick, fast = scan()
        slow, reader = scan(Slow)
        assert quick == slow
        if reader is not None:
            assert fast.plain == (not extra)
            assert not reader.plain
            assert read(fast) == read(reader)
            for span in fast.spans(2) or []:
                assert span[3] == fast.plain
                assert read(None, span) == read(None, (*span[:3], False))
        if reader is not None and rows:
            reader.cuts = CutFinder()
            plain = CsvReader._quick_prescan(reader)
            if extra:
                assert plain is None  # not plain: left to the csv module
            else:
                assert plain is not None and plain[0] == reader.grouped  # CR LF too, whatever the cut
    finally:
        csv_reader.PLAIN_BLOCK = before
