"""The fundledger pages of Fava: Funds, Grants, Loans, Contributors, Compliance, Programmes,
Budget and outlook; and, for a host's books, Consolidated accounts.

Fava shows one sidebar entry per extension class with a ``report_title``, so each page is
its own small class; they share one :class:`~fundledger.fava.views.Views`, built by the
fund engine once per ledger load (``after_load_file``, SPEC 8), and each page keeps what
it rendered until the next load, so that a page request costs about a dictionary lookup
plus Fava's own layout.  Fava renders ``templates/<ClassName>.html`` for a page; those
only call :meth:`_Page.page`, which renders the page's own template (``funds.html``...).

Every label, the sidebar titles included, is in the ledger's language (:func:`language`),
taken from :mod:`fundledger.i18n` like the reports; amounts keep Fava's number format.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
from typing import TYPE_CHECKING, Any

from fava.ext import FavaExtensionBase, extension_endpoint
from fava.helpers import FavaAPIError
from flask import current_app, request, url_for
from markupsafe import Markup, escape

from fundledger import i18n
from fundledger.engine import code_of
from fundledger.engine.budget import is_fund_budget, planning_of
from fundledger.engine.programmes import overview, programmes_of
from fundledger.fava import compat
from fundledger.fava import views as _views
from fundledger.plugins.funds import last_books, serving
from fundledger.reports.base import default_language

if TYPE_CHECKING:  # pragma: no cover
    from fava.core import FavaLedger

#: Fava extension names (URL path ``/<bfile>/extension/<name>/``) of the pages, by page.
PAGES = {
    "funds": "FundledgerFunds",
    "grants": "FundledgerGrants",
    "loans": "FundledgerLoans",
    "contributors": "FundledgerContributors",
    "compliance": "FundledgerCompliance",
    "programmes": "FundledgerProgrammes",
    "budget": "FundledgerBudget",
}
#: The pages only a host's books have (``custom "sheltered"``), by page.
HOST_PAGES = {"consolidated": "FundledgerConsolidated"}

_LOCK = threading.Lock()
#: Rows per page on the Grants and Loans pages.
PAGE_SIZE = 500
#: Rendered variants kept per page and load (contributors, ?at= dates, Fava filters).
_RENDERED_PER_PAGE = 32
_LOG = logging.getLogger(__name__)

# From the next load on, the plugin keeps its books, traced, for these pages: Fava's load
# is then the one engine pass, and a contributor's page finds its trace ready.
serving()


class _Built:
    """The pages' data of one ledger, tagged with the entry list it was built from."""

    def __init__(self) -> None:
        #: The entry list the views were built from (held, so its id cannot be reused).
        self.entries: list[Any] | None = None
        self.views: _views.Views | None = None
        #: Why the engine could not run on this load (shown on every page), if it failed.
        self.failure: str | None = None


def views_for(ledger: FavaLedger, holder: Any) -> _views.Views:
    """The pages' data for ``ledger``'s current entries, built at most once per load.

    Kept on ``holder`` (the ledger's Funds page) and tied to Fava's entry list, which
    Fava replaces on every reload, so all five pages share one engine pass and never
    serve figures of a previous load.
    """
    entries = ledger.all_entries
    with _LOCK:
        built = getattr(holder, "_fundledger_built", None)
        if built is None:
            built = holder._fundledger_built = _Built()
        if built.entries is not entries:
            built.entries = entries
            built.views, built.failure = None, None
            try:
                built.views = _views.build(entries, last_books(entries))
            except Exception as error:  # noqa: BLE001 - Fava's own pages must keep working
                _LOG.exception("fundledger: the fund engine failed on %s",
                               ledger.beancount_file_path)
                built.failure = f"{type(error).__name__}: {error}"
        if built.views is None:
            raise FavaAPIError(f"fundledger: the fund engine failed on this ledger "
                               f"({built.failure}); Fava's own pages still work.")
        return built.views


def language(ledger: FavaLedger) -> str:
    """The language of the pages: Fava's ``language`` option if fundledger speaks it, else
    the ledger's ``custom "fundledger-option" "language"``, else English.

    Fava's option, when a ledger sets it, fixes the language of Fava's own interface around
    the pages, so it wins (``fr_FR`` counts as ``fr``; a language fundledger does not speak,
    such as ``de``, is passed over).  The browser's language is not consulted: the pages
    are rendered once per load for every reader of the ledger.
    """
    fava = str(getattr(ledger.fava_options, "language", None) or "")
    code = fava.replace("-", "_").split("_")[0].lower()
    if code in i18n.LOCALES:
        return code
    return default_language(ledger.all_entries_by_type.Custom)


def _obscured(text: str) -> str:
    """``text`` with its digits hidden when Fava runs ``--incognito``, as Fava's own pages."""
    return compat.hide_numbers(text) if compat.incognito() else text


