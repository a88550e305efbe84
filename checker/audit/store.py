"""Where audited cases wait for the report: in memory while few, spilled to sorted runs on disk
when many, so memory stays flat however long the log. Iterating yields the cases sorted by case
id (a k-way merge of the runs), as often as a reporter needs."""

from __future__ import annotations

import heapq
import os
import pickle
import tempfile
from collections.abc import Iterator

from checker.audit.results import CaseResult

BUFFER = 20_000  # cases held in memory before a sorted run is written


class CaseStore:
    def __init__(self, buffer: int = BUFFER) -> None:
        self._buffer: list[CaseResult] = []
        self._limit = buffer
        self._runs: list[str] = []
        self._count = 0
        self._dir: tempfile.TemporaryDirectory | None = None
        self._sorted: list[CaseResult] | None = None

    def add(self, result: CaseResult) -> None:
        self._buffer.append(result)
        self._count += 1
        self._sorted = None
        if len(self._buffer) >= self._limit:
            self._spill()

    def _spill(self) -> None:
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="sopcheck-cases-")
        self._buffer.sort(key=_key)
        path = os.path.join(self._dir.name, f"run{len(self._runs):05d}.pickle")
        with open(path, "wb") as handle:
            pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
            for result in self._buffer:
                pickler.dump(result)
                pickler.clear_memo()
        self._runs.append(path)
        self._buffer = []

    @property
    def spilled(self) -> bool:
        return bool(self._runs)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[CaseResult]:
        if not self._runs:
            if self._sorted is None:
                self._sorted = sorted(self._buffer, key=_key)
            return iter(self._sorted)
        streams = [_read(path) for path in self._runs]
        streams.append(iter(sorted(self._buffer, key=_key)))
        return heapq.merge(*streams, key=_key)

    def __getitem__(self, index: int) -> CaseResult:
        if self._runs:
            raise TypeError("a spilled case store is read in order; iterate over it")
        return list(iter(self))[index]

    def __bool__(self) -> bool:
        return self._count > 0


def _key(result: CaseResult) -> str:
    return result.case_id


def _read(path: str) -> Iterator[CaseResult]:
    with open(path, "rb") as handle:
        unpickler = pickle.Unpickler(handle)
        while True:
            try:
                yield unpickler.load()
            except EOFError:
                return
