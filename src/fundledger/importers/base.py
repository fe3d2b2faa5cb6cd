"""The beangulp importers: one per format, all sharing how statements become entries.

Usable as they are from a beangulp script (``beangulp.Ingest(CONFIG)``), from Fava's
import page (``CONFIG`` in the ``import-config`` module) and from ``fundledger import``.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import beangulp
from beancount.core import data
from beancount.core.amount import Amount

from fundledger.collector import fewer_collections
from fundledger.engine.closing import closing_from
from fundledger.importers import camt, cfonb, csvfile, ofx
from fundledger.importers.dedup import BANK_REF, mark_duplicates
from fundledger.importers.rules import Rule, Rules
from fundledger.importers.statement import (
    Line,
    Statement,
    StatementError,
    ledger_keys,
    normalise_id,
    two_decimals,
)

HEAD = 8192
_Posting, _Transaction, _EMPTY, _amount = (data.Posting, data.Transaction, data.EMPTY_SET,
                                           Amount._make)


@dataclass(frozen=True)
class Known:
    """What the ledger says about a grant or loan id: its accounts and its fund."""

    debit_account: str | None
    credit_account: str | None
    fund: str | None


class LedgerFacts:
    """Bank accounts by IBAN/number, and grants and loans by id, read from ledger entries."""

    def __init__(self, entries: Iterable[data.Directive]) -> None:
        self.accounts: dict[str, set[str]] = {}
        self.grants: dict[str, Known] = {}
        self.loans: dict[str, Known] = {}
        for entry in entries:
            if isinstance(entry, data.Open) and entry.meta:
                for key in ledger_keys(_text(entry.meta.get("iban")),
                                       _text(entry.meta.get("account-number"))):
                    self.accounts.setdefault(key, set()).add(entry.account)
            elif isinstance(entry, data.Transaction) and entry.meta:
                if "grant" in entry.meta:
                    self._grant(str(entry.meta["grant"]), entry)
                if "loan" in entry.meta:
                    self._loan(str(entry.meta["loan"]), entry)

    def _grant(self, grant: str, txn: data.Transaction) -> None:
        """From the award: payments debit its GrantsPayable, refunds credit its expense."""
        if grant in self.grants:
            return
        payable = next((p for p in txn.postings if p.account.startswith("Liabilities:")), None)
        expense = next((p for p in txn.postings if p.account.startswith("Expenses:")), None)
        if payable and expense:
            self.grants[grant] = Known(payable.account, expense.account, _fund(txn, expense))

    def _loan(self, loan: str, txn: data.Transaction) -> None:
        if loan in self.loans:
            return
        lent = next((p for p in txn.postings if p.account.startswith("Assets:Loans")), None)
        if lent:
            self.loans[loan] = Known(lent.account, lent.account, _fund(txn, lent))


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _fund(txn: data.Transaction, posting: data.Posting) -> str | None:
    fund = (posting.meta or {}).get("fund") or (txn.meta or {}).get("fund")
    return str(fund) if fund else None


class StatementImporter(beangulp.Importer):
    """Shared behaviour: identify by content, find the account, categorise, de-duplicate.

    ``rules``: categorisation rules; ``account``: the ledger account for every statement
    (what ``--account`` sets); ``accounts``: IBAN or account number → account, for use
    without a ledger; ``ledger``: a ledger file whose ``open`` directives say which account
    has which IBAN, read when the importer is given no existing entries.
    """

    format = "statement"
    extensions: tuple[str, ...] = ()

    def __init__(self, rules: Rules | None = None, *, account: str | None = None,
                 accounts: Mapping[str, str] | None = None,
                 ledger: str | os.PathLike[str] | None = None, name: str | None = None,
                 balances: bool = True) -> None:
        self.rules = rules or Rules()
        self.custom_name = name
        self.balances = balances
        self.fixed_account = account
        self.accounts = {normalise_id(k): v for k, v in (accounts or {}).items()}
        self.ledger = Path(ledger) if ledger else None
        self._parsed: tuple[tuple, list[Statement]] | None = None
        self._ledger_facts: LedgerFacts | None = None
        self._rule_sets: tuple[Rules, list, list, list] | None = None

    @property
    def name(self) -> str:
        """``fundledger.FORMAT``, or the name the configuration gives (beangulp and Fava
        want each importer of a configuration to have its own)."""
        return self.custom_name or f"fundledger.{self.format}"

    # -- beangulp protocol -------------------------------------------------------------

    def identify(self, filepath: str) -> bool:
        if self.extensions and not filepath.lower().endswith(self.extensions):
            return False
        try:
            with open(filepath, "rb") as handle:
                head = handle.read(HEAD)
            return bool(head) and self.sniff(filepath, head)
        except Exception:  # beangulp and Fava ask every importer: identifying never fails
            return False

    def problem(self, filepath: str) -> StatementError | None:
        """Why this file, identified as ours, cannot be extracted (None when it can).

        Fava's import page lists every identified file before anything is extracted; a
        file that cannot be read, that does not add up, or whose account the books do not
        know is reported for that file alone instead of failing the whole page.
        """
        try:
            for statement in self.statements(filepath):
                self.resolve(statement, self._facts([]))
                if self.balances and statement.mismatch is not None:
                    return statement.mismatch
        except StatementError as exc:
            return exc
        except Exception as exc:  # a parser's bug: still this file's problem alone
            return StatementError(filepath, None, f"{type(exc).__name__}: {exc}")
        return None

    def account(self, filepath: str) -> data.Account:
        """The statement's ledger account; "" when it cannot be told (an unreadable file,
        an account the books do not know yet): beangulp and Fava ask before extracting,
        and the extraction then says what is wrong, for that file alone."""
        try:
            statement = self.statements(filepath)[0]
            return self.resolve(statement, self._facts([]))
        except StatementError:
            return ""

    def date(self, filepath: str) -> datetime.date | None:
        try:
            statements = self.statements(filepath)
        except StatementError:
            return None  # beangulp and Fava ask before extracting: the extract says why
        days = [s.closing.date - datetime.timedelta(days=1) for s in statements if s.closing]
        days += [line.date for s in statements for line in s.lines]
        return max(days) if days else None

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        existing = existing if isinstance(existing, list) else list(existing or [])
        with fewer_collections():
            return self._extract(filepath, existing)

    def _extract(self, filepath: str, existing: list[data.Directive]) -> data.Entries:
        facts = self._facts(existing)
        entries: list[data.Directive] = []
        asserted: set[tuple] = set()
        for statement in self.statements(filepath):
            for entry in self.entries(statement, self.resolve(statement, facts), facts):
                if isinstance(entry, data.Balance):
                    # One statement's closing is often the next one's opening.
                    key = (entry.date, entry.account, entry.amount)
                    if key in asserted:
                        continue
                    asserted.add(key)
                entries.append(entry)
        suspense = self.rules.suspense
        using = [e for e in entries if isinstance(e, data.Transaction)
                 and e.postings[-1].account == suspense]
        if using:
            # Opened when the books begin, so that no later import of an older statement
            # can use it before its opening; but not inside a closed period, whose entries
            # an open would change (FL701): the day after it, unless a line falls in it.
            opened = [e.date for e in existing if isinstance(e, data.Open)]
            first_use = min(e.date for e in using)
            day = min(opened) if opened else first_use
            closed = closing_from(existing).closed_through()
            if closed is not None and day <= closed:
                day = min(closed + datetime.timedelta(days=1), first_use)
            meta = data.new_metadata(filepath, 0)
            entries.append(data.Open(meta, day, suspense, None, None))
        return entries

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        mark_duplicates(entries, existing)

    # -- what each format provides -----------------------------------------------------

    def sniff(self, filepath: str, head: bytes) -> bool:
        raise NotImplementedError

    def parse(self, filepath: str) -> list[Statement]:
        raise NotImplementedError

    # -- shared machinery --------------------------------------------------------------

    def statements(self, filepath: str) -> list[Statement]:
        """The file's statements, parsed once however many beangulp methods ask."""
        try:
            stat = os.stat(filepath)
        except OSError as exc:
            raise StatementError(filepath, None, f"cannot read: {exc.strerror}") from None
        key = (os.path.abspath(filepath), stat.st_mtime_ns, stat.st_size)
        if self._parsed is None or self._parsed[0] != key:
            if stat.st_size == 0:
                raise StatementError(filepath, None, "empty file")
            try:
                self._parsed = (key, self.parse(filepath))
            except OSError as exc:
                raise StatementError(filepath, None, f"cannot read: {exc.strerror}") from None
        return self._parsed[1]

    def _facts(self, existing: list[data.Directive]) -> LedgerFacts:
        if existing:
            return LedgerFacts(existing)
        if self._ledger_facts is None:
            entries: list[data.Directive] = []
            if self.ledger is not None:
                from fundledger.ledger import LedgerUnreadable, load

                try:
                    entries = load(self.ledger).entries
                except LedgerUnreadable as exc:
                    raise StatementError(str(self.ledger), None, str(exc)) from None
            self._ledger_facts = LedgerFacts(entries)
        return self._ledger_facts

    def resolve(self, statement: Statement, facts: LedgerFacts) -> str:
        """The ledger account of a statement: ``--account``, else its IBAN or number."""
        if self.fixed_account:
            return self.fixed_account
        keys = statement.account_keys()
        for key in keys:
            if key in self.accounts:
                return self.accounts[key]
            found = facts.accounts.get(key)
            if found and len(found) > 1:
                raise StatementError(statement.path, statement.where,
                                     f"{key} is on several accounts: {', '.join(sorted(found))}")
            if found:
                return next(iter(found))
        if not keys:
            raise StatementError(statement.path, statement.where,
                                 "the statement names no account (no IBAN nor account "
                                 "number): pass --account ACCOUNT")
        raise StatementError(statement.path, statement.where,
                             f"no ledger account for {keys[0]}: add iban: or account-number: "
                             "to its open directive, or pass --account")

    def entries(self, statement: Statement, account: str,
                facts: LedgerFacts) -> list[data.Directive]:
        """Transactions for the lines, balance assertions for the balances."""
        path = statement.path
        if self.balances and statement.mismatch is not None:
            raise statement.mismatch
        result: list[data.Directive] = [self.transaction(path, line, account, facts)
                                        for line in statement.lines]
        if not self.balances:
            return result
        for balance in statement.assertions():
            meta = data.new_metadata(path, balance.where if isinstance(balance.where, int)
                                     else 0)
            result.append(data.Balance(meta, balance.date, account,
                                       Amount(two_decimals(balance.amount), balance.currency),
                                       None, None))
        return result

    def transaction(self, path: str, line: Line, account: str,
                    facts: LedgerFacts) -> data.Transaction:
        where = line.where
        meta = {"filename": path, "lineno": where if where.__class__ is int else 0}
        if line.ref:
            meta[BANK_REF] = line.ref
        amount, text, currency = line.amount, line.text, line.currency
        amount = two_decimals(amount)
        counter, flag, narration = self.rules.suspense, "!", text
        payee = line.payee or ""
        for rule, payee_search, text_search in self._rules_for(amount):
            # Rule.matches, its direction already checked.
            if payee_search is not None and payee_search(payee) is None or (
                    text_search is not None and text_search(text) is None):
                continue
            target = self._target(rule, line, facts)
            if target is None:
                continue
            counter, extra = target
            meta.update(extra)
            flag, narration = "*", rule.narration or text
            break
        # _amount: the namedtuple's own constructor, without Amount.__new__'s type
        # assertions (a Decimal and a str, here by construction).
        postings = [_Posting(account, _amount((amount, currency)), None, None, None, None),
                    _Posting(counter, _amount((-amount, currency)), None, None, None, None)]
        return _Transaction(meta, line.date, flag, line.payee, narration, _EMPTY, _EMPTY,
                            postings)

    def _rules_for(self, amount: Decimal) -> list[tuple[Rule, Any, Any]]:
        """The rules that can match an amount's direction, in order, with their patterns'
        ``search`` (computed once per set of rules)."""
        cached = self._rule_sets
        if cached is None or cached[0] is not self.rules:
            def usable(excluded: str | None) -> list[tuple[Rule, Any, Any]]:
                return [(rule, rule.payee.search if rule.payee is not None else None,
                         rule.text.search if rule.text is not None else None)
                        for rule in self.rules.rules
                        if excluded is None or rule.direction != excluded]
            cached = self._rule_sets = (self.rules, usable("debit"), usable("credit"),
                                        usable(None))
        return cached[1] if amount > 0 else cached[2] if amount < 0 else cached[3]

    def _target(self, rule: Rule, line: Line,
                facts: LedgerFacts) -> tuple[str, dict[str, str]] | None:
        """Counter-account and metadata a matching rule gives, or None if it cannot apply."""
        if rule.id is None:
            meta = {"fund": rule.fund} if rule.fund else {}
            if rule.contributor:
                meta["contributor"] = rule.contributor
            return rule.account, meta
        pattern = self.rules.grant_id if rule.id == "grant" else self.rules.loan_id
        known = facts.grants if rule.id == "grant" else facts.loans
        for match in pattern.finditer(f"{line.text} {line.payee or ''}"):
            ident = match.group(0).upper()
            if ident in known:
                found = known[ident]
                counter = rule.account or (found.debit_account if line.amount < 0
                                           else found.credit_account)
                fund = rule.fund or found.fund
                meta = {rule.id: ident}
                if fund:
                    meta["fund"] = fund
                return counter, meta
        return None


