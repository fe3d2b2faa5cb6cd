"""`fundledger serve`: bad input, where it listens, read-only mode, the pages always there."""

from __future__ import annotations

import json
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from fundledger.cli import cli
from tests.fava.conftest import FUNDLEDGER, PAGES, write_small


def request(url: str, method: str = "GET", body: object = None) -> tuple[int, str]:
    payload = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if payload else {}
    req = urllib.request.Request(url, data=payload, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_missing_ledger_is_refused_in_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.beancount"
    result = CliRunner().invoke(cli, ["serve", str(missing)])
    assert result.exit_code == 2
    assert result.output == f"fundledger: {missing}: no such file\n"


def test_a_folder_is_not_a_ledger(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output == f"fundledger: {tmp_path}: not a file\n"


def test_busy_port_is_refused_in_one_line(tmp_path: Path) -> None:
    ledger = write_small(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([str(FUNDLEDGER), "serve", str(ledger), "--port", str(port)],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    errors = done.stderr.strip().splitlines()
    assert errors[-1].startswith(f"fundledger: cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in done.stderr
    assert "serving" not in done.stderr  # said only once it listens
    assert len(errors) == 1


def test_serving_is_said_once_listening_and_warns_of_changes(tmp_path: Path, serve) -> None:
    """Without --read-only, the first line says the books can be changed from the browser;
    with it, that they are read-only.  Both are said only once the socket listens (the
    server answers by the time the line is there)."""
    ledger = write_small(tmp_path)
    writable = serve(ledger)
    line = writable.process.stderr.readline().decode()
    assert line.startswith(f"fundledger: serving {ledger.resolve()} on http://127.0.0.1:"
                           f"{writable.port}/")
    assert "can be changed from the browser" in line and "--read-only" in line
    assert request(f"{writable.base}/income_statement/")[0] == 200
    audited = serve(ledger, "--read-only")
    line = audited.process.stderr.readline().decode()
    assert line.rstrip().endswith("(read-only)") and "changed" not in line


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_read_only_refuses_every_change(tmp_path: Path, serve) -> None:
    ledger = write_small(tmp_path)
    before = ledger.read_bytes()
    server = serve(ledger, "--read-only")
    # Listens on 127.0.0.1 only, by default.
    assert _listening_addresses(server.port) == {"0100007F"}
    status, body = request(server.url("api/source"))
    assert status == 200
    source = json.loads(body)["data"]
    change = {"file_path": str(ledger), "source": source["source"] + "\n; edited\n",
              "sha256sum": source["sha256sum"]}
    assert request(server.url("api/source"), "PUT", change)[0] == 401
    assert request(server.url("api/add_entries"), "PUT", {"entries": []})[0] == 401
    assert request(server.url("api/source_slice"), "DELETE",
                   {"entry_hash": "0", "sha256sum": "0"})[0] == 401
    assert request(server.url("api/format_source"), "PUT", {"source": ""})[0] == 401
    assert ledger.read_bytes() == before
    for page in PAGES:  # reading still works
        assert request(server.url(f"extension/{page}/"))[0] == 200


def test_without_read_only_the_same_change_is_written(tmp_path: Path, serve) -> None:
    """The control of the test above: the refusal comes from --read-only."""
    ledger = write_small(tmp_path)
    server = serve(ledger)
    source = json.loads(request(server.url("api/source"))[1])["data"]
    change = {"file_path": str(ledger), "source": source["source"] + "\n; edited\n",
              "sha256sum": source["sha256sum"]}
    assert request(server.url("api/source"), "PUT", change)[0] == 200
    assert ledger.read_text().endswith("; edited\n")


def test_pages_are_there_even_without_the_extension_line(tmp_path: Path, serve) -> None:
    ledger = write_small(tmp_path, extension=False)
    assert "fava-extension" not in ledger.read_text()
    server = serve(ledger, "--host", "127.0.0.1")
    for page in PAGES:
        status, html = request(server.url(f"extension/{page}/"))
        assert status == 200, page
    status, html = request(server.url("extension/FundledgerFunds/"))
    assert 'data-fund="zero-waste"' in html
