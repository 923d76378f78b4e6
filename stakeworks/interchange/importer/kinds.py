"""Which kind of file an export is, from its header (or its name, for calendars and mail):
"this looks like an accounts file", before the user has to know the word (issue 31).

Only columns that belong to one kind count: `Name`, `Id` and `Description` are in every
export. A person's name parts, email and title say contacts; revenue, industry, website and
billing address say accounts (a Salesforce person-account export has first and last names
too, and its `PersonEmail` and `PersonContactId` say it is accounts); a contact id with a role
and no person says a roles file; capacity or industries of expertise say our executives.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stakeworks.interchange.csvfiles import norm_header, read_csv

_CONTACT = frozenset({
    "firstname", "lastname", "givenname", "surname", "email", "emailaddress", "workemail", "title", "jobtitle",
    "salutation", "department", "reportstoid", "reportsto", "mailingcountry", "mailingcity", "mailingstreet",
    "mobilephone", "birthdate", "buyingrole", "buyerattributes", "contactowner", "lastactivitydate", "contactid",
    "recordidcontact", "associatedcompanyid", "associatedcompany", "emailbouncedreason", "isemailbounced",
    "decisioninfluencelabels", "seniority", "relationshipstrength", "strength", "lasttouch",
})  # fmt: skip
_ACCOUNT = frozenset({
    "annualrevenue", "arr", "annualrecurringrevenue", "contractvalue", "acv", "industry", "website", "websiteurl",
    "numberofemployees", "billingcountry", "billingcity", "billingstreet", "billingstate", "shippingcity",
    "renewaldate", "tier", "parentid", "ownership", "tickersymbol", "rating", "sic", "personemail",
    "personcontactid", "companydomainname", "strategicvalue", "growthpotential", "kraljic", "kraljicquadrant",
    "accountowner", "companyowner", "accountnumber", "territory", "csm",
})  # fmt: skip
_ROLE = frozenset({"role", "contactrole", "isprimary", "opportunityid"})
_EXECUTIVE = frozenset({"capacity", "industries", "industryexpertise", "exceptionreason"})
_PERSON = frozenset({"name", "fullname", "firstname", "lastname", "email", "emailaddress"})

KINDS = ("accounts", "contacts", "executives", "roles", "calendar", "mail", "json")


@dataclass(frozen=True)
class KindGuess:
    """The kind a file looks like (one of KINDS, or None when its columns do not say) and why."""

    kind: str | None
    why: str


def kind_of_header(headers: list[str]) -> KindGuess:
    """The CSV kind a header row says: the columns that only that kind has decide."""
    keys = {norm_header(h): h for h in headers if h.strip()}

    def named(signs: frozenset[str]) -> list[str]:
        return [keys[k] for k in keys if k in signs]  # in the file's order and spelling

    if keys.keys() & _EXECUTIVE and not keys.keys() & {"annualrevenue", "arr"}:
        return KindGuess("executives", f"{_columns(named(_EXECUTIVE))} our executives")
    if "contactid" in keys and keys.keys() & _ROLE and not keys.keys() & _PERSON:
        return KindGuess("roles", f"it links contacts to roles ({_few(named(_ROLE | {'contactid'}))})")
    person, company = named(_CONTACT), named(_ACCOUNT)
    if {"personemail", "personcontactid"} & keys.keys() or (company and len(company) >= len(person)):
        return KindGuess("accounts", f"{_columns(company)} companies")
    if person:
        return KindGuess("contacts", f"{_columns(person)} people")
    return KindGuess(None, "its columns do not say whether it holds accounts, contacts or executives")


def kind_of_file(path: Path | str) -> KindGuess:
    """The kind of any file the import takes: a calendar (.ics), mail (mbox, Maildir, .eml, a
    folder), the whole store (.json), else a CSV by its header. InputError when it cannot be read."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix in (".ics", ".ical", ".ifb"):
        return KindGuess("calendar", "it is a calendar file (.ics)")
    if path.is_dir() or suffix in (".mbox", ".eml", ".mbx"):
        return KindGuess("mail", "it is a mailbox (mbox, Maildir or .eml)")
    if suffix == ".json":
        return KindGuess("json", "it is a JSON export of a whole store")
    return kind_of_header(read_csv(path).headers)


def _few(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(names[:limit])
    return shown + (" …" if len(names) > limit else "")


def _columns(names: list[str]) -> str:
    """ "its column X describes" / "its columns X, Y describe": the start of a reason."""
    return f"its column {names[0]} describes" if len(names) == 1 else f"its columns {_few(names)} describe"
