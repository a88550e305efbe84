"""The HTML report in a real browser: headless Chromium (Debian's `chromium`) driven over the Chrome
DevTools Protocol on a pipe (stdlib only, no network, no driver download).

Checked: the page loads with no console error, exception or CSP violation; the charts are there;
the table sorts and filters; a log whose activity label is `<script>alert(1)</script>` and whose
attribute is `" onmouseover=...` renders them as text and runs nothing. A full-page screenshot and
an A4 PDF are saved under test-artifacts/. Skips with its reason where no chromium can be found.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.test_reporters_common import INJECT_ACTIVITY, INJECT_ATTRIBUTE, INJECT_CASE, injection_report

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
A4_INCHES = (8.27, 11.69)


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """Headless Chromium with `--remote-debugging-pipe`: commands go in on fd 3, replies and events
    come out on fd 4, each a JSON message ended by a NUL byte."""

    def __init__(self, binary: str, profile: Path, timeout: float = 60.0) -> None:
        self.timeout = timeout
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        args = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
            "--mute-audio",
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        # The browser expects the pipe on fds 3 (in) and 4 (out): move our ends out of the way
        # (fds >= 10, close-on-exec), then dup them onto 3 and 4 in the child just before exec.
        child_in = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_browser_r)
        os.close(from_browser_w)

        def onto_3_and_4() -> None:
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.proc = subprocess.Popen(
            args,
            preexec_fn=onto_3_and_4,  # the test process is single-threaded
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(child_in)
        os.close(child_out)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    # -- protocol --

    def send(self, method: str, params: dict[str, Any] | None = None, session: bool = True) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read()
            self.events.append(event)
            if event.get("method") == method:
                return event

    def _read(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(0.0, left))
            if not ready:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    # -- a page --

    def open(self, url: str, width: int = 1280, height: int = 1000) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, session=False
        )["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def until(self, expression: str, timeout: float = 10.0) -> Any:
        """Evaluate `expression` until it is truthy (events such as hashchange run later)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(expression)
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.05)

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, log errors (CSP violations among them), dialogs."""
        out = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                out.append(f"log: {params['entry'].get('text')}")
            elif method == "Page.javascriptDialogOpening":
                out.append(f"dialog: {params.get('message')}")
        return out

    def screenshot(self, path: Path) -> None:
        metrics = self.send("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 16000), "scale": 1}
        data = self.send(
            "Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True}
        )["data"]
        path.write_bytes(base64.b64decode(data))

    def pdf(self, path: Path) -> bytes:
        data = self.send(
            "Page.printToPDF",
            {
                "paperWidth": A4_INCHES[0],
                "paperHeight": A4_INCHES[1],
                "printBackground": True,
                "preferCSSPageSize": True,
            },
        )["data"]
        raw = base64.b64decode(data)
        path.write_bytes(raw)
        return raw

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", session=False)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    binary = chromium_binary()
    if binary is None:
        pytest.skip(
            "no chromium binary on PATH (Debian: apt-get install chromium; .ci/run installs it as root)"
        )
    b = Browser(binary, tmp_path_factory.mktemp("chromium-profile"))
    try:
        b.send("Browser.getVersion", session=False)
    except (RuntimeError, TimeoutError) as err:
        b.close()
        pytest.skip(f"chromium at {binary} did not start headless: {err}")
    yield b
    b.close()


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    from checker.reporters.html import html_report

    html = html_report(injection_report(), "en")
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(html, encoding="utf-8")
    browser.open(path.as_uri())
    return browser


def test_page_loads_without_console_error(page):
    assert page.js("document.readyState") == "complete"
    assert page.js("document.documentElement.getAttribute('data-ready')") == "1", (
        "the report's script did not run"
    )
    assert page.problems() == []


def test_charts_and_sections_are_present(page):
    for chart in ("chart-status", "chart-findings-per-step", "chart-time-per-step"):
        assert page.js(f"document.getElementById('{chart}') instanceof SVGSVGElement"), chart
        assert page.js(f"document.getElementById('{chart}').getBoundingClientRect().width") > 200, chart
    assert page.js("document.querySelectorAll('#chart-findings-per-step rect.bar').length") > 0
    assert page.js("document.querySelectorAll('#chart-time-per-step rect.bar').length") > 0
    for section in ("provenance", "summary", "cases", "traces"):
        assert page.js(f"!!document.getElementById('{section}')"), section


def test_provenance_on_the_first_screen(page):
    bottom = page.js("document.getElementById('provenance').getBoundingClientRect().bottom")
    assert 0 < bottom <= 1000
    text = page.js("document.getElementById('provenance').textContent")
    report = injection_report()
    p = report.provenance
    for value in (p.sop_id, p.sop_sha256[0], p.tool_version, p.as_of[:10], p.calendar, "English"):
        assert value in text


def test_injection_renders_as_text_and_runs_nothing(page):
    assert page.js("document.title").startswith("SOP compliance audit report")
    assert page.js("window.__pwned === undefined")
    assert page.js("document.scripts.length") == 1
    assert page.js("document.querySelectorAll('[onmouseover],[onerror],[onload]').length") == 0
    assert page.js("document.querySelectorAll('img').length") == 0
    body = page.js("document.body.textContent")
    assert INJECT_ACTIVITY in body
    assert INJECT_ATTRIBUTE in body
    assert INJECT_CASE in body
    # Hovering the attribute's text does nothing either.
    page.js(
        "document.querySelectorAll('.attrs div').forEach(function (d) {"
        " d.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); })"
    )
    assert page.js("window.__pwned === undefined")
    assert page.problems() == []


def test_table_filters_and_sorts(page):
    total = page.js("document.querySelectorAll('#case-table tbody tr').length")
    assert total >= 3
    page.js("document.getElementById('bad-filter').click()")
    shown = page.js("document.querySelectorAll('#case-table tbody tr:not([hidden])').length")
    bad = page.js("document.querySelectorAll('#case-table tbody tr[data-compliant=\"0\"]').length")
    assert shown == bad < total
    assert page.js("document.getElementById('shown-count').textContent") == str(bad)
    page.js("document.getElementById('bad-filter').click()")
    assert page.js("document.querySelectorAll('#case-table tbody tr:not([hidden])').length") == total
    # Sort by the fitness column, ascending then descending.
    idx = page.js(
        "Array.prototype.findIndex.call(document.querySelectorAll('#case-table th'),"
        " function (th) { return th.textContent === 'Fitness'; })"
    )
    assert idx >= 0
    read = (
        "Array.prototype.map.call(document.querySelectorAll('#case-table tbody tr'),"
        f" function (r) {{ return parseFloat(r.cells[{idx}].getAttribute('data-sort')); }})"
    )
    page.js(f"document.querySelectorAll('#case-table th')[{idx}].click()")
    up = page.js(read)
    assert up == sorted(up)
    page.js(f"document.querySelectorAll('#case-table th')[{idx}].click()")
    down = page.js(read)
    assert down == sorted(down, reverse=True)
    assert page.problems() == []


def test_case_link_opens_its_trace(page):
    page.js("document.querySelector('#case-table tbody a').click()")
    target = page.until("location.hash.slice(1)")
    assert target.startswith("case-")
    assert page.until(f"document.getElementById('{target}').open") is True


def test_screenshot_and_a4_pdf_saved(page):
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-injection.png"
    page.screenshot(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = page.pdf(ARTIFACTS / "report-injection-a4.pdf")
    assert pdf.startswith(b"%PDF")
    # Every page A4 portrait: 595 x 842 points (210 x 297 mm).
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes
    for width, height in boxes:
        assert abs(float(width) - 595.3) < 1 and abs(float(height) - 841.9) < 1
    assert page.problems() == []


def test_the_example_report_in_the_browser(browser, tmp_path):
    """The bundled example's report (last: it moves the browser to a new page)."""
    log = Path(__file__).resolve().parent.parent / "fixtures" / "logs" / "penawaran-kerja-sama.csv"
    if not log.exists():
        pytest.skip("the example log is not in this checkout")
    from checker.api import audit
    from checker.reporters.html import html_report

    root = log.parent.parent.parent
    sop = root / "rules/magetan/penawaran-kerja-sama.yaml"
    report = audit(sop, log, as_of="2026-11-25", jobs=1, lang="id")
    path = tmp_path / "example.html"
    path.write_text(html_report(report, "id"), encoding="utf-8")
    browser.events.clear()
    browser.open(path.as_uri())
    assert browser.js("document.documentElement.getAttribute('data-ready')") == "1"
    assert browser.js("document.querySelectorAll('#case-table tbody tr').length") == len(report.cases)
    assert browser.js("document.querySelectorAll('#chart-time-per-step rect.bar').length") > 0
    ARTIFACTS.mkdir(exist_ok=True)
    browser.screenshot(ARTIFACTS / "report-example-id.png")
    browser.pdf(ARTIFACTS / "report-example-id-a4.pdf")
    assert browser.problems() == []
