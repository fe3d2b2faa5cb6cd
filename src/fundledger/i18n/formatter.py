"""The locale-bound helpers every template receives: ``t``, ``money``, ``date``...

Why a class: a template is filled for one language, so the board report, the Fava pages'
templates and the public site bind the language once (``Formatter("fr")``) and the
template calls ``money(amount)``, never ``format_money(amount, lang)``; the formatting
itself is :mod:`fundledger.i18n.formats`, the texts :func:`fundledger.i18n.t`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fundledger import i18n
from fundledger.engine import round_to_cent

if TYPE_CHECKING:  # pragma: no cover
    from fundledger.engine.closing import PeriodStatus


class Formatter:
    """Locale-bound helpers handed to templates as ``money``, ``date``, ``t``..."""

    def __init__(self, lang: str) -> None:
        self.lang = i18n.check_language(lang)

    def t(self, key: str, **values: object) -> str:
        return i18n.t(key, self.lang, **values)

    def money(self, amount: Decimal | None, blank_zero: bool = False) -> str:
        if amount is None:
            return i18n.t("not_applicable", self.lang)
        amount = round_to_cent(Decimal(amount))
        if blank_zero and amount == 0:
            return "–"
        return i18n.format_money(amount, self.lang)

    def amount(self, amount: Decimal | None) -> str:
        """A table amount: two decimals, the locale's grouping, no currency sign."""
        if amount is None:
            return i18n.t("not_applicable", self.lang)
        return i18n.format_number(round_to_cent(Decimal(amount)), self.lang, 2)

    def date(self, day: datetime.date | None, style: str = "long") -> str:
        return "" if day is None else i18n.format_date(day, self.lang, style)

    def number(self, value: Decimal | int | float, decimals: int | None = None) -> str:
        return i18n.format_number(value, self.lang, decimals)

    def count(self, key: str, count: int) -> str:
        """``key``'s label for ``count`` things, in the right number ("1 projet")."""
        return i18n.t_count(key, count, self.lang)

    def quantity(self, value: Decimal | int, unit: str, unit_one: str | None = None) -> str:
        """A measured value and its unit, agreeing in number ("1 emploi", "3 emplois")."""
        return i18n.format_quantity(value, unit, self.lang, unit_one)

    def percent(self, fraction: Decimal | float, decimals: int = 1) -> str:
        return i18n.format_percent(fraction, self.lang, decimals)

    def rate(self, percent: Decimal | float) -> str:
        return i18n.format_rate(percent, self.lang)

    def quarter_name(self, quarter: Any) -> str:
        return i18n.format_quarter(quarter.year, quarter.number, self.lang)

    def fund_kind(self, kind: str) -> str:
        return i18n.fund_kind(kind, self.lang)

    def grantee_kind(self, kind: str | None) -> str:
        return i18n.grantee_kind(kind, self.lang)

    def cost(self, account: str) -> str:
        return i18n.cost_label(account, self.lang)

    def closing(self, status: PeriodStatus) -> str:
        """Whether a report's period is closed: by which close, or reopened, or still open."""
        return i18n.period_status(status, self.lang)
