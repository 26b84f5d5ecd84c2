"""Deployment safety of `referat serve`, tested on a real server process and a real browser:
it binds to loopback unless told otherwise, the optional login guards the page and the API
behind it, nothing phones home (every socket the process opens is recorded by a Python
audit hook), and no secret reaches a log, a report or the feedback store.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from gradio_client import Client

from assistant.core.config import PROJECT_ROOT
from tests.conftest import QUESTIONS, REFERAT
from tests.slow.test_browser import (
    PAGE_TIMEOUT_MS,
    STARTUP_TIMEOUT_S,
    _free_port,
    _status,
    chromium,  # noqa: F401  (the module-scoped browser fixture)
)

pytestmark = pytest.mark.slow

USER, PASSWORD = "sagsbehandler", "kaffe-og-referater-2026"
API_KEY = "sk-referat-test-0123456789abcdef"  # must never be written anywhere
LEJRE_Q = "Hvor mange fordrevne fra Ukraine var der i Lejre i august 2023?"

# Loaded into every Python process of the server through PYTHONPATH: records each outbound
# connection and name lookup, so "no telemetry" is observed rather than assumed.
NETWORK_AUDIT = """
import json, os, sys

_LOG = os.environ["REFERAT_TEST_NETWORK_LOG"]


def _record(event, args):
    if event == "socket.connect":
        entry = {"event": event, "address": repr(args[1])}
    elif event == "socket.getaddrinfo":
        entry = {"event": event, "host": repr(args[0])}
    else:
        return
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps(entry) + "\\n")


sys.addaudithook(_record)
# A server that opens no socket at all writes nothing else: this line shows the hook ran.
with open(_LOG, "a", encoding="utf-8") as log:
    log.write(json.dumps({"event": "audit.loaded", "pid": os.getpid()}) + "\\n")
"""
LOCAL_NAMES = {"'127.0.0.1'", "'localhost'", "'::1'", "None", "b'127.0.0.1'", "b'localhost'"}


@dataclass(frozen=True)
class Deployed:
    url: str
    port: int
    log: Path
    network_log: Path
    index_dir: Path


def _non_loopback_addresses() -> list[str]:
    """This machine's own addresses other than loopback (`hostname -I`)."""
    found = subprocess.run(["hostname", "-I"], capture_output=True, text=True, check=False)
    return [address for address in found.stdout.split() if not address.startswith("127.")]


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    """`referat serve` as an operator starts it: no --host, a login from the environment, an
    LLM key in the environment (unused by the extractive answerer, so it must stay put), and
    no GRADIO_ANALYTICS_ENABLED of our own: the product must switch analytics off itself."""
    root = tmp_path_factory.mktemp("deployed")
    audit = root / "audit"
    audit.mkdir()
    (audit / "sitecustomize.py").write_text(NETWORK_AUDIT, encoding="utf-8")
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REFERAT_", "GRADIO_", "HF_", "ANONYMIZED_TELEMETRY"))
    }
    env |= {
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(audit),
        "REFERAT_TEST_NETWORK_LOG": str(root / "network.jsonl"),
        "REFERAT_UI_USERNAME": USER,
        "REFERAT_UI_PASSWORD": PASSWORD,
        "REFERAT_LLM_API_KEY": API_KEY,
    }
    log = root / "serve.log"
    index = root / "index"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(REFERAT), "--index", str(index), "serve", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=PROJECT_ROOT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while _status(url) != 200:
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.5)
        yield Deployed(url, port, log, root / "network.jsonl", index)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_listens_on_loopback_only_by_default(deployed: Deployed) -> None:
    with socket.create_connection(("127.0.0.1", deployed.port), timeout=5):
        pass
    others = _non_loopback_addresses()
    if not others:
        pytest.skip("this machine has no address besides loopback to try")
    for address in others:
        with pytest.raises(OSError), socket.create_connection((address, deployed.port), timeout=5):
            pass


def test_the_api_behind_the_chat_needs_the_login(deployed: Deployed) -> None:
    with pytest.raises(Exception, match=r"(?i)login|auth|401|credentials"):
        Client(deployed.url, verbose=False).predict(
            LEJRE_Q, [], None, None, "", "", api_name="/respond"
        )
    with pytest.raises(Exception, match=r"(?i)login|auth|401|credentials|incorrect"):
        Client(deployed.url, auth=(USER, "forkert"), verbose=False)
    client = Client(deployed.url, auth=(USER, PASSWORD), verbose=False)
    chat, _sources, _box = client.predict(LEJRE_Q, [], None, None, "", "", api_name="/respond")
    assert "149" in str(chat[-1]["content"])


