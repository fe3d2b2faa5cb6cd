"""The public site's programme pages: what each call granted per theme, with no withheld
beneficiary named, and every amount the engine's."""

from __future__ import annotations

from decimal import Decimal

from fundledger.engine import analyse
from fundledger.engine.programmes import programmes_of
from fundledger.i18n import format_money
from tests.publish.conftest import loaded, readable


def test_torino_programme_pages_withhold_names_and_sum_to_the_engine(demo_sites) -> None:
    built = demo_sites["torino"]
    books = analyse(loaded(built.ledger).entries, trace=False)
    family = programmes_of(books)
    assert set(family.programmes) == {"ism-2023", "ism-2025"}
    withheld = {row.beneficiary for row in family.pipeline() if row.withheld}
    rejected = {row.beneficiary for row in family.pipeline() if row.stage == "rejected"}
    assert withheld
    for ident in family.programmes:
        for lang in ("it", "fr", "en"):
            page = readable(built.site / lang / "programmes" / f"{ident}.html")
            assert not [name for name in withheld if name in page]
            assert not [r for r in family.pipeline() if r.beneficiary_id in page]  # no tax ids
        page = readable(built.site / "it" / "programmes" / f"{ident}.html")
        rows = family.pipeline(ident)
        awarded = sum((r.awarded for r in rows if r.application in books.grants), Decimal(0))
        index = readable(built.site / "it" / "programmes.html")
        assert f'data-programme="awarded">{format_money(awarded, "it")}<' in index
        named = {r.beneficiary for r in rows if not r.withheld and r.awarded}
        assert named and all(name in page for name in named)
        for stage in ("rejected", "paid"):
            count = sum(1 for r in rows if r.stage == stage)
            assert f'data-stage="{stage}">{count}<' in page
    # A rejected enterprise that never got a grant is named nowhere on these pages.
    never = rejected - {g.grantee for g in books.grants.values()}
    pages = "".join(readable(p) for p in (built.site / "it" / "programmes").iterdir())
    assert never and not [name for name in never if name in pages]
