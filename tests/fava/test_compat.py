"""Each Fava internal fundledger uses still behaves as the pages expect."""

from __future__ import annotations

import datetime

from beancount.core import data
from fava.application import create_app

from fundledger.fava import compat


def _entry(narration: str) -> data.Transaction:
    meta = data.new_metadata("books.beancount", 3)
    return data.Transaction(meta, datetime.date(2025, 1, 2), "*", "Payee", narration,
                            frozenset(), frozenset(), [])


def test_entry_hash_is_stable_and_tells_entries_apart() -> None:
    first = compat.entry_hash(_entry("one"))
    assert first == compat.entry_hash(_entry("one"))
    assert first != compat.entry_hash(_entry("two"))
    assert len(first) >= 16 and all(c in "0123456789abcdef" for c in first)


def test_incognito_follows_fava_s_option(tmp_path) -> None:
    ledger = tmp_path / "books.beancount"
    ledger.write_text('option "operating_currency" "EUR"\n', encoding="utf-8")
    for flag in (False, True):
        app = create_app([str(ledger)], load=True, incognito=flag)
        with app.test_request_context():
            assert compat.incognito() is flag


def test_hide_numbers_hides_every_digit() -> None:
    hidden = compat.hide_numbers("Grant G-2024-007: 30,000.00 EUR")
    assert not any(c.isdigit() for c in hidden)
    assert hidden.startswith("Grant G-") and "EUR" in hidden


def test_read_only_follows_fava_s_option(tmp_path) -> None:
    ledger = tmp_path / "books.beancount"
    ledger.write_text('option "operating_currency" "EUR"\n', encoding="utf-8")
    for flag in (False, True):
        app = create_app([str(ledger)], load=True, read_only=flag)
        with app.test_request_context():
            assert compat.read_only() is flag


def test_forget_budget_errors_drops_only_those_it_is_told_of(tmp_path) -> None:
    ledger = tmp_path / "books.beancount"
    ledger.write_text('option "operating_currency" "EUR"\n'
                      '2025-01-01 open Expenses:Books EUR\n'
                      '2025-01-01 custom "budget" "fund" 2025 10.00 EUR\n'
                      '2025-01-01 custom "budget" Expenses:Books "fortnightly" 10.00 EUR\n',
                      encoding="utf-8")
    app = create_app([str(ledger)], load=True)
    fava = app.config["LEDGERS"].ledgers[0]
    assert len(fava.budgets.errors) == 2  # Fava reads both as its own
    compat.forget_budget_errors(fava, lambda entry: entry.values[0].value == "fund")
    assert [e.entry.values[1].value for e in fava.errors] == ["fortnightly"]
