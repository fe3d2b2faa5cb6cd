"""Privacy markers (``private``, ``grantee-kind``, ``contributor-kind``), read so they fail closed.

A marker is transaction metadata: ``private: TRUE|FALSE`` (a Beancount boolean), and
``grantee-kind`` (grants and loans) or ``contributor-kind`` (contributions and pledges),
each one of :data:`KINDS`.  Anything else -- a marker on a posting, ``private: "TRUE"``
(a string), ``grantee-kind: "Person"`` or ``"personne"`` -- is FL105, because a marker
that is not understood would otherwise publish a name its author meant to withhold.
While such an FL105 remains, every outside-facing output refuses to write
(:mod:`fundledger.privacy`); in the meantime the engine treats the doubtful marker as
withholding (:func:`withholds`), so internal pages err on the private side too.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Any

from beancount.core import data

from fundledger.engine.family import RuleFamily

#: The kinds of grantee, borrower and contributor.  ``person`` withholds the name.
KINDS = ("association", "company", "public", "person")
#: Kinds that do not withhold.
PUBLIC_KINDS = frozenset(KINDS) - {"person"}
#: The kind keys, and the entries they belong to (for the messages).
KIND_KEYS = {"grantee-kind": "grants and loans", "contributor-kind": "contributions and pledges"}
MARKERS = ("private", *KIND_KEYS)
_MARKER_SET = frozenset(MARKERS)
_NO_MARKER = _MARKER_SET.isdisjoint
_META = operator.attrgetter("meta")
_TRANSACTION, _CUSTOM = data.Transaction, data.Custom


def _meta_withholds(meta: Mapping[str, Any] | None) -> bool:
    if not meta or _NO_MARKER(meta):  # the common case, in one C-level set operation
        return False
    private = meta.get("private")
    if private is not None and private is not False:
        return True  # TRUE, or a value not understood: fail closed
    return any(key in meta and meta[key] not in PUBLIC_KINDS for key in KIND_KEYS)


def has_marker(entry: Any) -> bool:
    """Whether an entry or one of its postings carries any privacy marker (fast)."""
    if entry.meta and not _NO_MARKER(entry.meta):
        return True
    postings = getattr(entry, "postings", None)
    return bool(postings) and not all(p.meta is None or _NO_MARKER(p.meta) for p in postings)


def withholds(entry: Any) -> bool:
    """Whether an entry's names must stay out of outside-facing outputs.

    ``private: TRUE``, a ``person`` kind, or any marker that is malformed or misplaced
    (on a posting): a doubtful marker withholds, it never publishes.
    """
    if _meta_withholds(getattr(entry, "meta", None)):
        return True
    return any(map(_meta_withholds, map(_META, getattr(entry, "postings", None) or ())))


def problems(entry: Any) -> list[str]:
    """What is wrong with an entry's privacy markers (empty when nothing is)."""
    found: list[str] = []
    meta = getattr(entry, "meta", None) or {}
    if "private" in meta and not isinstance(meta["private"], bool):
        found.append(f"private: {meta['private']!r} must be TRUE or FALSE (a boolean, "
                     "not text)")
    for key in KIND_KEYS:
        if key in meta and meta[key] not in KINDS:
            found.append(f'{key}: {meta[key]!r} must be one of "' + '", "'.join(KINDS) + '"')
    for posting in getattr(entry, "postings", ()) or ():
        for key in MARKERS:
            if key in (posting.meta or {}):
                found.append(f"{key}: on the posting to {posting.account} (privacy markers "
                             "go on the transaction)")
    return found


class Markers(RuleFamily):
    """FL105 for every privacy marker with a value, type or place it may not have."""

    def entry(self, entry: data.Directive) -> None:
        # On the engine's hot path: most entries carry no marker at all, so this is a few
        # C-level set operations per entry (a marker-free 100k ledger: well under 0.1 s).
        kind = entry.__class__
        if kind is _TRANSACTION:
            if _MARKER_SET.isdisjoint(entry.meta):
                try:  # map/all: the postings are scanned without a Python-level loop
                    if all(map(_NO_MARKER, map(_META, entry.postings))):
                        return
                except TypeError:  # a posting without metadata (made by a plugin)
                    if all(p.meta is None or _NO_MARKER(p.meta) for p in entry.postings):
                        return
        elif kind is not _CUSTOM or not entry.meta or _MARKER_SET.isdisjoint(entry.meta):
            return
        found = problems(entry)
        if found:
            self.error("FL105", entry, what=f"{_subject(entry)}{'; '.join(found)}: the entry "
                                            "is withheld, and nothing is published until "
                                            "the marker is fixed")


def _subject(entry: Any) -> str:
    """``grant "G-1": `` (or loan, or the contributor), naming what the marker is about."""
    meta = entry.meta or {}
    postings = getattr(entry, "postings", ()) or ()
    for key in ("grant", "loan"):
        ident = meta.get(key) or next((p.meta[key] for p in postings
                                       if p.meta and p.meta.get(key)), None)
        if ident is not None:
            return f'{key} "{ident}": '
    who = meta.get("contributor") or getattr(entry, "payee", None)
    return f'"{who}": ' if who else ""
