"""Labels only the public site needs: the ``site`` gettext domain of :mod:`fundledger.i18n`.

:func:`t` looks in ``locale/<lang>/LC_MESSAGES/site.po`` first, then falls back to the
shared ``fundledger.po``, so the site says "Ressources reçues" exactly as the board report
does.  Every key exists in every language (a test checks it).

To add or correct a label, edit the ``.po`` files (see ``docs/reports.md``).
"""

from __future__ import annotations

from fundledger import i18n
from fundledger.i18n.catalogs import SITE, Labels, messages

#: ``key -> {lang: text}`` of the site's own labels (read from the catalogs when used).
LABELS = Labels(SITE)


def t(key: str, lang: str, **values: object) -> str:
    """The site's label ``key`` in ``lang``, else the shared one (``KeyError`` if neither)."""
    own = messages(i18n.check_language(lang), SITE)
    if key in own:
        text = own[key]
        return text.format(**values) if values else text
    return i18n.t(key, lang, **values)
