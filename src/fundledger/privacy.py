"""What leaves the foundation: one gate for every outside-facing output.

The public site (``publish``), the contributor statement (``report contributor``, every
format) and the open-data exports are read by people outside the foundation.  Each of
them passes its text through a :class:`Privacy` before writing it::

    privacy = Privacy.of(books, entries)        # once per command
    privacy.refuse_if_unsure(output_name)       # before any work: FL105 -> Refused
    text = privacy.clean(text, output_name)     # per file: IBANs masked, then guarded

* **Fail closed.**  While the books hold any FL105 (a privacy marker not understood, on a
  posting, or with another value or type), :meth:`Privacy.refuse_if_unsure` raises
  :class:`Refused` naming the entry: nothing is written (exit 2).
* **Withheld wherever it appears.**  The payee (or a lone narration), contributor, ids,
  links and name-bearing metadata (:data:`NAME_KEYS`) of a withheld entry (``private: TRUE``,
  ``grantee-kind`` or ``contributor-kind`` ``"person"``; a payment of a withheld grant or
  loan) are withheld
  names; an output containing one in any form that :func:`normalise` equates (case,
  Unicode NFC/NFD, white space, HTML entities) is refused by :meth:`Privacy.guard`,
  naming the entry and the output.
* **No IBAN.**  Any ISO 13616 IBAN (valid checksum, spaces allowed, any case: checked by
  python-stdnum) and every value of ``iban:``, ``account-number:`` and ``bank-ref:`` is
  masked but for its last 4 characters (:meth:`Privacy.mask`), with a warning naming the
  entry it came from.

The module decides nothing about layout: callers keep leaving withheld rows out (they
know what a row is); this is the last check that nothing slipped through.
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from beancount.core import data

from fundledger.engine import markers
from fundledger.engine.codes import code_of, where
from fundledger.ledger import error_location

#: Metadata whose values are bank identifiers: masked in every outside-facing output.
BANK_KEYS = ("iban", "account-number", "bank-ref")
#: Metadata whose values name someone: on a withheld entry, withheld wherever they appear
#: (other free metadata of a withheld entry -- a town, a date, a score -- is simply never
#: shown by the outputs, which list what they show; it is not hunted in other entries).
NAME_KEYS = frozenset({"contributor", "grantee", "beneficiary", "borrower", "donor",
                       "payee", "name", "nom", "nome", "contact", "person", "personne",
                       "persona", "representative", "beneficiaire", "beneficiario"})
#: Shorter withheld names are not searched for (ids are, whatever their length): two
#: letters would match ordinary words.  Names are matched as whole words.
MIN_WITHHELD = 3
_BANK_SET = frozenset(BANK_KEYS)
#: An IBAN has 15 to 34 characters (ISO 13616); a bank value shorter than 5 masks nothing.
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}")
_ALNUM = re.compile(r"[A-Za-z0-9]")
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w")


class Refused(Exception):
    """An output that cannot be written safely; the message is one line (exit 2)."""


def normalise(text: str) -> str:
    """``text`` as names are compared: Unicode NFC, case folded, white space collapsed.

    ``"YVES  DUBOIS"`` and ``"Yves Dubois"`` (accents typed precomposed or combining)
    normalise alike.  Case folding may itself denormalise, hence NFC on both sides.
    """
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return " ".join(folded.split())  # what ``\s+`` -> " " and strip do, faster


def _mask_span(text: str) -> str:
    """All but the last 4 letters and digits of ``text`` replaced by ``*`` (spacing kept)."""
    keep = len(_ALNUM.findall(text)) - 4
    out = []
    for char in text:
        if keep > 0 and _ALNUM.match(char):
            out.append("*")
            keep -= 1
        else:
            out.append(char)
    return "".join(out)


def _stdnum_iban() -> Any:
    """python-stdnum's IBAN module, imported when a text first looks like it holds one
    (the package imports ssl, pydoc...: most outputs never need it)."""
    from stdnum import iban

    return iban


def _iban_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that are IBANs by ISO 13616, with single spaces between groups."""
    spans: list[tuple[int, int]] = []
    position = 0
    while True:
        match = _IBAN_START.search(text, position)
        if match is None:
            return spans
        start = match.start()
        # Collect up to 34 letters and digits, allowing one space or hyphen between them.
        ends, count, i = [], 0, start
        while i < len(text) and count < 34:
            char = text[i]
            if char.isascii() and char.isalnum():
                count += 1
                i += 1
                ends.append(i)
            elif char in " -" and count and i + 1 < len(text) and text[i + 1].isalnum():
                i += 1
            else:
                break
        for end in reversed(ends[14:]):  # longest first; an IBAN has 15 characters or more
            if _stdnum_iban().is_valid(text[start:end]):
                spans.append((start, end))
                position = end
                break
        else:
            position = match.start() + 1


