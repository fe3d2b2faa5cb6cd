"""The public site's programme pages: what each call for projects granted, per theme.

A grant appears by name only when neither its award nor its application is withheld
(``Grant.is_withheld``, or ``private: TRUE`` on the application); every other award of the
programme is summed into the theme's "private beneficiaries" line.  Applications appear
only as counts per stage: an enterprise that applied and was turned down is never named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fundledger.engine import ZERO, Books
from fundledger.engine.programmes import Programme, overview, programmes_of
from fundledger.publish.public import GrantAggregate, PublicGrant, unique_slugs


@dataclass
class PublicTheme:
    """One theme (the fund an award is charged to) of a programme."""

    fund: str
    grants: list[PublicGrant] = field(default_factory=list)
    private: GrantAggregate = field(default_factory=GrantAggregate)

    @property
    def awarded(self) -> Decimal:
        return sum((g.awarded for g in self.grants), ZERO) + self.private.awarded

    @property
    def net(self) -> Decimal:
        return sum((g.net for g in self.grants), ZERO) + self.private.net


@dataclass
class PublicProgramme:
    programme: Programme
    slug: str
    #: (stage, number of applications), in the order of the path.
    stages: list[tuple[str, int]]
    applications: int
    themes: list[PublicTheme]
    days: dict[str, Any] | None

    @property
    def awarded(self) -> Decimal:
        return sum((theme.awarded for theme in self.themes), ZERO)

    @property
    def net(self) -> Decimal:
        return sum((theme.net for theme in self.themes), ZERO)


def public_programmes(books: Books, grants: list[PublicGrant]) -> list[PublicProgramme]:
    """Every programme of ``books`` as the public may see it (``grants``: the public ones)."""
    family = programmes_of(books)
    if not family.programmes:
        return []
    public = {grant.id: grant for grant in grants}
    slugs = unique_slugs(family.programmes)
    order = {name: index for index, name in enumerate(books.funds)}
    result = []
    for item in overview(family):
        themes: dict[str, PublicTheme] = {}
        for row in item["rows"]:
            grant = books.grants.get(row.application)
            if grant is None:
                continue
            theme = themes.setdefault(grant.fund or "", PublicTheme(grant.fund or ""))
            shown = public.get(grant.id)
            if shown is not None and not row.withheld:
                theme.grants.append(shown)
            else:
                theme.private.add(grant)
        programme = item["programme"]
        result.append(PublicProgramme(
            programme, slugs[programme.id],
            [(stage["stage"], stage["count"]) for stage in item["stages"]],
            item["total"]["count"],
            sorted(themes.values(), key=lambda theme: order.get(theme.fund, len(order))),
            item["days"]))
    return result