class _Page:
    """What every fundledger page shares (mixed into :class:`FavaExtensionBase`).

    Not itself a :class:`FavaExtensionBase`, so that Fava does not list it as a page.
    """

    ledger: FavaLedger
    name: str
    jinja_env: Any
    #: The page's own template (in ``templates/``), rendered by :meth:`page`.
    template = ""
    pages = PAGES
    figures = _views.FIGURES
    suspense_filter = _views.SUSPENSE_FILTER
    pending_filter = _views.PENDING_FILTER
    id_filter = staticmethod(_views.id_filter)
    transfer_filter = staticmethod(_views.transfer_filter)
    extra_meta = staticmethod(_views.extra_meta)

    #: i18n key of the page's title (sidebar, browser tab, heading).
    title_key = ""
    fund_kind = staticmethod(i18n.fund_kind)
    grantee_kind = staticmethod(i18n.grantee_kind)
    cost_label = staticmethod(i18n.cost_label)

    @property
    def lang(self) -> str:
        """The pages' language (:func:`language`), found once per load of the ledger."""
        entries = self.ledger.all_entries
        known = getattr(self, "_lang_for", None)
        if known is None or known[0] is not entries:
            known = self._lang_for = (entries, language(self.ledger))
        return known[1]

    @property
    def report_title(self) -> str:  # type: ignore[override]
        """The sidebar title, in the ledger's language (Fava reads it on every request)."""
        return i18n.t(self.title_key, self.lang)

    def tr(self, key: str, **values: Any) -> Markup:
        """The label ``key`` in the ledger's language, HTML-escaped, placeholders filled.

        A value that is :class:`Markup` (a link, a ``<strong>``) goes in as HTML, anything
        else is escaped; an unknown key raises, so no label silently stays in English.
        """
        text = escape(i18n.t(key, self.lang))
        return text.format(**values) if values else text

    def closing(self, status: Any) -> str:
        """Whether the page's date lies in a closed period (escaped by the template)."""
        return i18n.period_status(status, self.lang, date=datetime.date.isoformat)

    def chart(self) -> list[dict[str, Any]]:
        """The Funds page's chart data with its label in the ledger's language."""
        return [{**chart, "label": i18n.t("chart.history", self.lang)}
                for chart in self.views.chart]

    def after_load_file(self) -> None:
        """Compute the fund figures now, not on the first page request (SPEC 8).

        A failure is kept and shown by the pages: raising here would stop Fava itself.
        Fava's own budget module reads the funds' budgets as its own and would list each
        as an error: those errors are dropped (Fava's own budgets keep theirs).
        """
        self.forget()
        compat.forget_budget_errors(self.ledger, is_fund_budget)
        with contextlib.suppress(FavaAPIError):
            _ = self.views
        self.warm()

    def warm(self) -> None:
        """Do now, during the load, what the page's first request would do besides
        rendering: compile its templates and load the locale data its numbers need (SPEC 8
        bounds the first request after a load too).  Nothing here may stop Fava's load."""
        with contextlib.suppress(Exception):
            for name in (self.template, "_fundledger.html", f"{type(self).__name__}.html"):
                self.jinja_env.get_template(name)
            i18n.format_quantity(2, "", self.lang)
            self.ledger.format_decimal(_views.ZERO, "EUR")

    #: What a page keeps for one load (its language, its rendered variants...).
    _PER_LOAD = ("_lang_for", "_rendered_for", "_rendered", "_host_for", "_page_for",
                 "_consolidated_for")

    def forget(self) -> None:
        """Let go of what this page kept for the previous load, before the new one is
        used: each of those holds the previous entries or figures, and a server reloads
        the books all day (their memory must not pile up, SPEC 8)."""
        with _LOCK:
            for name in self._PER_LOAD:
                self.__dict__.pop(name, None)

    @property
    def views(self) -> _views.Views:
        """The shared data, held by the ledger's Funds page (Fava keeps one per ledger)."""
        holder = self.ledger.extensions.get_extension(PAGES["funds"]) or self
        return views_for(self.ledger, holder)

    def page(self) -> Markup:
        """This page for the current request, rendered at most once per load and address.

        Fava renders the extension's report template on every request; the figures are
        already computed once per load, but formatting a thousand grants is not free, so
        the rendered page is kept until the next load (keyed on the query string, which
        carries the page's own parameters and Fava's filters that its links keep).
        """
        views = self.views  # raises FavaAPIError if the engine failed on this load
        key = request.query_string
        with _LOCK:
            if getattr(self, "_rendered_for", None) is not views:
                self._rendered_for, self._rendered = views, {}
            rendered = self._rendered.get(key)
        if rendered is None:
            template = self.jinja_env.get_template(self.template)
            rendered = Markup(template.render(ledger=self.ledger, extension=self))  # noqa: S704
            with _LOCK:
                if getattr(self, "_rendered_for", None) is views:  # not reloaded since
                    if len(self._rendered) >= _RENDERED_PER_PAGE:
                        self._rendered.pop(next(iter(self._rendered)))
                    self._rendered[key] = rendered
        return rendered

    def money(self, amount: Any) -> str:
        """An amount in the ledger's number format (Fava's ``locale`` option)."""
        return _obscured(self.ledger.format_decimal(amount, "EUR"))

    def quantity(self, value: Any, unit: str, indicator: str) -> str:
        """A measured impact and its unit, agreeing in number ("1 emploi", "3 emplois")."""
        found = self.views.books.indicators.get(indicator)
        return _obscured(i18n.format_quantity(value, unit, self.lang,
                                              found.unit_one if found else None))

    @staticmethod
    def plain(amount: Any) -> str:
        """An amount as ``fundledger funds --format json`` writes it (``data-amount``)."""
        return _obscured(_views.plain(amount))

    def funds_at(self) -> datetime.date | None:
        """The date of the Funds page: ``?at=YYYY-MM-DD`` (a quarter end), else ``None``."""
        try:
            return datetime.date.fromisoformat(request.args.get("at", ""))
        except ValueError:
            return None

    def loans_at(self) -> datetime.date:
        """The date of the Loans page: ``?at=YYYY-MM-DD``, else the ledger's last entry."""
        try:
            return datetime.date.fromisoformat(request.args.get("at", ""))
        except ValueError:
            return self.views.loans_at

    def paged(self, rows: list[Any]) -> tuple[list[Any], int, int]:
        """The rows of ``?page=N`` (from 1), that page, and the number of pages.

        A 100k-transaction ledger has thousands of grants: a page of them at a time
        keeps each request as cheap as Fava's own (SPEC 8) and the browser responsive.
        """
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        try:
            page = min(max(int(request.args.get("page", "1")), 1), pages)
        except ValueError:
            page = 1
        return rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], page, pages

    def loan_url(self, loan: str) -> str:
        """The Loans page showing ``loan``'s whole schedule, at the same date and page."""
        args = request.args.to_dict()
        args["loan"] = loan
        return url_for("extension_report", extension_name=self.name, **args) + "#schedule-of"

    def page_url(self, page: int) -> str:
        """This page's address at page ``page``, keeping its other parameters."""
        args = request.args.to_dict()
        args["page"] = str(page)
        return url_for("extension_report", extension_name=self.name, **args)

    def error_count(self) -> int:
        """Every error Fava lists for the ledger (Beancount's, the plugins', fundledger's)."""
        return len(self.ledger.errors)

    def other_errors(self) -> int:
        """How many of Fava's errors are not fundledger's (Beancount's, other plugins')."""
        return sum(1 for e in self.ledger.errors if code_of(e) is None)

    @staticmethod
    def entry_hash(entry: Any) -> str:
        """Fava's hash of an entry: ``#context-<hash>`` opens Fava's context view of it."""
        return compat.entry_hash(entry) if entry is not None else ""