def mask_ibans(text: str) -> tuple[str, list[str]]:
    """``text`` with every IBAN masked but for its last 4 characters, and the IBANs found
    (compact, upper case)."""
    spans = _iban_spans(text)
    if not spans:
        return text, []
    found = [_stdnum_iban().compact(text[a:b]) for a, b in spans]
    pieces, last = [], 0
    for a, b in spans:
        pieces += [text[last:a], _mask_span(text[a:b])]
        last = b
    pieces.append(text[last:])
    return "".join(pieces), found


def _loose(value: str) -> re.Pattern[str]:
    """A bank value however it is spaced or cased (``FR76 3000...`` = ``fr763000...``)."""
    chars = _ALNUM.findall(value)
    return re.compile(r"(?<![A-Za-z0-9])" + r"[\s-]?".join(map(re.escape, chars))
                      + r"(?![A-Za-z0-9])", re.IGNORECASE)


def _metas(entry: Any) -> list[dict[str, Any]]:
    """The metadata of an entry and of its postings (those that have any)."""
    metas = [entry.meta] if entry.meta else []
    postings = getattr(entry, "postings", None)
    if postings:
        metas += [p.meta for p in postings if p.meta]
    return metas


def _free_text(entry: Any) -> list[str]:
    """An entry's text outside its metadata: payee, narration, comment, custom values."""
    found = [v for v in (getattr(entry, a, None) for a in ("payee", "narration", "comment",
                                                            "description"))
             if v.__class__ is str]
    values = getattr(entry, "values", None)
    if values:
        found += [v.value for v in values if getattr(v, "value", None).__class__ is str]
    return found


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass
class Privacy:
    """What an outside-facing output may not contain, decided once from the books."""

    #: Normalised withheld name -> ``FILE:LINE`` of the entry that withholds it.
    names: dict[str, str] = field(default_factory=dict)
    #: Normalised withheld name -> the name as the books write it (for messages).
    display: dict[str, str] = field(default_factory=dict)
    #: FL105 errors, as ``FILE:LINE: message`` lines: while any remains, nothing is written.
    unsure: list[str] = field(default_factory=list)
    #: Normalised contributors withheld (their money counts as "private donors").
    contributors: frozenset[str] = frozenset()
    #: Bank metadata values -> ``FILE:LINE`` (masked wherever they appear).
    bank_values: dict[str, str] = field(default_factory=dict)
    #: IBANs written in the books' free text (compact) -> ``FILE:LINE``; found in
    #: :attr:`entries` when an output first shows an IBAN (most never do).
    iban_origins: dict[str, str] | None = None
    #: The books' entries (where :attr:`iban_origins` are looked for).
    entries: list[data.Directive] = field(default_factory=list, repr=False)
    #: Where warnings go (stderr by default; tests collect them).
    warn: Callable[[str], None] = _stderr
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)
    _bank_patterns: list[tuple[re.Pattern[str], str]] | None = field(default=None, repr=False)
    _warned: set[str] = field(default_factory=set, repr=False)

    # -- deciding -----------------------------------------------------------------------------

    @classmethod
    def of(cls, books: Any, entries: Iterable[data.Directive], *,
           audience: str | None = None) -> Privacy:
        """The privacy of ``books`` (analysed from ``entries``).

        ``audience``: the contributor a statement is addressed to; its own withheld
        contributions do not hide its own name from itself (anyone else's still do).
        """
        unsure = [f"{where(e.entry) if e.entry is not None else error_location(e)}: {e.message}"
                  for e in books.errors if code_of(e) == "FL105"]
        hidden_ids = {g.id for g in books.grants.values() if g.is_withheld}
        hidden_ids |= {loan.id for loan in books.loans.values() if loan.is_withheld}
        self_ = normalise(audience) if audience else None
        names: dict[str, str] = {}
        display: dict[str, str] = {}
        bank_values: dict[str, str] = {}
        fund_names = set(getattr(books, "funds", {}))

        def add(text: Any, origin: str, minimum: int = MIN_WITHHELD) -> None:
            if isinstance(text, str):
                key = normalise(text)
                if len(key) >= minimum and text not in fund_names:
                    names.setdefault(key, origin)
                    display.setdefault(key, text)

        contributors = {normalise(n) for n in books.private_contributors}
        entries = entries if isinstance(entries, list) else list(entries)
        for entry in entries:
            metas = _metas(entry)
            ids: set[str] = set()
            for meta in metas:
                if not _BANK_SET.isdisjoint(meta):
                    for key in BANK_KEYS:
                        value = meta.get(key)
                        if value is not None and len(_ALNUM.findall(str(value))) > 4:
                            bank_values.setdefault(str(value), where(entry))
                if hidden_ids:
                    for key in ("grant", "loan"):
                        value = meta.get(key)
                        if value is not None:
                            ids.add(str(value))
            hidden = ids & hidden_ids
            if not _withholds(entry, hidden):
                continue
            if self_ is not None and _own(entry, self_):
                continue
            origin = where(entry)
            for text in _withheld_texts(entry):
                add(text, origin)
            for ident in hidden:  # ids, however short, as whole words
                add(ident, origin, 1)
        for ident in hidden_ids:  # ids not met in the entries' text (always are, normally)
            add(ident, f"the withheld grant or loan {ident!r}", 1)
        for name in books.private_contributors:
            if normalise(name) != self_:
                add(name, names.get(normalise(name), "a withheld contribution"))
        return cls(names=names, display=display, unsure=unsure,
                   contributors=frozenset(contributors), bank_values=bank_values,
                   entries=entries)

    def is_withheld_contributor(self, name: str) -> bool:
        """Whether ``name`` gave through a withheld contribution (counted as private donor)."""
        return normalise(name) in self.contributors

    # -- checking outputs -----------------------------------------------------------------------

    def refuse_if_unsure(self, output_name: str) -> None:
        """Raise :class:`Refused` while any FL105 remains (the first one is named)."""
        if self.unsure:
            more = f" (and {len(self.unsure) - 1} more FL105)" if len(self.unsure) > 1 else ""
            raise Refused(f"refusing to write {output_name}: {self.unsure[0]}{more}; "
                          "fix the privacy marker first ('fundledger check' lists them)")

    def mask(self, text: str, output_name: str) -> str:
        """``text`` with every IBAN and bank metadata value masked, warning once for each."""
        if self._bank_patterns is None:
            self._bank_patterns = [(_loose(v), o) for v, o in self.bank_values.items()]
        for pattern, origin in self._bank_patterns:
            if pattern.search(text):
                text = pattern.sub(lambda m: _mask_span(m.group(0)), text)
                self._warning(f"{origin}: bank identifier masked in {output_name}")
        text, found = mask_ibans(text)
        if found and self.iban_origins is None:
            self.iban_origins = _iban_origins(self.entries)
        for number in found:
            origin = (self.iban_origins or {}).get(number)
            if origin is None:
                origin = next((o for v, o in self.bank_values.items()
                               if _stdnum_iban().compact(v) == number), "the books")
            self._warning(f"{origin}: IBAN masked in {output_name}")
        return text

    def guard(self, output_text: str, output_name: str) -> None:
        """Raise :class:`Refused` if ``output_text`` holds a withheld name in any form.

        The text is searched as written, with HTML entities decoded and with markup
        removed; the output's own name (a page's path) is searched too.
        """
        if not self.names:
            return
        if self._pattern is None:
            # The word boundary before a name is checked by :func:`search_unpreceded`, not by a
            # look-behind here: a pattern that opens with a look-behind is tried at every
            # position of the text, one that opens with the names skips ahead to their
            # first letters.  The names are a tree of their common beginnings
            # (:func:`names_pattern`): ten times faster on a large output than a list.
            self._pattern = re.compile("(" + names_pattern(self.names) + r")(?!\w)")
        readable = html.unescape(output_text)
        searched: list[str] = []
        for candidate in (output_name, output_text, readable, _TAG.sub("", readable)):
            if any(candidate == done for done in searched):
                continue  # no entity or no markup to remove: the same text again
            searched.append(candidate)
            match = search_unpreceded(self._pattern, normalise(candidate))
            if match:
                name = match.group(1)
                shown = self.display.get(name, name)
                raise Refused(f"refusing to write {output_name}: it would show {shown!r}, "
                              f"withheld by the entry at {self.names[name]} (mark it public "
                              "or private consistently in the books)")

    def clean(self, output_text: str, output_name: str) -> str:
        """The text to write: FL105 refused, IBANs masked, withheld names refused."""
        self.refuse_if_unsure(output_name)
        text = self.mask(output_text, output_name)
        self.guard(text, output_name)
        return text

    def _warning(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.warn(f"fundledger: warning: {message}")


def _iban_origins(entries: Iterable[data.Directive]) -> dict[str, str]:
    """IBANs written in the entries' text (metadata, payee, narration...), compact, with
    ``FILE:LINE`` of the first entry that writes each."""
    texts_of = []
    for entry in entries:
        texts = [v for meta in _metas(entry) for k, v in meta.items()
                 if v.__class__ is str and k != "filename"]
        texts += _free_text(entry)
        texts_of.append((entry, texts))
    origins: dict[str, str] = {}
    # One search over all the books' text; most books hold no IBAN-like string in it.
    if _IBAN_START.search("\n".join(t for _entry, texts in texts_of for t in texts)):
        for entry, texts in texts_of:
            for text in texts:
                for found in mask_ibans(text)[1]:
                    origins.setdefault(found, where(entry))
    return origins


def names_pattern(names: Iterable[str]) -> str:
    """A regular expression matching any of ``names``, the longest first, as a tree of
    their common beginnings (``G-1|G-2`` becomes ``G-(?:1|2)``, escaped).

    It finds what the plain alternation of the names sorted longest first finds: at a
    given place in the text the next character picks a single branch, and a longer name
    is tried before a shorter one ends (the empty alternative comes last).  Names that
    branch too deeply for the regular expression compiler (a hundred nested groups) are
    listed plainly instead.
    """
    names = sorted(set(names), key=len, reverse=True)
    tree: dict[str, Any] = {}
    for name in names:
        node = tree
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}  # a name ends here

    def branch(node: dict[str, Any], depth: int) -> str:
        text = ""
        while len(node) == 1 and "" not in node:  # a run of single characters
            char, node = next(iter(node.items()))
            text += re.escape(char)
        if not node or list(node) == [""]:
            return text
        if depth > _MAX_NESTING:
            raise RecursionError
        alternatives = [re.escape(char) + branch(child, depth + 1)
                        for char, child in sorted(node.items()) if char]
        if "" in node:
            alternatives.append("")
        return text + "(?:" + "|".join(alternatives) + ")"

    try:
        return branch(tree, 0)
    except RecursionError:
        return "|".join(re.escape(name) for name in names)


