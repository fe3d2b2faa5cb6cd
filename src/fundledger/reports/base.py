"""What every report shares: ledger settings, the jinja2 environment, output formats.

Reports are built in two steps: a module gathers the figures (engine first, then plain
lists of dicts for tables), then :func:`render_html` fills a template from
``reports/templates``; the same HTML becomes a PDF through WeasyPrint, so the two formats
never disagree.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.resources
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from beancount.core import data
from markupsafe import Markup

from fundledger import i18n
from fundledger.engine.closing import Closing, closing_from
from fundledger.i18n.formatter import Formatter  # noqa: F401  (re-exported: the templates' helpers)
from fundledger.ledger import format_error, ledger_options

#: Output formats by file suffix; ``csv`` only for the reports that are tables.
FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".csv": "csv"}

#: ``custom "fundledger-option" "language" "fr"`` sets a ledger's default language; the
#: directives are read by :func:`fundledger.ledger.ledger_options` (re-exported here).


class ReportError(Exception):
    """Bad report input (unknown contributor, bad quarter...): exit status 2, one line."""


@dataclass
class Ledger:
    """The few facts about a ledger every report header needs."""

    title: str
    language: str
    errors: list[str] = field(default_factory=list)
    #: The ledger's closed periods: a report says whether its period is closed.
    closing: Closing = field(default_factory=Closing)


def default_language(entries: Iterable[data.Directive]) -> str:
    """The ledger's ``language`` option when fundledger speaks it, else English."""
    lang = ledger_options(entries).get("language", "")
    return lang if lang in i18n.LOCALES else i18n.DEFAULT_LANGUAGE


def ledger_info(entries: list[data.Directive], options: dict[str, Any],
                errors: list[Any]) -> Ledger:
    return Ledger(
        title=str(options.get("title") or "fundledger"),
        language=default_language(entries),
        errors=[format_error(e) for e in errors],
        closing=closing_from(entries),
    )


# -- rendering ------------------------------------------------------------------------------

#: Settings that change the code jinja2 compiles a template to: they name the cache files,
#: so a change of settings never meets bytecode compiled under the old ones.
COMPILE_OPTIONS: dict[str, Any] = {
    "autoescape": ("html", "j2"),
    "trim_blocks": True,
    "lstrip_blocks": True,
}


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates on disk, like ``__pycache__`` for Python modules.

    Parsing and compiling the report templates is about a sixth of a quarterly report's
    time at 10k transactions; this cache keeps the result between runs.  Jinja2 keys each
    file by template name and path and checks the template source's checksum before using
    it, so an edited template is never served stale; the folder is per jinja2 version, the
    file names carry :data:`COMPILE_OPTIONS`, and jinja2 checks the Python version.  This
    is not Beancount's load cache (which SPEC 8's "no cache" measures turn off): it holds
    no ledger data.

    The folder is created on first write; a cache that cannot be read, created or written
    (read-only home, a file in the way) is skipped silently and templates are compiled as
    if there were none.
    """

    def __init__(self, directory: Path) -> None:
        digest = hashlib.sha1(repr(sorted(COMPILE_OPTIONS.items())).encode()).hexdigest()
        super().__init__(str(directory), f"reports-{digest[:12]}-%s.cache")
        self.path = directory

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def template_cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME`` (or ``~/.cache``) ``/fundledger/jinja-<jinja2 version>``."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: the XDG default
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to speak of
            return None
    return Path(base) / "fundledger" / f"jinja-{jinja2.__version__}"


def _environment() -> jinja2.Environment:
    directory = template_cache_dir()
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("fundledger.reports", "templates"),
        autoescape=jinja2.select_autoescape(list(COMPILE_OPTIONS["autoescape"])),
        trim_blocks=COMPILE_OPTIONS["trim_blocks"],
        lstrip_blocks=COMPILE_OPTIONS["lstrip_blocks"],
        undefined=jinja2.StrictUndefined,
        bytecode_cache=TemplateCache(directory) if directory else None,
    )
    return env


_ENV: jinja2.Environment | None = None


def environment() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV


def stylesheet() -> str:
    return (importlib.resources.files("fundledger.reports") / "templates" / "report.css"
            ).read_text(encoding="utf-8")


def page_footer_css(lang: str) -> str:
    """CSS ``content`` value for 'Page N of M' in ``lang`` (WeasyPrint page counters)."""
    text = i18n.t("page", lang, page="\x00", pages="\x01")
    parts = []
    for piece in re.split("([\x00\x01])", text):
        if piece == "\x00":
            parts.append("counter(page)")
        elif piece == "\x01":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def preparation_date() -> datetime.date:
    """Today, or ``SOURCE_DATE_EPOCH``'s date for reproducible reports (archives, tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.date.today()


def render_html(template: str, lang: str, ledger: Ledger, **context: Any) -> str:
    """A self-contained HTML document (styles inline, charts as inline SVG)."""
    fmt = Formatter(lang)
    return environment().get_template(template).render(
        lang=lang,
        f=fmt,
        t=fmt.t,
        ledger=ledger,
        css=Markup(stylesheet()),
        page_footer=Markup(page_footer_css(lang)),
        generated=fmt.date(preparation_date()),
        one_day=datetime.timedelta(days=1),
        **context,
    )


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML report (A4 and page furniture come from the stylesheet)."""
    from weasyprint import HTML  # imported late: heavy, and only PDFs need it

    return HTML(string=html, base_url=str(Path.cwd())).write_pdf()


def output_format(path: Path | None, allowed: Iterable[str]) -> str:
    """The format a ``-o`` path asks for, or :class:`ReportError` for an unknown suffix."""
    if path is None:
        return "html"
    fmt = FORMATS.get(path.suffix.lower())
    allowed = tuple(allowed)
    if fmt is None or fmt not in allowed:
        suffixes = ", ".join(s for s, f in FORMATS.items() if f in allowed and s != ".htm")
        raise ReportError(f'{path}: unknown output suffix "{path.suffix}" (use {suffixes})')
    return fmt
