"""Rendering the public site and writing it all-or-nothing.

Layout (all links relative, so the site works from ``file://`` and any web server)::

    DIR/.fundledger-site        marker: DIR is a fundledger site, safe to replace
    DIR/style.css
    DIR/index.html              home page in the ledger's language (links into DIR/<lang>/)
    DIR/<lang>/index.html       for fr, it and en
    DIR/<lang>/grants.html      every public grant, and the private aggregate
    DIR/<lang>/contributors.html
    DIR/<lang>/funds/<fund>.html
    DIR/<lang>/grants/<grant>.html
    DIR/<lang>/contributors/<contributor>.html
    DIR/<lang>/programmes.html, DIR/<lang>/programmes/<programme>.html   (calls for projects)
    DIR/<lang>/opendata.html    the open datasets, their schemas and licences
    DIR/opendata/*              the datasets (360Giving, SCDL, art. 26-27), each with its
                                withheld summary (see fundledger.opendata.site)

The same books give byte-identical files: iteration is sorted, slugs are stable, the
only date shown is the books' last entry date, and the charts are hand-written SVG
(:mod:`fundledger.charts`, shared with the reports).
"""

from __future__ import annotations

import contextlib
import fcntl
import html
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from babel.numbers import parse_pattern
from beancount.core import data
from markupsafe import Markup

from fundledger import charts, i18n
from fundledger.engine import markers
from fundledger.files import atomic_write
from fundledger.i18n.formatter import Formatter
from fundledger.ledger import Loaded
from fundledger.opendata import OpenDataError, schemaorg
from fundledger.opendata.site import SCHEMAS, Datasets, datasets
from fundledger.privacy import Privacy, Refused, names_pattern, search_unpreceded
from fundledger.publish import labels
from fundledger.publish.programmes import public_programmes
from fundledger.publish.public import PublicBooks, build
from fundledger.reports.base import default_language

MARKER = ".fundledger-site"
MARKER_TEXT = ("This folder is a public site written by `fundledger publish`.  The files listed "
               "below are its own,\nrewritten at each run; anything else in the folder "
               "(.git/, CNAME...) is kept.\n")
#: The line after which the marker lists the files publish wrote (its manifest).
MANIFEST_HEADER = "# files written by fundledger publish:"
#: Shorter withheld strings are not searched for: they would match ordinary words.
MIN_WITHHELD = 4


class PublishError(Exception):
    """The site cannot be written (bad target, or withheld data would leak): exit 2."""


# -- building ------------------------------------------------------------------------------------