#: Groups nested deeper than this are beyond what ``re`` compiles safely.
_MAX_NESTING = 100


def search_unpreceded(pattern: re.Pattern[str], text: str,
                       preceding: re.Pattern[str] = _WORD) -> re.Match[str] | None:
    r"""The first match of ``pattern`` in ``text`` where no character matching
    ``preceding`` (a word character by default) comes just before: what ``(?<!\w)`` in
    front of ``pattern`` would find (the leftmost position where both hold, the same
    alternative chosen there), without a look-behind that makes ``re`` try every
    position of a long alternation."""
    position = 0
    while (match := pattern.search(text, position)) is not None:
        start = match.start()
        if start == 0 or not preceding.match(text, start - 1):
            return match
        position = start + 1
    return None


def _ids(entry: Any) -> set[str]:
    found = set()
    for meta in [entry.meta, *(p.meta for p in getattr(entry, "postings", ()) or ())]:
        for key in ("grant", "loan"):
            if (meta or {}).get(key) is not None:
                found.add(str(meta[key]))
    return found


def _withholds(entry: Any, hidden: set[str]) -> bool:
    """A withheld entry: its own markers withhold, or it is a transaction that moves a
    withheld grant or loan (``hidden``: the withheld ids it names)."""
    if isinstance(entry, data.Transaction):
        return bool(hidden) or markers.has_marker(entry) and markers.withholds(entry)
    if isinstance(entry, data.Custom):
        return markers.withholds(entry)
    return False


