"""Fixtures for the Fava tests: small ledgers, a `fundledger serve` process, headless Chromium.

Browser tests skip with a clear reason when Chromium or its driver is missing, unless
FUNDLEDGER_REQUIRE_BROWSER=1 (CI), in which case they fail.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LYON = REPO / "ledger" / "lyon" / "main.beancount"
FUNDLEDGER = Path(sys.executable).with_name("fundledger")
PAGES = ["FundledgerFunds", "FundledgerGrants", "FundledgerLoans",
         "FundledgerContributors", "FundledgerCompliance", "FundledgerProgrammes",
         "FundledgerBudget"]

#: A small ledger with one of everything the pages show: three funds (one endowment with
#: a spending rule), a transfer, a paid grant with impact, a revoked grant, a pledge
#: partly paid, a loan with a repayment, and one FL201 breach.
SMALL = """\
option "title" "Small foundation"
option "operating_currency" "EUR"
plugin "fundledger.plugins.funds"
{extension}
2019-01-01 open Assets:Bank:Current EUR
2019-01-01 open Assets:Endowment:Portfolio EUR
2019-01-01 open Assets:Loans:Honour EUR
2019-01-01 open Assets:Receivable:Pledges:Partners EUR
2019-01-01 open Assets:Suspense EUR
2019-01-01 open Liabilities:GrantsPayable EUR
2019-01-01 open Income:Contributions:Metropole EUR
2019-01-01 open Income:Contributions:Partners EUR
2019-01-01 open Income:Investment:Coupons EUR
2019-01-01 open Expenses:Grants:ZeroWaste EUR
2019-01-01 open Expenses:Admin:Management EUR

2019-01-01 custom "fund" "dotation" "endowment" "Endowment of the Metropole"
  consumable: FALSE
2019-01-01 custom "fund" "general" "unrestricted" "Free funds"
2019-01-01 custom "fund" "zero-waste" "restricted" "Towards zero waste"
2019-01-01 custom "spending-rule" "dotation" 20 4
2019-01-01 custom "indicator" "jobs" "Jobs created" "jobs"

2019-03-12 * "Metropole" "Initial endowment"
  fund: "dotation"
  Assets:Endowment:Portfolio  1000000.00 EUR
  Income:Contributions:Metropole

2019-04-01 * "Savings Bank" "Zero waste contribution"
  fund: "zero-waste"
  Assets:Bank:Current  50000.00 EUR
  Income:Contributions:Partners

2019-06-30 * "Coupons"
  fund: "dotation"
  Assets:Endowment:Portfolio  20000.00 EUR
  Income:Investment:Coupons

2020-01-15 custom "fund-transfer" "dotation" "zero-waste" 15000.00 EUR "Annual draw 2020"

2020-03-01 * "Bulk Shop" "Grant, committee of 2020-02-20"
  grant: "G-2020-001"
  fund: "zero-waste"
  grantee-kind: "association"
  committee: "2020-02-20"
  Expenses:Grants:ZeroWaste          30000.00 EUR
  Liabilities:GrantsPayable         -30000.00 EUR

2020-03-20 * "Bulk Shop" "Payment 1/2"
  grant: "G-2020-001"
  Liabilities:GrantsPayable           15000.00 EUR
  Assets:Bank:Current                -15000.00 EUR

2020-04-01 * "Territory Bank" "Pledge"
  fund: "general"
  Assets:Receivable:Pledges:Partners  20000.00 EUR
  Income:Contributions:Partners

2020-05-04 * "Territory Bank" "Pledge, part payment"
  fund: "general"
  Assets:Bank:Current  5000.00 EUR
  Assets:Receivable:Pledges:Partners

2020-06-01 * "Repair Cafe" "Honour loan"
  loan: "L-2020-001"
  fund: "general"
  term-months: 12
  grace-months: 2
  Assets:Loans:Honour  3000.00 EUR
  Assets:Bank:Current

2020-06-15 * "Compost Co" "Grant later revoked"
  grant: "G-2020-002"
  fund: "zero-waste"
  grantee-kind: "company"
  Expenses:Grants:ZeroWaste           5000.00 EUR
  Liabilities:GrantsPayable          -5000.00 EUR

2020-07-15 * "Compost Co" "Revocation"
  grant: "G-2020-002"
  fund: "zero-waste"
  Expenses:Grants:ZeroWaste          -5000.00 EUR
  Liabilities:GrantsPayable           5000.00 EUR

2020-09-01 * "Repair Cafe" "Repayment 1"
  loan: "L-2020-001"
  fund: "general"
  Assets:Bank:Current   300.00 EUR
  Assets:Loans:Honour  -300.00 EUR

2020-12-31 custom "impact" "G-2020-001" "jobs" 3

2021-01-11 ! "Unknown" "Unidentified transfer"
  bank-ref: "REF-0042"
  Assets:Bank:Current  120.00 EUR
  Assets:Suspense

2021-02-01 * "Town hall" "Management fees, far too high"
  fund: "general"
  Expenses:Admin:Management  100000.00 EUR
  Assets:Bank:Current
"""

EXTENSION_LINE = '2019-01-01 custom "fava-extension" "fundledger.fava"\n'


def write_small(folder: Path, extension: bool = True) -> Path:
    """The small ledger, with or without its ``fava-extension`` line."""
    path = folder / "main.beancount"
    path.write_text(SMALL.format(extension=EXTENSION_LINE if extension else ""),
                    encoding="utf-8")
    return path


@pytest.fixture
def small_ledger(tmp_path: Path) -> Path:
    return write_small(tmp_path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running `fundledger serve`; ``base`` is the ledger's URL (``.../<bfile>``)."""

    process: subprocess.Popen[bytes]
    port: int
    base: str

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"


def start_server(ledger: Path, *args: str, timeout: float = 120.0) -> Server:
    """Start `fundledger serve` on a free port; wait (bounded) until Fava answers."""
    port = free_port()
    process = subprocess.Popen(
        [str(FUNDLEDGER), "serve", str(ledger), "--port", str(port), *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"fundledger serve exited {process.returncode}: "
                               f"{process.stderr.read().decode() if process.stderr else ''}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
                # Fava redirects / to the ledger's first report: keep its /<bfile> prefix.
                bfile = answer.url.split("/")[3]
                return Server(process, port, f"http://127.0.0.1:{port}/{bfile}")
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    stop_server(process)
    raise RuntimeError(f"fundledger serve did not answer on port {port} within {timeout} s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    if process.stderr:
        process.stderr.close()


@pytest.fixture
def serve() -> Iterator:
    """Start servers with ``serve(ledger, *options)``; all are stopped after the test."""
    started: list[Server] = []

    def start(ledger: Path, *args: str) -> Server:
        server = start_server(ledger, *args)
        started.append(server)
        return server

    yield start
    for server in started:
        stop_server(server.process)