class CamtImporter(StatementImporter):
    """ISO 20022 camt.053 bank-to-customer statements (001.02 to 001.08)."""

    format = "camt053"
    extensions = (".xml", ".053", ".camt")

    def sniff(self, filepath: str, head: bytes) -> bool:
        return camt.sniff(head)

    def parse(self, filepath: str) -> list[Statement]:
        return camt.parse(filepath)


class CfonbImporter(StatementImporter):
    """French CFONB 120 statements (relevés 120 caractères)."""

    format = "cfonb120"

    def sniff(self, filepath: str, head: bytes) -> bool:
        return cfonb.sniff(head)

    def parse(self, filepath: str) -> list[Statement]:
        return cfonb.parse(filepath)


class OfxImporter(StatementImporter):
    """OFX bank and credit-card statements (v1 SGML and v2 XML)."""

    format = "ofx"
    extensions = (".ofx", ".qfx")

    def sniff(self, filepath: str, head: bytes) -> bool:
        return ofx.sniff(head)

    def parse(self, filepath: str) -> list[Statement]:
        return ofx.parse(filepath)


class CsvImporter(StatementImporter):
    """Bank CSV exports; ``fmt`` says which columns hold what (French, Italian or yours)."""

    def __init__(self, fmt: csvfile.CsvFormat = csvfile.FRENCH, rules: Rules | None = None,
                 **options) -> None:
        super().__init__(rules, **options)
        self.fmt = fmt
        self.format = f"csv.{fmt.name}"
        self.extensions = fmt.extensions

    def sniff(self, filepath: str, head: bytes) -> bool:
        return csvfile.read_rows(filepath, self.fmt, head_only=True) is not None

    def parse(self, filepath: str) -> list[Statement]:
        return csvfile.parse(filepath, self.fmt)


def default_importers(rules: Rules | None = None, **options) -> list[StatementImporter]:
    """Every format with the same rules: what runs without a configuration."""
    return [CamtImporter(rules, **options), CfonbImporter(rules, **options),
            OfxImporter(rules, **options), CsvImporter(csvfile.FRENCH, rules, **options),
            CsvImporter(csvfile.ITALIAN, rules, **options)]