def test_the_browser_asks_for_the_login_first(deployed: Deployed, chromium) -> None:  # noqa: F811
    context = chromium.new_context(locale="da-DK")
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(deployed.url)
        # Referat's own (Danish) login page; the chat is not on the page before the login.
        password = page.get_by_label("Adgangskode")
        password.wait_for()
        assert page.locator("#question").count() == 0
        page.get_by_label("Brugernavn").fill(USER)
        password.fill("forkert")
        page.get_by_role("button", name="Log ind").click()
        page.get_by_text("Forkert brugernavn eller adgangskode.").wait_for()
        assert page.locator("#question").count() == 0
        password.fill(PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.locator("#question textarea").fill(LEJRE_Q)
        page.locator("#question textarea").press("Enter")
        page.locator("#chat .bot").last.get_by_text("149", exact=False).first.wait_for()
        assert "Log ind med den bruger" not in page.content()
    finally:
        context.close()


def test_nothing_leaves_the_machine(deployed: Deployed) -> None:
    """After the first-start ingest, logins, questions and a browser session: every socket
    the server's Python opened went to this machine (no Gradio analytics, no Chroma or
    Hugging Face telemetry, no model hub, no tokenizer download)."""
    entries = [
        json.loads(line)
        for line in deployed.network_log.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert any(entry["event"] == "audit.loaded" for entry in entries), (
        "the audit hook is not loaded"
    )
    outside = []
    for entry in entries:
        if entry["event"] == "socket.getaddrinfo" and entry["host"] not in LOCAL_NAMES:
            outside.append(entry)
        address = entry.get("address", "")
        remote = address.startswith("(") and not address.startswith(
            ("('127.", "('::1'", "('localhost'")
        )
        if entry["event"] == "socket.connect" and remote:
            outside.append(entry)
    assert not outside, outside


def test_no_secret_in_the_server_log_or_the_feedback_store(deployed: Deployed) -> None:
    client = Client(deployed.url, auth=(USER, PASSWORD), verbose=False)
    client.predict(LEJRE_Q, [], None, None, "", "", api_name="/respond")
    log = deployed.log.read_text(encoding="utf-8", errors="replace")
    for secret in (PASSWORD, API_KEY):
        assert secret not in log
    stored = b"".join(path.read_bytes() for path in deployed.index_dir.rglob("*") if path.is_file())
    for secret in (PASSWORD, API_KEY):
        assert secret.encode() not in stored


def test_no_secret_in_eval_reports_when_the_llm_server_fails(tmp_path: Path) -> None:
    """The error path is where keys leak: an OpenAI-compatible server that does not answer.
    The generated answer falls back to the quotes and records why; the key stays out of the
    output, the reports and the results."""
    questions = tmp_path / "questions.jsonl"
    rows = QUESTIONS.read_text(encoding="utf-8").splitlines()[:3]
    questions.write_text("\n".join(rows) + "\n", encoding="utf-8")
    port = _free_port()  # nothing listens there
    env = {key: value for key, value in os.environ.items() if not key.startswith("REFERAT_")}
    env |= {
        "REFERAT_LLM_API_KEY": API_KEY,
        "REFERAT_LLM_BASE_URL": f"http://127.0.0.1:{port}/v1",
        "REFERAT_LLM_MODEL": "qwen-small",
        "REFERAT_LLM_TIMEOUT_S": "5",
    }
    index, out = tmp_path / "index", tmp_path / "reports"
    command = [str(REFERAT), "--index", str(index)]
    ingest = subprocess.run(
        [*command, "ingest", str(PROJECT_ROOT / "eval" / "minutes")],
        capture_output=True, text=True, env=env, timeout=900,
    )  # fmt: skip
    assert ingest.returncode == 0, ingest.stderr
    run = subprocess.run(
        [*command, "--llm", "openai-compatible", "eval", str(questions), "--out", str(out)],
        capture_output=True, text=True, env=env, timeout=900,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    results = [json.loads(line) for line in (out / "RESULTS.jsonl").read_text().splitlines()]
    assert any(row.get("fallback") for row in results)  # the server really failed
    written = run.stdout + run.stderr
    for path in out.glob("*.*"):
        written += path.read_text(encoding="utf-8", errors="replace")
    assert API_KEY not in written