def _own(entry: Any, audience: str) -> bool:
    """An entry withheld only as the audience's own contribution (its name, to itself)."""
    names = {normalise(str(v)) for v in (entry.meta.get("contributor"), entry.payee)
             if v} if isinstance(entry, data.Transaction) else set()
    names |= {normalise(str(p.meta["contributor"])) for p in getattr(entry, "postings", ())
              if p.meta and p.meta.get("contributor")}
    return audience in names and not _ids(entry)


def _withheld_texts(entry: Any) -> Iterable[Any]:
    """The names of a withheld entry: payee (or the narration standing for it), ids, links,
    name-bearing metadata.  A narration beside a payee is a sentence, not a name: it is
    never shown for a withheld entry, but the same words elsewhere (a committee's
    "Subvention -- comité du 2022-06-21") are not a leak."""
    if isinstance(entry, data.Transaction):
        yield entry.payee if entry.payee else entry.narration
        yield from entry.links or ()
        yield from _ids(entry)
    elif isinstance(entry, data.Custom):
        # A private fund-transfer's narration: its fund names (first values) are public.
        yield from (v.value for v in entry.values[2:])
    for meta in [entry.meta, *(p.meta for p in getattr(entry, "postings", ()) or ())]:
        for key, value in (meta or {}).items():
            if key in NAME_KEYS:
                yield value


__all__ = ["BANK_KEYS", "Privacy", "Refused", "mask_ibans", "normalise", "where"]
