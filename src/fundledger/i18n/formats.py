"""Money, numbers, percentages, dates and quarters as the reader's locale writes them.

Why one module: the board report, the Fava pages and the public site must format the
same amount the same way in each language, through Babel (CLDR) rather than ad-hoc string
tricks.  Every formatter takes the short language code (``fr``, ``it``, ``en``); the CLDR
locale behind each is in :data:`LOCALES`.

The Babel ``Locale`` of each language and the number patterns are parsed once per process
(:func:`locale_of`, :func:`_number_pattern`): a report formats a thousand numbers, and
parsing the locale for each one was most of the time spent filling the template.
"""

from __future__ import annotations

import datetime
import decimal
import functools
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import NumberPattern, format_currency, format_decimal, parse_pattern

#: Languages fundledger speaks, with the CLDR locale used for formatting.
LOCALES: dict[str, str] = {"fr": "fr_FR", "it": "it_IT", "en": "en_GB"}
LANGUAGES: tuple[str, ...] = tuple(LOCALES)
DEFAULT_LANGUAGE = "en"


def check_language(lang: str) -> str:
    """``lang`` if fundledger speaks it, else ``ValueError`` (callers turn it into exit 2)."""
    if lang not in LOCALES:
        raise ValueError(f'unknown language "{lang}" (expected one of {", ".join(LANGUAGES)})')
    return lang


@functools.cache
def locale_of(lang: str) -> Locale:
    """The babel ``Locale`` of ``lang``, parsed once (babel takes it as it is, unparsed)."""
    return Locale.parse(LOCALES[check_language(lang)])


@functools.cache
def _number_pattern(lang: str, kind: str, decimals: int) -> NumberPattern:
    """The locale's ``decimal`` or ``percent`` pattern with ``decimals`` fraction digits.

    Shared between calls: ``NumberPattern.apply`` does not change the pattern.
    """
    locale = locale_of(lang)
    formats = locale.decimal_formats if kind == "decimal" else locale.percent_formats
    pattern = parse_pattern(formats[None].pattern)
    pattern.frac_prec = (decimals, decimals)
    return pattern


#: Babel rounds in the current decimal context: wide enough for any amount a ledger holds.
WIDE = decimal.Context(prec=80)


def format_money(amount: Decimal, lang: str, currency: str = "EUR") -> str:
    """``amount`` with two decimals and the currency sign, as the locale writes it."""
    with decimal.localcontext(WIDE):
        return format_currency(amount, currency, locale=locale_of(lang))


def format_number(value: Decimal | int | float, lang: str, decimals: int | None = None) -> str:
    """A plain number with the locale's grouping; ``decimals`` fixes the fraction digits."""
    with decimal.localcontext(WIDE):
        return _format_number(value, lang, decimals)


def _format_number(value: Decimal | int | float, lang: str, decimals: int | None) -> str:
    locale = locale_of(lang)
    if decimals is None:
        return format_decimal(value, locale=locale)
    return _number_pattern(lang, "decimal", decimals).apply(value, locale)


def format_percent(fraction: Decimal | float, lang: str, decimals: int = 1) -> str:
    """``fraction`` (0.2 for 20 %) as a percentage in the locale's pattern (``20,0 %`` in fr)."""
    return _number_pattern(lang, "percent", decimals).apply(fraction, locale_of(lang))


def format_rate(percent: Decimal | float, lang: str, decimals: int = 1) -> str:
    """A rate given in percent (``20`` for 20 %), as the ledger writes spending rules."""
    return format_percent(Decimal(str(percent)) / 100, lang, decimals)


def format_date(day: datetime.date, lang: str, style: str = "long") -> str:
    """A date as the locale writes it; ``style`` is Babel's short/medium/long/full or a pattern."""
    return _babel_date(day, style, locale=locale_of(lang))


#: Words after which a unit's words are no longer the counted noun ("tonnes de déchets").
_PREPOSITIONS = {"de", "des", "du", "d", "of", "di", "da", "del", "della", "per", "à", "a"}


def singular_unit(unit: str, lang: str) -> str | None:
    """``unit`` as said of one thing, when a rule gives it: in French and English the
    counted words lose their final "s" ("emplois" → "emploi", "tonnes de déchets" →
    "tonne de déchets"); Italian plurals have no such rule (``None``)."""
    if lang not in ("fr", "en"):
        return None
    words, out, counted = unit.split(" "), [], True
    for word in words:
        bare = word.split("'")[0].casefold()
        if bare in _PREPOSITIONS or "'" in word:
            counted = False
        if counted and len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return " ".join(out)


def format_quantity(value: Decimal | int, unit: str, lang: str,
                    unit_one: str | None = None) -> str:
    """A measured value with its unit, agreeing with the number by the locale's plural
    rule (French counts 0 and 1 as one): "1 emploi", "3 emplois", "1,5 tonne".  For one
    thing the unit is ``unit_one`` (the indicator's ``unit-one:``), else
    :func:`singular_unit`'s, else left out rather than wrong ("1 posti")."""
    number = format_number(value, lang)
    if not unit:
        return number
    if locale_of(lang).plural_form(abs(value)) == "one":
        one = unit_one or singular_unit(unit, lang)
        return f"{number} {one}" if one else number
    return f"{number} {unit}"


def format_quarter(year: int, quarter: int, lang: str) -> str:
    """'3e trimestre 2025', '3º trimestre 2025', '3rd quarter 2025'."""
    day = datetime.date(year, quarter * 3, 1)
    return _babel_date(day, "QQQQ yyyy", locale=locale_of(lang))
