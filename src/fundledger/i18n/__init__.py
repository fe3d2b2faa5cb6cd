"""fundledger's presentation in fr, it and en: labels from gettext catalogs, locale formats.

One package for every human-facing output (board reports, Fava pages, public site,
exports), so the same thing is said and formatted the same way everywhere::

    from fundledger import i18n
    i18n.t("headline.received", "fr")                  # 'Ressources reçues'
    i18n.t("quarterly.period", "it", start=..., end=...)  # placeholders via str.format
    i18n.format_money(Decimal("1000000"), "fr")        # '1 000 000,00 €'
    i18n.format_date(date(2025, 9, 30), "it")          # '30 settembre 2025'

* The texts live in ``locale/<lang>/LC_MESSAGES/fundledger.po`` (:mod:`.catalogs`); the
  message id is the label key.  Every key exists in every language (a test checks it,
  and that the ``{placeholders}`` agree); :func:`t` raises ``KeyError`` on an unknown key,
  so a missing label is a bug, never silent English in a French report.
* The formatters are in :mod:`.formats`, re-exported here; :class:`.formatter.Formatter`
  binds them and the labels to one language for the templates.  This package imports
  Babel only (never Beancount or the engine): commands that answer from a cache stay
  light.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING

from fundledger.i18n.catalogs import DOMAIN, SITE, Labels, messages
from fundledger.i18n.formats import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    LOCALES,
    WIDE,
    check_language,
    format_date,
    format_money,
    format_number,
    format_percent,
    format_quantity,
    format_quarter,
    format_rate,
    locale_of,
    singular_unit,
)

if TYPE_CHECKING:  # pragma: no cover
    from fundledger.engine.closing import PeriodStatus

__all__ = [
    "DEFAULT_LANGUAGE", "DOMAIN", "LABELS", "LANGUAGES", "LOCALES", "SITE", "WIDE",
    "check_language", "cost_label", "format_date", "format_money", "format_number",
    "format_percent", "format_quantity", "format_quarter", "format_rate", "fund_kind",
    "grantee_kind",
    "known", "locale_of", "messages", "period_status", "singular_unit", "t", "t_count",
]

#: ``key -> {lang: text}`` of every output's labels (read from the catalogs when used).
LABELS = Labels(DOMAIN)


def t(key: str, lang: str, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = messages(check_language(lang))[key]
    return text.format(**values) if values else text


def t_count(key: str, count: int, lang: str, **values: object) -> str:
    """``key.one`` or ``key.other`` by the locale's plural rule for ``count``."""
    form = "one" if locale_of(lang).plural_form(abs(count)) == "one" else "other"
    return t(f"{key}.{form}", lang, count=count, **values)


def known(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    """Whether the catalogs hold ``key`` (for labels derived from data, such as kinds)."""
    return key in messages(check_language(lang))


def fund_kind(kind: str, lang: str) -> str:
    key = f"fund_kind.{kind}"
    return t(key, lang) if known(key, lang) else kind


def grantee_kind(kind: str | None, lang: str) -> str:
    key = f"grantee_kind.{kind}"
    return t(key, lang) if known(key, lang) else (kind or "")


def cost_label(account: str, lang: str) -> str:
    """A human name for an expense account's family (its first two components).

    Only the second component counts: the root may be renamed (``Charges:Programs``
    under ``option "name_expenses" "Charges"``), the second level is fixed.
    """
    parts = account.split(":")
    key = f"cost.Expenses:{parts[1]}" if len(parts) > 1 else "cost.other"
    return t(key, lang) if known(key, lang) else t("cost.other", lang)


def period_status(status: PeriodStatus, lang: str,
                  date: Callable[[datetime.date], str] | None = None) -> str:
    """Whether a page's or report's period is closed: by which close (with its note), or
    reopened, or still open.  ``date`` formats the dates (default: the long local form)."""
    show = date or (lambda day: format_date(day, lang))
    if status.close is not None:
        return t("closing.closed", lang, date=show(status.close.date), note=status.close.note)
    if status.reopened is not None:
        return t("closing.reopened", lang, date=show(status.reopened.date),
                 note=status.reopened.note)
    return t("closing.open", lang)

