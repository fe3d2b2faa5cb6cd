"""Categorisation rules: which counter-account and fund a bank line goes to.

Rules live in a TOML file the treasurer edits (``importers/rules.toml`` in the demo).
The first rule that matches a line wins; a line no rule matches goes to the suspense
account, flagged ``!``.  A rule may say that the line names a grant or a loan
(``id = "grant"`` / ``"loan"``): the id found in the text is then kept as ``grant:`` or
``loan:`` metadata, and the account and fund default to those the grant or loan already
uses in the ledger, so one rule serves every grant payment.

    suspense = "Assets:Suspense"
    grant-id = 'G-\\d{4}-\\d{3}'
    loan-id = 'P-\\d{4}-\\d{3}'

    [[rule]]
    payee = "URSSAF"                 # regular expression, case-insensitive
    text = "cotisations"             # regular expression on the bank's text
    direction = "debit"              # or "credit"; both if absent
    account = "Expenses:Admin:Social"
    fund = "general"
    contributor = "Donateurs"        # optional: who gave, for Income:Contributions lines
    narration = "Cotisations"        # optional: replaces the bank's text
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount.core import account as account_lib

DEFAULT_SUSPENSE = "Assets:Suspense"
DEFAULT_GRANT_ID = r"\bG-\d{4}-\d{3}\b"
DEFAULT_LOAN_ID = r"\bP-\d{4}-\d{3}\b"
RULE_KEYS = {"payee", "text", "direction", "account", "fund", "id", "narration", "contributor",
             "name"}


class RulesError(Exception):
    """The rules file cannot be used; the message names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    """One pattern → counter-account (and fund, and grant or loan) rule."""

    payee: re.Pattern[str] | None = None
    text: re.Pattern[str] | None = None
    direction: str | None = None
    account: str | None = None
    fund: str | None = None
    id: str | None = None
    narration: str | None = None
    contributor: str | None = None
    name: str = ""

    def matches(self, payee: str, text: str, amount: Decimal) -> bool:
        if self.direction == "credit" and amount < 0 or self.direction == "debit" and amount > 0:
            return False
        if self.payee is not None and not self.payee.search(payee):
            return False
        return self.text is None or bool(self.text.search(text))


@dataclass(frozen=True)
class Rules:
    """An ordered list of rules, the suspense account, and how grant and loan ids look."""

    rules: tuple[Rule, ...] = ()
    suspense: str = DEFAULT_SUSPENSE
    grant_id: re.Pattern[str] = field(default_factory=lambda: re.compile(DEFAULT_GRANT_ID))
    loan_id: re.Pattern[str] = field(default_factory=lambda: re.compile(DEFAULT_LOAN_ID))


def load_rules(path: str | Path) -> Rules:
    """Read a rules file, or raise :class:`RulesError` naming the file and the rule at fault."""
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"{path}: cannot read: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: {exc}") from None
    return rules_from_dict(doc, str(path))


def rules_from_dict(doc: dict, source: str = "rules") -> Rules:
    """Build rules from already-parsed data (a TOML document or a Python literal)."""
    unknown = set(doc) - {"suspense", "grant-id", "loan-id", "rule"}
    if unknown:
        raise RulesError(f"{source}: unknown setting(s) {', '.join(sorted(unknown))}")
    suspense = doc.get("suspense", DEFAULT_SUSPENSE)
    _check_account(source, "suspense", suspense)
    rules = tuple(_rule(source, n, spec) for n, spec in enumerate(doc.get("rule", []), 1))
    return Rules(rules, suspense,
                 _pattern(source, "grant-id", doc.get("grant-id", DEFAULT_GRANT_ID)),
                 _pattern(source, "loan-id", doc.get("loan-id", DEFAULT_LOAN_ID)))


def _rule(source: str, n: int, spec: dict) -> Rule:
    where = f"rule {n}"
    if not isinstance(spec, dict):
        raise RulesError(f"{source}: {where}: expected a table of settings")
    unknown = set(spec) - RULE_KEYS
    if unknown:
        raise RulesError(f"{source}: {where}: unknown setting(s) {', '.join(sorted(unknown))}")
    if "payee" not in spec and "text" not in spec:
        raise RulesError(f"{source}: {where}: needs a payee or a text pattern")
    if spec.get("direction") not in (None, "credit", "debit"):
        raise RulesError(f"{source}: {where}: direction must be \"credit\" or \"debit\"")
    if spec.get("id") not in (None, "grant", "loan"):
        raise RulesError(f"{source}: {where}: id must be \"grant\" or \"loan\"")
    if "account" not in spec and "id" not in spec:
        raise RulesError(f"{source}: {where}: needs an account (or id = \"grant\"/\"loan\")")
    if "account" in spec:
        _check_account(source, where, spec["account"])
    return Rule(
        payee=_pattern(source, f"{where}: payee", spec["payee"]) if "payee" in spec else None,
        text=_pattern(source, f"{where}: text", spec["text"]) if "text" in spec else None,
        direction=spec.get("direction"), account=spec.get("account"), fund=spec.get("fund"),
        id=spec.get("id"), narration=spec.get("narration"), contributor=spec.get("contributor"),
        name=spec.get("name", where))


def _pattern(source: str, where: str, text: object) -> re.Pattern[str]:
    if not isinstance(text, str):
        raise RulesError(f"{source}: {where}: expected a text pattern")
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise RulesError(f"{source}: {where}: bad pattern {text!r}: {exc}") from None


def _check_account(source: str, where: str, name: object) -> None:
    if not isinstance(name, str) or not account_lib.is_valid(name):
        raise RulesError(f"{source}: {where}: not a Beancount account name: {name!r}")
