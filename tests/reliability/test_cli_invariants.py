"""SPEC 9's invariants read from the command line's JSON, on a ledger of several hundred
entries: what a treasurer's script sees must add up, not only the engine's objects.

The ledger comes from the engine tests' simulator (valid by construction), drawn from a
fixed seed; the engine's own property tests live in tests/engine/test_properties.py.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from fundledger.ledger import load
from tests.engine.test_properties import DONORS, FUNDS, OPERATIONS, simulate

from .conftest import run

AMOUNTS = ("received", "spent", "transfers_in", "transfers_out", "balance",
           "loans_outstanding", "pledges_outstanding", "available")


def total(shares: list[dict]) -> Decimal:
    return sum((Decimal(s["amount"]) for s in shares), Decimal(0))


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    draw = random.Random(9)
    steps = [(draw.choice(OPERATIONS), draw.choice(FUNDS), draw.choice(DONORS),
              draw.randint(1, 5_000_000), draw.randint(0, 1000)) for _ in range(700)]
    path = tmp_path_factory.mktemp("invariants") / "main.beancount"
    path.write_text(simulate(steps), encoding="utf-8")
    return path


def test_several_hundred_entries_and_clean(ledger: Path) -> None:
    loaded = load(ledger)
    assert len(loaded.entries) >= 500
    result = run("check", ledger)
    assert result.exit_code == 0, result.stdout


def test_funds_json_adds_up(ledger: Path) -> None:
    result = run("funds", ledger, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {row["fund"] for row in rows} >= set(FUNDS)
    income = expenses = Decimal(0)
    for entry in load(ledger).entries:
        for posting in getattr(entry, "postings", ()):
            if posting.account.startswith("Income:"):
                income -= posting.units.number
            elif posting.account.startswith("Expenses:"):
                expenses += posting.units.number
    figures = [{k: Decimal(row[k]) for k in AMOUNTS} for row in rows]
    assert all(row[k] == row[k].quantize(Decimal("0.01")) for row in figures for k in AMOUNTS)
    assert sum(f["balance"] for f in figures) == income - expenses
    assert sum(f["transfers_in"] for f in figures) == sum(f["transfers_out"] for f in figures)
    for f in figures:
        assert f["balance"] == f["received"] - f["spent"] + f["transfers_in"] - f["transfers_out"]
        assert f["available"] == (f["balance"] - f["loans_outstanding"]
                                  - f["pledges_outstanding"])
        assert f["available"] >= 0  # the simulator never overspends; no FL201 either


def test_trace_json_adds_up_for_every_contributor(ledger: Path) -> None:
    funds = {row["fund"]: row for row in json.loads(run("funds", ledger, "--format",
                                                        "json").stdout)}
    unspent: defaultdict[str, Decimal] = defaultdict(Decimal)
    pledged: defaultdict[str, Decimal] = defaultdict(Decimal)
    traced = 0
    for donor in DONORS:
        result = run("trace", ledger, "--contributor", donor, "--format", "json")
        if result.exit_code == 2 and "unknown contributor" in result.stderr:
            continue  # the draw gave this donor nothing
        assert result.exit_code == 0, result.stderr
        shares = json.loads(result.stdout)
        traced += 1
        assert shares["contributor"] == donor
        assert total(shares["given"]) + total(shares["earned"]) == (
            total(shares["used"]) + total(shares["unspent"]) + total(shares["pledged"]))
        assert all(Decimal(s["amount"]) >= 0 for key in ("given", "unspent", "pledged")
                   for s in shares[key])
        assert {s["kind"] for s in shares["used"]} <= {"grant", "loan", "expense"}
        for share in shares["unspent"]:
            unspent[share["fund"]] += Decimal(share["amount"])
        for share in shares["pledged"]:
            pledged[share["fund"]] += Decimal(share["amount"])
    assert traced >= 3
    for name, row in funds.items():
        # Every pledge has a contributor; contributors' unspent money is money the fund has.
        assert pledged[name] == Decimal(row["pledges_outstanding"]), name
        assert unspent[name] <= Decimal(row["available"]), name


def test_entries_out_of_order_in_the_file_give_the_same_figures(ledger: Path,
                                                                 tmp_path: Path) -> None:
    """Beancount orders by date: a file written in any order of days gives the same books."""
    text = ledger.read_text(encoding="utf-8")
    head, _sep, body = text.partition("\n\n")
    blocks = [b for b in body.split("\n\n") if b.strip()]
    # the header's declarations first; each simulated entry is dated on a day of its own
    shuffled = blocks[:]
    random.Random(3).shuffle(shuffled)
    assert shuffled != blocks
    other = tmp_path / "desordre.beancount"
    other.write_text(head + "\n\n" + "\n\n".join(shuffled) + "\n", encoding="utf-8")
    for command in (["funds", "--format", "json"],
                    ["trace", "--contributor", DONORS[0], "--format", "json"]):
        ordered = run(command[0], ledger, *command[1:])
        disordered = run(command[0], other, *command[1:])
        assert ordered.exit_code == disordered.exit_code == 0, disordered.stderr
        assert json.loads(disordered.stdout) == json.loads(ordered.stdout)
