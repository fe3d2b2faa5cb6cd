"""The rules' codes, in one table, and the errors that carry them.

Each breach is a Beancount-shaped error (``source``, ``message``, ``entry``) so that
``bean-check``, ``fundledger check`` and Fava print it with its file and line; it also
carries its ``code`` as data, so nothing has to read the code back out of the message.
A message starts with its code, then names the fund, grant, loan or application at fault.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

#: A fundledger error, shaped like Beancount's own, plus its code.
FundError = namedtuple("FundError", "source message entry code", defaults=(None,))

#: Code → message template (``str.format`` fields named by each rule).
CODES: dict[str, str] = {
    # Declarations and metadata
    "FL101": "posting to {accounts} has no fund (add fund: to the posting or the transaction)",
    "FL102": "{what}",
    "FL103": 'malformed "{directive}" directive: {reason}',
    "FL104": "{missing}",
    "FL105": "{what}",
    # Funds
    "FL201": 'fund "{fund}" would have {available} EUR available '
             "(spending, lending or transferring money it does not have)",
    "FL202": "{what}",
    "FL203": 'transfers out of fund "{fund}" in {year} reach {total} EUR, above its '
             "spending rule of {rate}% of {basis} ({limit:.2f} EUR)",
    # Grants
    "FL301": 'grant "{grant}" paid or revoked beyond its award: {excess} EUR more than '
             "was awarded",
    "FL302": 'grant "{grant}" was never awarded',
    "FL303": '{what} "{id}" charged to fund "{fund}", but it belongs to fund "{owner}"',
    # Loans
    "FL401": 'loan "{loan}" repaid or written off beyond its principal: {excess} EUR more '
             "than was lent",
    "FL402": 'loan "{loan}" was never disbursed',
    # Directives
    "FL501": "{what}",
    # Programmes
    "FL601": 'application "{application}": {award} awarded on {day} with no approved '
             'committee decision on or before it ({state}); programme "{programme}" '
             "requires one",
    "FL602": 'application "{application}": {award} awarded after {hours} hours of '
             'accompaniment, below the {minimum} hours programme "{programme}" requires',
    "FL603": "{what}",
    "FL604": 'application "{application}": awards of {awarded} EUR exceed its approved '
             "decision of {day} ({approved} EUR)",
    "FL605": 'grant "{grant}": {paid} EUR paid before any approved progress report, beyond '
             "the advance of {share}% of its award ({limit:.2f} EUR)",
    "FL606": 'beneficiary "{beneficiary}" ({beneficiary_id}): aid of {total} EUR over '
             "{first}-{year}, above the de minimis cap of {cap} EUR of programme "
             '"{programme}"',
    "FL607": "{what}",
    # Closed periods
    "FL701": "the entries of the period closed through {end} no longer give its digest: "
             "{month} differs first (reopen the period with period-reopen to correct it)",
    "FL702": "period-close through {end} {reason}",
    # Sheltered foundations and tax receipts
    "FL801": 'host fee of "{entity}" for {year}: {booked} EUR booked, the host-fee rate '
             "gives {expected} EUR (on {base} EUR of contributions and investment income)",
    "FL802": 'receipt "{number}" for {contributor}: {what}',
    "FL803": 'receipt "{number}" of {issuer}: {what}',
}


def fund_error(code: str, entry: Any, **fields: Any) -> FundError:
    """The error of rule ``code`` at ``entry``, its message made from the code's template."""
    message = f"{code} {CODES[code].format(**fields)}"
    return FundError(getattr(entry, "meta", None), message, entry, code)


def where(entry: Any) -> str:
    """``FILE:LINE`` of an entry (its source metadata), for one-line messages."""
    meta = getattr(entry, "meta", None) or {}
    return f"{meta.get('filename', '?')}:{meta.get('lineno', 0)}"


def code_of(error: Any) -> str | None:
    """The fundledger code of any error (``None`` for Beancount's own)."""
    return getattr(error, "code", None)
