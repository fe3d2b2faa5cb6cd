"""The fundledger pages of Fava: Funds, Grants, Loans, Contributors, Compliance.

Fava shows one sidebar entry per extension class with a ``report_title``, so each page is
its own small class; they share one :class:`~fundledger.fava.views.Views`, built by the
fund engine once per ledger load (``after_load_file``, SPEC 8), so that a page request
costs no more than rendering a template.  The page templates live in ``templates/``,
named after the classes as Fava expects.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import TYPE_CHECKING, Any

from fava.beans.funcs import hash_entry
from fava.ext import FavaExtensionBase
from fava.helpers import FavaAPIError

from fundledger.fava import views as _views

if TYPE_CHECKING:  # pragma: no cover
    from fava.core import FavaLedger

#: Fava extension names (URL path ``/<bfile>/extension/<name>/``) of the pages, by page.
PAGES = {
    "funds": "FundledgerFunds",
    "grants": "FundledgerGrants",
    "loans": "FundledgerLoans",
    "contributors": "FundledgerContributors",
    "compliance": "FundledgerCompliance",
}

_LOCK = threading.Lock()
_LOG = logging.getLogger(__name__)


class _Built:
    """The pages' data of one ledger, tagged with the entry list it was built from."""

    def __init__(self) -> None:
        self.entries_id: int | None = None
        self.views: _views.Views | None = None
        #: Why the engine could not run on this load (shown on every page), if it failed.
        self.failure: str | None = None


def views_for(ledger: FavaLedger, holder: Any) -> _views.Views:
    """The pages' data for ``ledger``'s current entries, built at most once per load.

    Kept on ``holder`` (the ledger's Funds page) and keyed on the identity of Fava's entry
    list, which Fava replaces on every reload, so all five pages share one engine pass
    and never serve figures of a previous load.
    """
    entries = ledger.all_entries
    with _LOCK:
        built = getattr(holder, "_fundledger_built", None)
        if built is None:
            built = holder._fundledger_built = _Built()
        if built.entries_id != id(entries):
            built.entries_id = id(entries)
            built.views, built.failure = None, None
            try:
                built.views = _views.build(entries)
            except Exception as error:  # noqa: BLE001 - Fava's own pages must keep working
                _LOG.exception("fundledger: the fund engine failed on %s",
                               ledger.beancount_file_path)
                built.failure = f"{type(error).__name__}: {error}"
        if built.views is None:
            raise FavaAPIError(f"fundledger: the fund engine failed on this ledger "
                               f"({built.failure}); Fava's own pages still work.")
        return built.views


class _Page:
    """What every fundledger page shares (mixed into :class:`FavaExtensionBase`).

    Not itself a :class:`FavaExtensionBase`, so that Fava does not list it as a page.
    """

    ledger: FavaLedger
    pages = PAGES
    figures = _views.FIGURES

    def after_load_file(self) -> None:
        """Compute the fund figures now, not on the first page request (SPEC 8).

        A failure is kept and shown by the pages: raising here would stop Fava itself.
        """
        with contextlib.suppress(FavaAPIError):
            _ = self.views

    id_filter = staticmethod(_views.id_filter)

    @property
    def views(self) -> _views.Views:
        """The shared data, held by the ledger's Funds page (Fava keeps one per ledger)."""
        holder = self.ledger.extensions.get_extension(PAGES["funds"]) or self
        return views_for(self.ledger, holder)

    def money(self, amount: Any) -> str:
        """An amount in the ledger's number format (Fava's ``locale`` option)."""
        return self.ledger.format_decimal(amount, "EUR")

    def loans_at(self) -> Any:
        """The date of the Loans page: ``?at=YYYY-MM-DD``, else the ledger's last entry."""
        import datetime

        from flask import request

        try:
            return datetime.date.fromisoformat(request.args.get("at", ""))
        except ValueError:
            return self.views.loans_at

    @staticmethod
    def plain(amount: Any) -> str:
        """The amount as ``fundledger funds --format json`` writes it (data attributes)."""
        from fundledger.cli.common import money

        return money(amount)

    def other_errors(self) -> int:
        """How many of Fava's errors are not fundledger's (Beancount's, other plugins')."""
        return sum(1 for e in self.ledger.errors if not str(e.message).startswith("FL"))

    @staticmethod
    def entry_hash(entry: Any) -> str:
        """Fava's hash of an entry: ``#context-<hash>`` opens Fava's context view of it."""
        return hash_entry(entry) if entry is not None else ""


class FundledgerFunds(_Page, FavaExtensionBase):
    """Funds: the figures of SPEC 3.2 per fund, their movement, transfers, spending rules."""

    report_title = "Funds"


class FundledgerGrants(_Page, FavaExtensionBase):
    """Grants: award, payments, what is left to pay, grantee, fund, impact; revoked ones."""

    report_title = "Grants"


class FundledgerLoans(_Page, FavaExtensionBase):
    """Loans: outstanding principal, repayment schedule and arrears."""

    report_title = "Loans"


class FundledgerContributors(_Page, FavaExtensionBase):
    """Contributors: where a chosen contributor's money went (SPEC 6.3)."""

    report_title = "Contributors"


class FundledgerCompliance(_Page, FavaExtensionBase):
    """Compliance: the fundledger rule breaches (SPEC 4), each linked to its entry."""

    report_title = "Compliance"