class FundledgerFunds(_Page, FavaExtensionBase):
    """Funds: the figures of each fund, their movement, transfers, spending rules.

    It also carries the pages' script (``FundledgerFunds.js``), which Fava loads on every
    page: in read-only mode it hides Fava's buttons that could only fail (the editor's
    save, the "+" of a new entry), and it opens the journal behind a figure with its
    postings shown, so that an auditor following a figure sees amounts.
    """

    title_key = "funds"
    template = "funds.html"
    has_js_module = True

    @extension_endpoint
    def mode(self) -> dict[str, bool]:
        """What the pages' script needs to know of the server (a GET, allowed read-only)."""
        return {"read_only": compat.read_only()}


class FundledgerGrants(_Page, FavaExtensionBase):
    """Grants: award, payments, what is left to pay, grantee, fund, impact; revoked ones."""

    title_key = "fava.grants"
    template = "grants.html"


class FundledgerLoans(_Page, FavaExtensionBase):
    """Loans: outstanding principal, repayment schedule and arrears."""

    title_key = "fava.loans"
    template = "loans.html"


class FundledgerContributors(_Page, FavaExtensionBase):
    """Contributors: where a chosen contributor's money went."""

    title_key = "fava.contributors"
    template = "contributors.html"


class FundledgerCompliance(_Page, FavaExtensionBase):
    """Compliance: the fundledger rule breaches, each linked to its entry."""

    title_key = "fava.compliance"
    template = "compliance.html"


class FundledgerProgrammes(_Page, FavaExtensionBase):
    """Programmes: each call's applications, by stage and one by one (hours, amounts)."""

    title_key = "programmes"
    template = "programmes.html"

    def programmes(self) -> list[dict[str, Any]]:
        """Each programme's pipeline, from the load's one engine pass."""
        return overview(programmes_of(self.views.books))

    @staticmethod
    def stage_label(stage: str, lang: str) -> str:
        return i18n.t(f"stage.{stage}", lang)