def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("fundledger.publish", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


class _Renderer:
    """Renders every page of every language into ``{relative path: text}``."""

    def __init__(self, public: PublicBooks, default: str, open_data: Datasets,
                 jsonld: dict[str, str]) -> None:
        self.public = public
        self.default = default
        self.open_data = open_data
        #: Grant id -> its schema.org JSON-LD ``<script>`` (already safe HTML).
        self.jsonld = jsonld
        self.env = _environment()
        self.files: dict[str, str] = {}
        #: (path, folder of the page) → the path relative to that folder.
        self.relative: dict[tuple[str, str], str] = {}
        #: One formatter per language for every page (it holds nothing but the language).
        self.formatters = {lang: _SiteFormatter(lang) for lang in i18n.LANGUAGES}

    def page(self, lang: str, logical: str, template: str, at: str | None = None,
             **context: Any) -> None:
        """Render ``template`` as ``<lang>/<logical>`` (or at ``at``, e.g. the root home)."""
        where = at or f"{lang}/{logical}"
        here = posixpath.dirname(where) or "."

        relative = self.relative

        def url(target: str, in_lang: str | None = None) -> str:
            path = f"{in_lang or lang}/{target}"
            found = relative.get((path, here))
            if found is None:  # pages link to the same few pages: each path worked out once
                found = relative[path, here] = posixpath.relpath(path, here)
            return found

        fmt = self.formatters.get(lang) or _SiteFormatter(lang)
        languages = [(code, i18n.t("lang.name", code), url(logical, code), code == lang)
                     for code in i18n.LANGUAGES]
        text = self.env.get_template(template).render(
            lang=lang, t=lambda key, **v: labels.t(key, lang, **v), f=fmt, url=url,
            css=posixpath.relpath("style.css", here), languages=languages,
            site=self.public, page_name=logical, charts=_Charts(fmt, lang),
            open_data=self.open_data, schemas=SCHEMAS, **context)
        self.files[where] = text

    def render(self) -> dict[str, str]:
        public = self.public
        for lang in i18n.LANGUAGES:
            self.page(lang, "index.html", "home.html.j2")
            self.page(lang, "grants.html", "grants.html.j2")
            self.page(lang, "contributors.html", "contributors.html.j2")
            self.page(lang, "opendata.html", "opendata.html.j2")
            for fund in public.funds:
                self.page(lang, f"funds/{fund.slug}.html", "fund.html.j2", fund=fund)
            for grant in public.grants:
                self.page(lang, f"grants/{grant.slug}.html", "grant.html.j2", grant=grant,
                          jsonld=Markup(self.jsonld.get(grant.id, "")))
            if public.programmes:
                self.page(lang, "programmes.html", "programmes.html.j2")
            for item in public.programmes:
                self.page(lang, f"programmes/{item.slug}.html", "programme.html.j2",
                          item=item)
            for person in public.contributors:
                self.page(lang, f"contributors/{person.slug}.html", "contributor.html.j2",
                          person=person)
        self.page(self.default, "index.html", "home.html.j2", at="index.html")
        return self.files


class _SiteFormatter(Formatter):
    """A :class:`Formatter` that writes each amount once: a site shows the same amounts on
    many pages (a contributor's totals, a fund's figures), and Babel takes a while over
    each.  Amounts are told apart by type and ``repr``, so the text is the one
    :class:`Formatter` writes."""

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self._written: dict[tuple[Any, ...], str] = {}

    def money(self, amount: Decimal | None, blank_zero: bool = False) -> str:
        key = ("money", amount.__class__, repr(amount), blank_zero)
        text = self._written.get(key)
        if text is None:
            text = self._written[key] = super().money(amount, blank_zero)
        return text

    def amount(self, amount: Decimal | None) -> str:
        key = ("amount", amount.__class__, repr(amount))
        text = self._written.get(key)
        if text is None:
            text = self._written[key] = super().amount(amount)
        return text


class _Charts:
    """The charts a page may draw, bound to its language."""

    def __init__(self, fmt: Formatter, lang: str) -> None:
        self.f = fmt
        self.lang = lang

    def t(self, key: str) -> str:
        return labels.t(key, self.lang)

    def funds(self, funds: list[Any]) -> Any:
        # As in the board report: an endowment of a million euros would set the scale and
        # leave the themed funds as slivers; its figures are in the table under the chart.
        funds = [fund for fund in funds if fund.kind != "endowment"] or funds
        rows = []
        for fund in funds:
            fig = fund.figures
            committed = fig.loans_outstanding + fig.pledges_outstanding
            rows.append((fund.label, [(fig.available, "c-available"), (committed, "c-committed")],
                         self.f.money(fig.balance)))
        legend = [(self.t("figures.available"), "c-available"),
                  (self.t("chart.committed"), "c-committed")]
        return charts.hbars(rows, self.t("home.chart"), legend)

    def history(self, points: list[Any]) -> Any:
        return charts.columns(points, self.t("fund.history"), self._short_money)

    def contributor(self, totals: dict[str, Decimal]) -> Any:
        rows = [(self.t(f"contributor.{part}"), [(totals[part], f"c-{part}")],
                 self.f.money(totals[part]))
                for part in ("given", "earned", "used", "unspent", "pledged")]
        return charts.hbars(rows, self.t("contributor.chart"))

    def _short_money(self, value: Decimal) -> str:
        """Whole euros in the locale's currency pattern, for chart axes."""
        locale = i18n.locale_of(self.lang)
        pattern = parse_pattern(locale.currency_formats["standard"].pattern)
        pattern.frac_prec = (0, 0)
        return pattern.apply(value.quantize(Decimal(1)), locale, currency="EUR",
                             currency_digits=False)


def build_site(loaded: Loaded, error_count: int, out: Path | str = "site") -> dict[str, bytes]:
    """Every file of the public site, by path relative to the site's folder ``out``.

    Raises :class:`PublishError` while the books hold an FL105 (a privacy marker not
    understood), or if any withheld name would appear in a file in any form; IBANs and
    bank identifiers are masked (a warning on stderr names the entry).
    """
    entries = loaded.entries
    books = loaded.analysis(trace=True)
    privacy = Privacy.of(books, entries)
    try:
        privacy.refuse_if_unsure(f"{out}/")
    except Refused as exc:
        raise PublishError(str(exc)) from None
    title = str(loaded.options.get("title") or "fundledger")
    public = build(books, entries, title, error_count)
    public.programmes = public_programmes(books, public.grants)
    default = default_language(entries)
    try:
        open_data = datasets(books, entries, title)
    except OpenDataError as exc:
        raise PublishError(f"open data: {exc}") from None
    jsonld = {grant.id: schemaorg.script(books, books.grants[grant.id], open_data.publisher)
              for grant in public.grants}
    pages = _Renderer(public, default, open_data, jsonld).render()
    texts = {path: text for path, text in pages.items()}
    files: dict[str, bytes] = {}
    for path, content in open_data.files.items():
        try:
            texts[path] = content.decode("utf-8")
        except UnicodeDecodeError:  # not text: nothing a name or an IBAN could hide in
            files[path] = content
    for path, text in texts.items():  # every page and every open-data file, one gate
        try:
            files[path] = privacy.clean(text, f"{out}/{path}").encode("utf-8")
        except Refused as exc:
            raise PublishError(str(exc)) from None
    files["style.css"] = _stylesheet()
    files[MARKER] = manifest(files)
    leak = find_leak(files, withheld_strings(entries, books), withheld_ids(books))
    if leak:
        raise PublishError(leak)
    return dict(sorted(files.items()))


def _stylesheet() -> bytes:
    import importlib.resources

    return (importlib.resources.files("fundledger.publish") / "templates" / "style.css"
            ).read_bytes()


# -- privacy guard -------------------------------------------------------------------------------

def withheld_strings(entries: Iterable[data.Directive], books: Any) -> set[str]:
    """Strings no public file may contain (SPEC 3.5), gathered from the books themselves.

    Payees and narrations of private transactions and of withheld grants and loans,
    withheld donors, bank identifiers (``iban``, ``account-number``, ``bank-ref``),
    document paths, the ledger's own file paths, and every account name.  Names also used
    publicly are *not* excused: a treasurer must resolve the contradiction rather than
    have the site guess.
    """
    strings: set[str] = set()
    hidden_ids = withheld_ids(books)
    for entry in entries:
        meta = entry.meta or {}
        source = str(meta.get("filename") or "")
        if source and not source.startswith("<"):  # the books' own paths
            strings.add(source)
        for key in ("iban", "account-number", "bank-ref", "document"):
            if meta.get(key) is not None:
                strings.add(str(meta[key]))
        if isinstance(entry, data.Open):
            strings.add(entry.account)
        elif isinstance(entry, data.Custom) and markers.withholds(entry):
            # A private fund-transfer's narration (its fund names are public).
            strings.update(str(v.value) for v in entry.values[2:] if isinstance(v.value, str))
        elif isinstance(entry, data.Document):
            strings.add(entry.filename)
        elif isinstance(entry, data.Transaction):
            ids = {str(meta.get("grant")), str(meta.get("loan"))}
            for posting in entry.postings:
                pmeta = posting.meta or {}
                ids |= {str(pmeta.get("grant")), str(pmeta.get("loan"))}
                for key in ("iban", "account-number", "bank-ref", "document"):
                    if pmeta.get(key) is not None:
                        strings.add(str(pmeta[key]))
            if markers.withholds(entry) or ids & hidden_ids:
                strings.update(s for s in (entry.payee, entry.narration) if s)
    strings |= books.private_contributors
    return {s for s in strings if len(s.strip()) >= MIN_WITHHELD}


def withheld_ids(books: Any) -> set[str]:
    """Ids of withheld grants and loans: not even their existence gets a page of its own."""
    ids = {g.id for g in books.grants.values() if g.is_withheld}
    return ids | {loan.id for loan in books.loans.values() if loan.is_withheld}


def find_leak(files: dict[str, bytes], withheld: set[str],
              ids: Iterable[str] = ()) -> str | None:
    """A one-line description of the first withheld string found in a file, if any.

    Text is searched as written and with HTML entities decoded (``d&#39;accueil``);
    ids are searched as whole words, so ``G-1`` does not match ``G-10``.
    """
    patterns = sorted(withheld)
    ids = sorted(ids)
    id_patterns = [(i, re.compile(rf"(?<![\w-]){re.escape(i)}(?![\w-])")) for i in ids]
    # Every string, and every id, in one search per text: which one (the first in sorted
    # order) is looked for only in a file where one is found.
    any_string = re.compile(names_pattern(patterns)) if patterns else None
    any_id = re.compile(f"(?:{names_pattern(ids)})(?![\\w-])") if ids else None
    for path, content in sorted(files.items()):
        text = content.decode("utf-8", "replace")
        readable = html.unescape(text)
        if not ((any_string is not None
                 and any(any_string.search(t) for t in (text, readable, path)))
                or (any_id is not None
                    and any(_has_id(any_id, t) for t in (readable, path)))):
            continue
        found = [s for s in patterns if s in text or s in readable or s in path]
        found += [i for i, rx in id_patterns if rx.search(readable) or rx.search(path)]
        if found:
            return (f"refusing to publish: withheld text {found[0]!r} would appear in "
                    f"{path} (mark it public or private consistently in the books)")
    return None


_ID_CHAR = re.compile(r"[\w-]")


def _has_id(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` (ids, then ``(?![\\w-])``) matches where no word character nor
    hyphen precedes: ``(?<![\\w-])`` checked apart."""
    return search_unpreceded(pattern, text, _ID_CHAR) is not None


# -- writing -----------------------------------------------------------------------------------

def manifest(files: Iterable[str]) -> bytes:
    """The marker's text: what it is, then every file publish wrote (one path a line)."""
    listed = "".join(f"{path}\n" for path in sorted(set(files) - {MARKER}))
    return f"{MARKER_TEXT}{MANIFEST_HEADER}\n{listed}".encode()


def _written_before(out: Path) -> set[str] | None:
    """The files the previous publish wrote into ``out`` (``None``: not a site).

    A marker without a list (sites written before it had one) counts the site's own
    layout as written: the home page, the stylesheet and the pages under ``fr/``, ``it/``,
    ``en/``.
    """
    marker = out / MARKER
    if marker.is_symlink() or not marker.is_file():
        return None
    lines = marker.read_text(encoding="utf-8", errors="replace").splitlines()
    if MANIFEST_HEADER in lines:
        return {line for line in lines[lines.index(MANIFEST_HEADER) + 1:] if line}
    layout = re.compile(r"(index\.html|style\.css|(fr|it|en)/.*\.html)")
    return {path for path in _listing(out) if layout.fullmatch(path)}


def _listing(out: Path) -> list[str]:
    """Every file (and symbolic link) under ``out``, relative, sorted; links not followed."""
    found = []
    for folder, dirs, names in os.walk(out):
        base = Path(folder).relative_to(out)
        for name in names + [d for d in dirs if (Path(folder) / d).is_symlink()]:
            found.append((base / name).as_posix())
        found += [(base / d).as_posix() + "/" for d in dirs
                  if not (Path(folder) / d).is_symlink() and not any((Path(folder) / d).iterdir())]
    return sorted(found)


def foreign_files(out: Path) -> list[str]:
    """What ``out`` holds that publish did not write (``.git/``, ``CNAME``...), by top name."""
    ours = _written_before(out) or set()
    our_tops = {path.partition("/")[0] for path in ours}
    shown: dict[str, None] = {}
    for path in _listing(out):
        if path != MARKER and path not in ours:
            top, slash, _rest = path.partition("/")
            shown[path if top in our_tops else top + slash] = None
    return list(shown)


def check_target(out: Path) -> None:
    """Refuse an output folder that is not ours to write into (:class:`PublishError`)."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise PublishError(f"{out}: exists and is not a folder")
    if out.is_dir() and _written_before(out) is None and any(out.iterdir()):
        held = ", ".join(sorted(p.name + ("/" if p.is_dir() else "") for p in out.iterdir()))
        raise PublishError(f"{out}: not a fundledger site (no {MARKER} marker; it holds "
                           f"{_shorten(held)}); refusing to write into it")
    parent = out.absolute().parent
    if not parent.is_dir():
        raise PublishError(f"{parent}: no such folder")


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def write_site(files: dict[str, bytes], out: Path) -> list[str]:
    """Put ``files`` into ``out``; returns what ``out`` holds that publish did not write.

    A new folder, or one holding only what publish wrote, is written into a temporary
    folder beside ``out`` and swapped into place: a failure leaves ``out`` as it was, and
    readers see the old site or the new one.  A folder that also holds other files
    (``.git/``, ``CNAME``, a page of the user's own) keeps them: the site's files are
    replaced one by one, each atomically, and the pages the previous run wrote and this
    one does not are removed; a file of the user's where the site needs one is refused
    (:class:`PublishError`), before anything is written.
    """
    check_target(out)
    with _parent_locked(out):
        _sweep_orphans(out)
        foreign = foreign_files(out) if out.is_dir() else []
        if not foreign:
            _swap_in(files, out)
        else:
            _update_in_place(files, out)
    return foreign


def _update_in_place(files: dict[str, bytes], out: Path) -> None:
    """Rewrite the site's own files in ``out``, keeping every other file there."""
    before = _written_before(out) or set()
    clashes = []
    for rel in files:
        if rel == MARKER:
            continue
        parts = Path(rel).parts
        for depth in range(1, len(parts) + 1):
            here = out.joinpath(*parts[:depth])
            sub = "/".join(parts[:depth])
            if here.is_symlink() or (depth < len(parts) and here.exists()
                                     and not here.is_dir()):
                clashes.append(sub)
                break
            if depth == len(parts) and here.exists() and (rel not in before
                                                          or not here.is_file()):
                clashes.append(sub)
    if clashes:
        raise PublishError(f"{out}: refusing to replace {_shorten(', '.join(clashes))}, "
                           "which publish did not write (move it away, or publish elsewhere)")
    # The marker lists old and new files first, so a run killed midway still knows them.
    atomic_write(out / MARKER, manifest(before | set(files)))
    for rel, content in files.items():
        if rel == MARKER:
            continue
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, content)
        os.chmod(path, 0o644)
    for rel in sorted(before - set(files), reverse=True):
        path = out / rel
        if path.is_file() and not path.is_symlink():
            path.unlink()
        folder = path.parent
        while folder != out and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    atomic_write(out / MARKER, files[MARKER])
    os.chmod(out / MARKER, 0o644)


@contextlib.contextmanager
def _parent_locked(out: Path) -> Iterator[None]:
    """An exclusive ``flock`` on the folder that holds ``out``, for one publish at a time.

    Locking the folder itself leaves no lock file behind; the lock dies with its holder.
    """
    parent = out.absolute().parent
    fd = os.open(parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(f"{out}: another fundledger publish is writing there") from None
        yield
    finally:
        os.close(fd)


def _sweep_orphans(out: Path) -> None:
    """Clear what a publish killed mid-write left beside ``out`` (we hold the lock).

    A ``.tmp`` folder is a half-written site: removed.  An ``.old`` folder holds the
    previous site, moved aside just before the new one was renamed in: put back when
    ``out`` is missing, else removed.
    """
    parent = out.absolute().parent
    for orphan in sorted(parent.glob(f".{out.name}.*.tmp")):
        shutil.rmtree(orphan, ignore_errors=True)
    for orphan in sorted(parent.glob(f".{out.name}.*.old")):
        if not out.exists() and (orphan / "site").is_dir():
            os.replace(orphan / "site", out)
        shutil.rmtree(orphan, ignore_errors=True)


def _swap_in(files: dict[str, bytes], out: Path) -> None:
    parent = out.absolute().parent
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    old: Path | None = None
    try:
        for rel, content in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, content)
            os.chmod(path, 0o644)
        for folder in [tmp, *(p for p in tmp.rglob("*") if p.is_dir())]:
            os.chmod(folder, 0o755)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=parent))
            os.replace(out, old / "site")
        try:
            os.replace(tmp, out)
        except BaseException:
            if old is not None:
                os.replace(old / "site", out)
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not (old / "site").exists():
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
