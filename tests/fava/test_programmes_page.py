"""Fava's Programmes page on the Turin books: in Italian, every application with its
stage, and each programme's totals as the engine counts them."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from fava.application import create_app

from fundledger import i18n
from fundledger.engine import analyse
from fundledger.engine.programmes import programmes_of
from fundledger.fava import PAGES
from fundledger.ledger import load

TORINO = Path(__file__).resolve().parents[2] / "ledger" / "torino" / "main.beancount"


def test_programmes_page_in_italian_with_the_engine_figures() -> None:
    app = create_app([str(TORINO)], load=True)
    client = app.test_client()
    bfile = app.config["LEDGERS"].first_slug()
    answer = client.get(f"/{bfile}/extension/{PAGES['programmes']}/")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert 'lang="it"' in page and i18n.t("programmes", "it") in page
    books = analyse(load(TORINO).entries, trace=False)
    rows = programmes_of(books).pipeline()
    shown = dict(re.findall(r'<tr data-application="([^"]+)">.*?data-stage="(\w+)"', page, re.S))
    assert shown == {row.application: row.stage for row in rows}
    totals = re.findall(r'data-stage="total">.*?data-figure="awarded" data-amount="([\d.]+)"',
                        page, re.S)
    expected = [sum((r.awarded for r in rows if r.programme == p), Decimal(0))
                for p in ("ism-2023", "ism-2025")]
    assert [Decimal(t) for t in totals] == expected