class FundledgerBudget(_Page, FavaExtensionBase):
    """Budget and outlook: budget against actual of a year, the coming quarters' forecast."""

    title_key = "fava.budget"
    template = "budget.html"

    def budget_year(self) -> int:
        """The year of the budget table: ``?year=YYYY``, else the forecast's first year."""
        try:
            year = int(request.args.get("year", ""))
        except ValueError:
            return self.views.loans_at.year
        return year if 1 <= year <= 9999 else self.views.loans_at.year

    def budget_years(self) -> list[int]:
        """The years the page offers: those with a budget line, and the current one."""
        return sorted(set(planning_of(self.views.books).years()) | {self.views.loans_at.year})


class FundledgerConsolidated(_Page, FavaExtensionBase):
    """Consolidated accounts of a host: every entity's funds, eliminations, totals.

    Listed only for books that declare ``custom "sheltered"`` foundations.  The figures are
    those of ``fundledger consolidate`` (:func:`fundledger.reports.consolidated.run`):
    foundations served by the same Fava (``serve HOST``) are taken from their own loaded
    ledgers and engine pass; any other is loaded from its file, apart.  Kept until the
    host's or a served foundation's books are reloaded.
    """

    title_key = "consolidated"
    template = "consolidated.html"

    @property
    def report_title(self) -> str | None:  # type: ignore[override]
        """In the sidebar only for a host's books (``None``: Fava lists no page)."""
        return _Page.report_title.fget(self) if self.is_host() else None  # type: ignore[attr-defined]

    def is_host(self) -> bool:
        """Whether the books declare sheltered foundations (found once per load)."""
        entries = self.ledger.all_entries
        known = getattr(self, "_host_for", None)
        if known is None or known[0] is not entries:
            host = any(e.type == "sheltered" for e in self.ledger.all_entries_by_type.Custom)
            known = self._host_for = (entries, host)
        return known[1]

    def page(self) -> Markup:
        """The page, rendered once per load of the host's and the served foundations' books."""
        if not self.is_host():
            raise FavaAPIError("fundledger: these books shelter no foundation.")
        answer = self.consolidated()
        with _LOCK:
            known = getattr(self, "_page_for", None)
            if known is None or known[0] is not answer:
                data, failure = answer
                template = self.jinja_env.get_template(self.template)
                known = self._page_for = (answer, Markup(template.render(  # noqa: S704
                    ledger=self.ledger, extension=self, data=data, failure=failure)))
            return known[1]

    def consolidated(self) -> tuple[dict[str, Any] | None, str | None]:
        """The consolidation's figures (:func:`~fundledger.reports.consolidated.shown`), or
        why there are none (a foundation's books cannot be read)."""
        from pathlib import Path

        from fundledger.ledger import Loaded
        from fundledger.reports import consolidated as report

        served = self._served()
        key = (id(self.ledger.all_entries), *(id(loaded.entries) for loaded in served.values()))
        with _LOCK:
            known = getattr(self, "_consolidated_for", None)
            if known is not None and known[0] == key:
                return known[1]
        host = Loaded(Path(self.ledger.beancount_file_path), self.ledger.all_entries,
                      list(self.ledger.errors), self.ledger.options, self.views.books)
        try:
            answer: tuple[dict[str, Any] | None, str | None] = (
                report.shown(report.run(host, None, loaded=served)), None)
        except report.ConsolidationError as error:
            answer = (None, str(error))
        with _LOCK:
            self._consolidated_for = (key, answer)
        return answer

    def _served(self) -> dict[Any, Any]:
        """The other ledgers this Fava serves, as loaded books (reloaded if changed), by
        main file: a foundation among them is consolidated from them, not loaded again."""
        from pathlib import Path

        from fundledger.ledger import Loaded

        try:
            ledgers = list(current_app.config["LEDGERS"].ledgers)
        except (KeyError, AttributeError, RuntimeError):
            return {}
        served = {}
        for other in ledgers:
            if other is self.ledger:
                continue
            with contextlib.suppress(Exception):  # Fava shows that ledger's own errors
                other.changed()
            books = None
            holder = other.extensions.get_extension(PAGES["funds"])
            if holder is not None:
                with contextlib.suppress(FavaAPIError):
                    books = views_for(other, holder).books
            served[Path(other.beancount_file_path).resolve()] = Loaded(
                Path(other.beancount_file_path), other.all_entries, list(other.errors),
                other.options, books)
        return served

    def what(self, kind: str) -> str:
        """An elimination's nature (a management fee, a transfer between entities)."""
        key = f"consolidated.what.{kind}"
        return i18n.t(key, self.lang) if key in i18n.LABELS else kind
