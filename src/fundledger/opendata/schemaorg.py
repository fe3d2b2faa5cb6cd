"""A schema.org ``MonetaryGrant`` (JSON-LD) for each public grant page of the site.

schema.org has no ``recipient`` property for a grant: the grantee is the ``fundedItem``
(an ``Organization``), the foundation the ``funder``.  Only public grants have a page, so a
withheld grant never gets a block; every text goes through the same privacy gate as the
exports (:func:`fundledger.opendata.common.public_text`).
"""

from __future__ import annotations

import json
from typing import Any

from fundledger.engine import Books, Grant, round_to_cent
from fundledger.opendata.common import Publisher, identify, json_number, public_text

CONTEXT = "https://schema.org"


def monetary_grant(books: Books, grant: Grant, who: Publisher) -> dict[str, Any]:
    """The JSON-LD object of one public grant (plain data; see :func:`script`)."""
    fund = books.funds.get(grant.fund or "")
    label = public_text(fund.label if fund else grant.fund or "")
    project = public_text(next((str(grant.meta[k]) for k in ("project", "projet", "progetto")
                                if grant.meta.get(k)), ""))
    amount = round_to_cent(grant.awarded)
    funder: dict[str, Any] = {"@type": "Organization", "name": who.name}
    if who.identifier:
        funder["identifier"] = who.identifier
    recipient: dict[str, Any] = {"@type": "Organization", "name": public_text(grant.grantee)}
    ident = identify(grant.meta["beneficiary-id"]) if grant.meta.get("beneficiary-id") else None
    if ident is not None:
        recipient["identifier"] = ident.value
    out: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "MonetaryGrant",
        "identifier": public_text(grant.id),
        "name": project or label,
        "description": label,
        "amount": {"@type": "MonetaryAmount", "currency": "EUR", "value": json_number(amount)},
        "funder": funder,
        "fundedItem": recipient,
    }
    return out


def script(books: Books, grant: Grant, who: Publisher) -> str:
    """``<script type="application/ld+json">`` text, safe inside HTML.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so no text of the books can close
    the script element or open another.
    """
    text = json.dumps(monetary_grant(books, grant, who), ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>'
