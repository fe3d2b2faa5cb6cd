"""``fundledger init``: a new foundation's books, from templates shipped as package data.

The templates live in ``template/`` beside this module and ship inside the wheel, so
``fundledger init`` works from a plain ``pip install`` without the repository.  They use
:class:`string.Template` placeholders (``$title``...) because Beancount text has no other
use for ``$``.  Files whose name ends in ``.tmpl`` or ``.toml.txt`` lose that suffix when
written (package data only ships a fixed list of suffixes, SPEC 2).

Writing is all or nothing: everything is rendered in memory first, written into a
temporary folder beside the target, then moved into place; a target folder that holds
anything is refused before a single file is written.
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

from fundledger.files import atomic_write

LANGUAGES = ("en", "fr", "it")

#: Names and labels per language. Fund and account names stay ASCII (Beancount account
#: components must start with a capital letter or digit; fund names are plain strings).
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Our Foundation",
        "bank": "Current", "portfolio": "Portfolio", "partners": "Partners",
        "projects": "Projects", "endowment": "Endowment", "donors": "Donors",
        "interest": "Interest", "accompaniment": "Accompaniment", "management": "Management",
        "bankfees": "BankFees",
        "f_endowment": "endowment", "l_endowment": "Endowment (non-consumable corpus)",
        "f_general": "general", "l_general": "Unrestricted funds",
        "f_projects": "projects", "l_projects": "Projects (restricted)",
        "i_jobs": "jobs", "l_jobs": "Jobs created", "u_jobs": "jobs",
        "i_people": "people", "l_people": "People reached", "u_people": "people",
    },
    "fr": {
        "title": "Notre fondation",
        "bank": "CompteCourant", "portfolio": "Placements", "partners": "Partenaires",
        "projects": "Projets", "endowment": "Dotation", "donors": "Donateurs",
        "interest": "Interets", "accompaniment": "Accompagnement", "management": "Gestion",
        "bankfees": "FraisBancaires",
        "f_endowment": "dotation", "l_endowment": "Dotation (capital non consomptible)",
        "f_general": "general", "l_general": "Fonds libres",
        "f_projects": "projets", "l_projects": "Projets (fonds dédiés)",
        "i_jobs": "emplois", "l_jobs": "Emplois créés", "u_jobs": "emplois",
        "i_people": "personnes", "l_people": "Personnes touchées", "u_people": "personnes",
    },
    "it": {
        "title": "La nostra fondazione",
        "bank": "ContoCorrente", "portfolio": "Investimenti", "partners": "Partner",
        "projects": "Progetti", "endowment": "Dotazione", "donors": "Donatori",
        "interest": "Interessi", "accompaniment": "Accompagnamento", "management": "Gestione",
        "bankfees": "SpeseBancarie",
        "f_endowment": "dotazione", "l_endowment": "Dotazione (patrimonio non consumabile)",
        "f_general": "generale", "l_general": "Fondo generale",
        "f_projects": "progetti", "l_projects": "Progetti (fondi vincolati)",
        "i_jobs": "posti-lavoro", "l_jobs": "Posti di lavoro creati", "u_jobs": "posti",
        "i_people": "persone", "l_people": "Persone raggiunte", "u_people": "persone",
    },
}

#: Folders the books start with, empty: bank statements waiting to be imported (Fava's
#: Import page lists them, fava-option "import-dirs").
EMPTY_FOLDERS = ("statements",)

#: Suffixes that only exist so the file ships as package data.
_SHIPPING_SUFFIXES = (".tmpl", ".txt")
_KEEP_TXT = {"README.txt"}


class ScaffoldError(Exception):
    """The books cannot be written there; the message is one line naming the path."""


@dataclass(frozen=True)
class Rendered:
    """One file of the new books: its path relative to the target folder, and its text."""

    path: Path
    text: str


def _beancount_string(text: str) -> str:
    """``text`` made safe inside a Beancount double-quoted string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def render(title: str | None = None, lang: str = "en",
           start: datetime.date | None = None) -> list[Rendered]:
    """Every file of a new foundation's books, rendered in memory (nothing is written)."""
    if lang not in WORDS:
        raise ScaffoldError(f'unknown language "{lang}" (expected one of {", ".join(LANGUAGES)})')
    start = start or datetime.date(datetime.date.today().year, 1, 1)
    words = dict(WORDS[lang])
    title = " ".join((title or words["title"]).split())
    values = {**words, "title": _beancount_string(title), "plain_title": title, "lang": lang,
              "start": start.isoformat(), "year": str(start.year),
              "underline": "=" * len(title)}
    files: list[Rendered] = []
    root = resources.files(__name__) / "template"
    for relative, source in _walk(root, Path()):
        # Only Beancount strings need escaping; the README shows the title as typed.
        here = {**values, "title": title} if relative.name == "README.txt" else values
        text = Template(source.read_text(encoding="utf-8")).substitute(here)
        files.append(Rendered(_target_name(relative), text))
    files.append(Rendered(Path("queries.beancount"), _queries(start)))
    return sorted(files, key=lambda f: str(f.path))


def _walk(folder: Traversable, relative: Path) -> list[tuple[Path, Traversable]]:
    found: list[tuple[Path, Traversable]] = []
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.name.startswith((".", "__")):
            continue
        if item.is_dir():
            found += _walk(item, relative / item.name)
        else:
            found.append((relative / item.name, item))
    return found


def _target_name(relative: Path) -> Path:
    name = relative.name
    if name not in _KEEP_TXT:
        for suffix in _SHIPPING_SUFFIXES:
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                break
    return relative.with_name(name)


def _queries(start: datetime.date) -> str:
    """fundledger's saved queries as ``query`` entries, so Fava's Query page lists them."""
    from fundledger.queries import as_beancount

    return as_beancount(start)


def check_target(target: Path) -> None:
    """Refuse a target that is a file or a folder holding anything."""
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise ScaffoldError(f"{target}: folder is not empty; fundledger init only writes "
                            "into a new or empty folder")


def scaffold(target: Path, title: str | None = None, lang: str = "en",
             start: datetime.date | None = None) -> list[Path]:
    """Write a new foundation's books into ``target`` (new or empty); return the files.

    Nothing is left half-written: the files go to a hidden temporary folder first (beside
    a new ``target``, inside an existing empty one) and are moved into place only once all
    of them are written; on failure everything written is removed.
    """
    check_target(target)
    files = render(title, lang, start)
    folder = Path(os.path.abspath(target))
    existing = folder.is_dir()
    home = folder if existing else folder.parent
    try:
        home.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".fundledger-init-", dir=home))
    except OSError as exc:
        raise ScaffoldError(f"{home}: cannot create folder: {exc.strerror}") from None
    moved: list[Path] = []
    try:
        _write_all(staging, files)
        if existing:
            # An empty folder already there (maybe a mount point): move the files into it.
            for child in sorted(staging.iterdir()):
                child.rename(folder / child.name)
                moved.append(folder / child.name)
            staging.rmdir()
        else:
            staging.rename(folder)
    except OSError as exc:
        for path in [*moved, staging]:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        raise ScaffoldError(f"{target}: cannot write: {exc.strerror or exc}") from None
    return [target / f.path for f in files]


def _write_all(staging: Path, files: list[Rendered]) -> None:
    mask = os.umask(0)
    os.umask(mask)
    for item in files:
        path = staging / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, item.text)
        path.chmod(0o666 & ~mask)
    for folder in EMPTY_FOLDERS:
        (staging / folder).mkdir(exist_ok=True)
    staging.chmod(0o777 & ~mask)
