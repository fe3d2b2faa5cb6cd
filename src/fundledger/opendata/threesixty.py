"""The 360Giving Data Standard 1.4.3: every awarded grant, as a JSON package or a CSV.

The JSON is checked with jsonschema against the standard's own schema files (shipped with
fundledger under their CC BY 4.0 licence, see ``schemas/NOTICE.txt``); the CSV is the same
grants flattened under the column titles of 360Giving's spreadsheet template
(``Recipient Org:Identifier``...), built from the JSON once it has passed.

A grant to a natural person stays in, as 360Giving's guidance for grants to individuals
has it: an anonymous recipient (``recipientIndividual``) and a grant id that is not the
books' own.  A grant marked ``private: TRUE`` to an organisation cannot be carried (the
schema requires the organisation's name and id): it is left out.  Both are counted.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from fundledger.engine import Books
from fundledger.opendata import tableschema
from fundledger.opendata.common import (
    GrantRecord,
    OpenDataError,
    Publisher,
    Withheld,
    grant_records,
    json_number,
    json_text,
    public_text,
    to_csv,
    where,
)

GRANT_SCHEMA = "360-giving-schema-1.4.3.json"
PACKAGE_SCHEMA = "360-giving-package-schema-1.4.3.json"
VERSION = "1.4"

#: Canonical URIs of the licences :data:`fundledger.opendata.common.DEFAULT_LICENCE` names.
LICENCE_URLS = {
    "Licence Ouverte / Open Licence 2.0 (Etalab)":
        "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf",
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL 1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
}

#: Names of individual recipients, as the anonymised entry shows them.
INDIVIDUAL = "Individual recipient"


def _country(who: Publisher) -> str:
    return who.options.get("country") or ("FR" if who.siret else "IT" if who.codice_fiscale
                                          else "")


def _funder(who: Publisher) -> dict[str, Any]:
    return {"id": who.org_id or who.prefix, "name": who.name}


def _grant(record: GrantRecord, who: Publisher, books: Books, anonymous: int) -> dict[str, Any]:
    """The 360Giving grant of ``record``; ``anonymous`` numbers a withheld one (1, 2...)."""
    grant = record.grant
    out: dict[str, Any]
    if record.withheld:
        out = {
            "id": f"{who.prefix}-PRIVATE-{anonymous}",
            "title": "Grant to an individual",
            "description": "Grant to a natural person; the recipient and the project are "
                           "withheld.",
        }
    else:
        title = public_text(record.project or record.fund_label)
        out = {
            "id": f"{who.prefix}-{public_text(grant.id)}",
            "title": title,
            "description": public_text(
                f"{title} — {record.fund_label}" if record.project else record.fund_label),
        }
    out["currency"] = "EUR"
    out["amountAwarded"] = json_number(record.amount)
    out["amountDisbursed"] = json_number(record.paid_by(books.last_date or record.awarded_on))
    out["awardDate"] = record.awarded_on.isoformat()
    if record.withheld:
        out["recipientIndividual"] = {"id": f"{who.prefix}-IND-{anonymous}", "name": INDIVIDUAL}
    else:
        name = public_text(grant.grantee)
        ident = record.identifier
        organisation: dict[str, Any] = {
            "id": ident.org_id if ident else f"{who.prefix}-ORG-{_slug(name)}",
            "name": name,
        }
        if record.city:
            organisation["addressLocality"] = public_text(record.city)
        out["recipientOrganization"] = [organisation]
        if record.city:
            location: dict[str, Any] = {"name": public_text(record.city)}
            if _country(who):
                location["countryCode"] = _country(who)
            out["beneficiaryLocation"] = [location]
    out["fundingOrganization"] = [_funder(who)]
    if grant.fund:
        out["grantProgramme"] = [{"code": public_text(grant.fund),
                                  "title": public_text(record.fund_label)}]
    return out


def _slug(name: str) -> str:
    """A stable internal id for an organisation the books give no identifier: a digest of
    its name (360Giving's advice is a prefixed id of the publisher's own)."""
    import hashlib

    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def package(books: Books, who: Publisher) -> tuple[dict[str, Any], list[GrantRecord], Withheld]:
    """The 360Giving package of every awarded grant, the records behind its grants (in
    order) and what was withheld.  Not yet validated: see :func:`build`."""
    withheld = Withheld("360giving")
    grants, kept = [], []
    for record in grant_records(books, who):
        person = record.grant.grantee_kind == "person"
        keep = not record.withheld or person
        withheld.add(record, kept=keep)
        if keep:
            kept.append(record)
            grants.append(_grant(record, who, books, withheld.count - withheld.left_out))
    issued = (books.last_date or datetime.date.today()).isoformat()
    out: dict[str, Any] = {
        "version": VERSION,
        "title": public_text(f"{who.name} — grants"),
        "issued": issued,
        "publisher": {"name": who.name, **({"identifier": who.org_id} if who.org_id else {})},
    }
    licence = who.options.get("data-licence-url") or LICENCE_URLS.get(who.licence)
    if licence:
        out["license"] = licence
    out["grants"] = grants
    return out, kept, withheld


# -- validation --------------------------------------------------------------------------------

def _date_time(value: object) -> bool:
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _uri(value: object) -> bool:
    from urllib.parse import urlsplit

    return isinstance(value, str) and bool(urlsplit(value).scheme)


def validators() -> tuple[Any, Any]:
    """jsonschema validators of a 360Giving package and of one grant, offline, formats
    asserted.

    The grant schema is registered under its own ``$id`` (which the 1.4.3 release still
    spells ``1.4.2``), the one the package schema refers to.  ``date-time`` is asserted
    (``awardDate`` is ``oneOf`` a date-time and a date: unasserted, a date would match both
    and fail).
    """
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    grant_schema = tableschema.load_schema(GRANT_SCHEMA)
    package_schema = tableschema.load_schema(PACKAGE_SCHEMA)
    registry = Registry().with_resources(
        (schema["$id"], DRAFT202012.create_resource(schema))
        for schema in (grant_schema, package_schema))
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(_date_time)
    checker.checks("uri")(_uri)
    return tuple(jsonschema.Draft202012Validator(schema, registry=registry,  # type: ignore
                                                 format_checker=checker)
                 for schema in (package_schema, grant_schema))


#: Keywords of the grant schema's root that :class:`_GrantCheck` knows how to split; a
#: schema with any other (``additionalProperties``, ``if``...) is checked whole.
_SPLITTABLE = {"$id", "$schema", "$defs", "title", "description", "type", "oneOf",
               "properties"}


class _GrantCheck:
    """Whether a grant is valid, with the work shared between grants.

    The grant schema's root is ``type``, a ``oneOf`` of ``required`` sets and
    ``properties``: a grant is valid exactly when its key set passes the first two and each
    property's value passes its own subschema.  Values repeat from grant to grant (the
    funder, the currency, a grantee's organisation, a date), so each distinct value is
    checked once per property, and so is each distinct key set.  A property whose subschema
    asserts nothing but a JSON type (``id``, ``title``, the amounts: the values that never
    repeat) is checked with the validator's own type checker, which is all jsonschema
    would do for it.  A grant found invalid is checked again whole, for jsonschema's own
    best error.
    """

    def __init__(self, validator: Any) -> None:
        schema = validator.schema
        self.whole = validator
        self.split = set(schema) <= _SPLITTABLE and all(
            set(option) == {"required"} for option in schema.get("oneOf", []))
        self.keys = validator.evolve(schema={k: schema[k] for k in ("type", "oneOf")
                                             if k in schema})
        keywords = set(validator.VALIDATORS)  # others are annotations: jsonschema skips them
        self.types: dict[str, str] = {}
        self.properties: dict[str, Any] = {}
        for name, sub in schema.get("properties", {}).items():
            if keywords.intersection(sub) == {"type"} and isinstance(sub["type"], str):
                self.types[name] = sub["type"]
            else:
                self.properties[name] = validator.evolve(schema=sub)
        self.seen: dict[tuple[str, str], bool] = {}
        self.key_sets: dict[tuple[str, ...], bool] = {}

    def valid(self, grant: dict[str, Any]) -> bool:
        if not self.split:
            return bool(self.whole.is_valid(grant))
        names = tuple(grant)
        keys_valid = self.key_sets.get(names)
        if keys_valid is None:
            keys_valid = self.key_sets[names] = bool(self.keys.is_valid(dict.fromkeys(grant)))
        if not keys_valid:
            return False
        is_type = self.whole.is_type
        for name, value in grant.items():
            kind = self.types.get(name)
            if kind is not None:
                if not is_type(value, kind):
                    return False
                continue
            check = self.properties.get(name)
            if check is None:
                continue
            # ``repr`` tells JSON values apart (1, 1.0 and True; "1" and 1), and the same
            # value built the same way always has the same one: a cheap key for the cache.
            key = (name, repr(value))
            if key not in self.seen:
                self.seen[key] = bool(check.is_valid(value))
            if not self.seen[key]:
                return False
        return True


def check(who: Publisher, document: dict[str, Any], records: list[GrantRecord]) -> None:
    """Raise :class:`OpenDataError` naming the grant and the field the schema refuses.

    Equivalent to validating the whole package, and linear: the package's own fields are
    checked with its first grant, each grant against the grant schema
    (:class:`_GrantCheck`), and the package's ``uniqueItems`` by the grants' ids (grants
    with different ids differ) or, when two ids are the same, by the grants' canonical
    JSON (jsonschema compares every pair).
    """
    import jsonschema

    package_validator, grant_validator = validators()
    grants = _GrantCheck(grant_validator)
    for index, grant in enumerate(document["grants"]):
        if grants.valid(grant):
            continue
        error = jsonschema.exceptions.best_match(grant_validator.iter_errors(grant))
        record = records[index]
        field = "/".join(str(p) for p in error.absolute_path) if error else ""
        raise OpenDataError(f'{where(who, record.id)}: grant "{record.id}": 360Giving '
                            f"field {field or '(the grant)'}: "
                            f"{_why(error) if error else 'refused'}", located=True)
    error = jsonschema.exceptions.best_match(package_validator.iter_errors(
        {**document, "grants": document["grants"][:1]}))
    if error is not None:
        path = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise OpenDataError(f"360Giving package field {path}: {_why(error)}")
    ids = [g.get("id") for g in document["grants"]]
    if len(set(map(repr, ids))) == len(ids):
        return  # grants with different ids differ: uniqueItems holds
    canonical = [json.dumps(g, sort_keys=True) for g in document["grants"]]
    if len(set(canonical)) != len(canonical):
        raise OpenDataError("360Giving package field grants: two grants are identical")


def _why(error: Any) -> str:
    if error.validator == "enum":
        return f"{error.instance!r} is not an allowed value"
    return " ".join(error.message.split())[:300]


# -- output ------------------------------------------------------------------------------------

#: CSV columns: the titles of 360Giving's spreadsheet template, and where each value sits
#: in a JSON grant (key, then index and key for the one-item lists).
CSV_COLUMNS: list[tuple[str, tuple[str | int, ...]]] = [
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Amount Disbursed", ("amountDisbursed",)),
    ("Award Date", ("awardDate",)),
    ("Recipient Org:Identifier", ("recipientOrganization", 0, "id")),
    ("Recipient Org:Name", ("recipientOrganization", 0, "name")),
    ("Recipient Org:City", ("recipientOrganization", 0, "addressLocality")),
    ("Recipient Ind:Identifier", ("recipientIndividual", "id")),
    ("Recipient Ind:Name", ("recipientIndividual", "name")),
    ("Beneficiary Location:Name", ("beneficiaryLocation", 0, "name")),
    ("Beneficiary Location:Country Code", ("beneficiaryLocation", 0, "countryCode")),
    ("Funding Org:Identifier", ("fundingOrganization", 0, "id")),
    ("Funding Org:Name", ("fundingOrganization", 0, "name")),
    ("Grant Programme:Code", ("grantProgramme", 0, "code")),
    ("Grant Programme:Title", ("grantProgramme", 0, "title")),
]


def _get(grant: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    value: Any = grant
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return ""
    return value


def to_csv_text(document: dict[str, Any]) -> str:
    """The package's grants, one row each, under 360Giving's column titles."""
    rows = [{title: _get(grant, path) for title, path in CSV_COLUMNS}
            for grant in document["grants"]]
    return to_csv([title for title, _path in CSV_COLUMNS], rows)


def render(document: dict[str, Any], fmt: str) -> str:
    """A checked package as JSON or CSV text."""
    if fmt == "csv":
        return to_csv_text(document)
    return json_text(document) + "\n"


def checked_package(books: Books, who: Publisher) -> tuple[dict[str, Any], Withheld]:
    """The package of :func:`package`, validated (:class:`OpenDataError` if not)."""
    document, records, withheld = package(books, who)
    if not document["grants"]:
        raise OpenDataError("360Giving needs at least one grant, and the books have no "
                            "publishable grant")
    check(who, document, records)
    return document, withheld


def build(books: Books, who: Publisher, fmt: str) -> tuple[str, Withheld]:
    """The 360Giving export as JSON or CSV text, validated, and what was withheld."""
    document, withheld = checked_package(books, who)
    return render(document, fmt), withheld
