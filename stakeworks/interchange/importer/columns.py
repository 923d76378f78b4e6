"""Columns: which header of a file feeds which field. Headers match case- and
spacing-insensitively against each kind's aliases (ours and the names CRM
exports use, CLI.md "CSV columns"); `--map` overrides win; the rest are
ignored and said so.

Two columns that mean the same field are resolved by meaning, never silently
by position: the alias that names the field most directly wins (`Title` over
`Job Title`), a HubSpot export's associated-company columns (after `Record ID -
Company`) give the contact's company, and the other column still fills in
where the chosen one is empty. Each such choice is a warning the user sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from stakeworks.interchange.csvfiles import CsvTable, norm_header, read_csv
from stakeworks.interchange.importer.values import infer_date_format

CONTACT_ALIASES: dict[str, tuple[str, ...]] = {
    "account": ("account", "accountname", "company", "companyname", "associatedcompany", "organization",
                "organisation", "customer", "parentcustomer"),
    "account_ref": ("accountid", "associatedcompanyid", "primaryassociatedcompanyid", "associatedcompanyids",
                    "recordidcompany", "companyid", "parentcustomerid"),
    "account_domain": ("associatedcompanydomain", "companydomainname", "companydomain"),
    "name": ("name", "fullname", "contactname", "contact"),
    "first_name": ("firstname", "givenname"),
    "last_name": ("lastname", "surname", "familyname"),
    "title": ("title", "jobtitle", "position"),
    "email": ("email", "emailaddress", "workemail", "primaryemail", "emailaddress1"),
    "department": ("department", "function"),
    "level": ("level", "seniority"),
    "roles": ("roles", "role", "buyingrole", "buyerattributes", "contactrole", "stakeholdertype",
              "decisioninfluencelabels", "decisioninfluence", "type"),
    "strength": ("strength", "relationshipstrength", "relationship"),
    "sentiment": ("sentiment",),
    "status": ("status",),
    "last_touch": ("lasttouch", "lastactivity", "lastactivitydate", "lastcontacted"),
    "last_touch_kind": ("lasttouchkind", "lastactivitytype"),
    "reports_to": ("reportsto", "reportstoid", "reportstoemail", "manager"),
    "influences": ("influences", "influence", "influencelines"),
    "key_to_success": ("keytosuccess", "key"),
    "engagement_strategy": ("engagementstrategy", "strategy"),
    "notes": ("notes", "description", "note"),
    "owner_note": ("contactowner", "owner"),
    "crm_id": ("id", "contactid", "recordid", "recordidcontact", "(donotmodify)contact"),
    # The CRM's own word that mail to the person bounces (Salesforce's bounce fields, HubSpot's
    # hard bounce): read to raise an email_bounced signal, never stored as a field.
    "email_bounced": ("isemailbounced", "emailbounced", "hsemailhardbounce"),
    "email_bounced_date": ("emailbounceddate", "hsemailhardbouncedate"),
    "email_bounced_reason": ("emailbouncedreason", "emailhardbouncereason", "hsemailhardbouncereasonenum",
                             "hsemailhardbouncereason"),
    # Salesforce's own word that the row is a person account (B2C): read for the preview, never stored.
    "person_account": ("ispersonaccount",),
}  # fmt: skip
ACCOUNT_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "accountname", "company", "companyname", "account", "organization", "customer"),
    # ARR only from columns that mean recurring revenue; `AnnualRevenue` is the company's own revenue.
    "arr": ("arr", "annualrecurringrevenue", "recurringrevenue", "contractvalue", "annualcontractvalue", "acv"),
    "company_revenue": ("annualrevenue", "companyrevenue", "revenue"),
    "currency": ("currency", "currencyisocode", "currencycode"),
    "renewal_date": ("renewaldate", "renewal", "contractenddate", "nextrenewaldate"),
    "tier": ("tier", "segment"),
    "industry": ("industry",),
    "region": ("region", "territory", "countryregion", "billingcountry", "country", "address1countryregion"),
    "csm": ("csm", "csmowner", "customersuccessmanager", "accountowner", "companyowner", "owner"),
    "domain": ("domain", "companydomainname", "domainname", "website", "websiteurl"),
    "strategic_value": ("strategicvalue",),
    "growth_potential": ("growthpotential",),
    "kraljic": ("kraljic", "kraljicquadrant"),
    "last_ebr": ("lastebr",),
    "next_ebr": ("nextebr",),
    "notes": ("notes", "description"),
    "crm_id": ("id", "crmid", "accountid", "recordid", "recordidcompany", "companyid", "(donotmodify)account"),
    "crm": ("crm",),  # which CRM a row's id is from, as `export accounts` writes it
    "person_account": ("ispersonaccount",),  # read for the preview (person accounts), never stored
}  # fmt: skip
EXECUTIVE_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname"),
    "first_name": ("firstname", "givenname"),
    "last_name": ("lastname", "surname", "familyname"),
    "title": ("title", "jobtitle"),
    "level": ("level",),
    "function": ("function", "department"),
    "industries": ("industries", "industry", "industryexpertise"),
    "region": ("region",),
    "capacity": ("capacity",),
    "exception_reason": ("exceptionreason", "exception"),
}
ROLE_FILE_ALIASES: dict[str, tuple[str, ...]] = {
    "contact_ref": ("contactid",),
    "account_ref": ("accountid",),
    "opportunity_ref": ("opportunityid",),
    "role": ("role", "contactrole"),
    "primary": ("isprimary", "primary"),
    "deleted": ("isdeleted",),
}

# In a HubSpot export of contacts with their associated company, the columns after
# `Record ID - Company` describe the company: these of them say which company it is.
_COMPANY_SECTION = {"companyname": "account", "name": "account", "recordidcompany": "account_ref",
                    "companydomainname": "account_domain", "domain": "account_domain"}  # fmt: skip

# Which CRM wrote a file, from headers only that CRM writes.
_SALESFORCE = frozenset({"isdeleted", "masterrecordid", "reportstoid", "ownerid", "currencyisocode", "accountid",
                         "contactid", "buyerattributes", "opportunityid", "systemmodstamp"})  # fmt: skip
_HUBSPOT = frozenset({"recordid", "recordidcontact", "recordidcompany", "associatedcompanyid",
                      "associatedcompanyids", "primaryassociatedcompanyid", "companydomainname"})  # fmt: skip
_DYNAMICS = frozenset({"decisioninfluencelabels", "address1city", "parentcustomer", "address1stateprovince"})
CRMS = ("salesforce", "hubspot", "dynamics365", "csv")


def detect_crm(headers: list[str]) -> str:
    """The CRM a file came from, by the headers only it writes; "csv" for any other system."""
    keys = {norm_header(h) for h in headers}
    if any(k.startswith("(donotmodify)") for k in keys) or keys & _DYNAMICS:
        return "dynamics365"
    if keys & _HUBSPOT:
        return "hubspot"
    if keys & _SALESFORCE:
        return "salesforce"
    return "csv"


@dataclass
class ColumnMapping:
    """Which file column feeds which field; what is left over, and why."""

    fields: dict[int, str]
    ignored: list[str]
    fallbacks: dict[str, list[int]] = field(default_factory=dict)
    """Other columns of the same meaning, read in order where the chosen column is empty."""
    warnings: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    """Why an ignored column is ignored, when it is not just an unknown name."""

    def describe(self, headers: list[str]) -> list[str]:
        lines = [f"{headers[i]!r} -> {f}" for i, f in sorted(self.fields.items())]
        chosen = {f: i for i, f in self.fields.items()}
        for f, others in self.fallbacks.items():
            lines += [f"{headers[i]!r} -> {f} (where {headers[chosen[f]]!r} is empty)" for i in others]
        lines += [
            f"{h!r} -> (ignored: {self.reasons.get(h, 'no matching field; use --map to assign it')})"
            for h in self.ignored
        ]
        return lines


def map_columns(
    headers: list[str], aliases: Mapping[str, tuple[str, ...]], overrides: Mapping[str, str] | None = None
) -> ColumnMapping:
    rank = {alias: (fieldname, n) for fieldname, names in aliases.items() for n, alias in enumerate(names)}
    over = {norm_header(k): v for k, v in (overrides or {}).items()}
    company_section = "account_ref" in aliases and "account" in aliases  # a contacts file: it may carry its company
    # field -> [(preference, index)]; a lower preference wins.
    candidates: dict[str, list[tuple[tuple[int, int, int], int]]] = {}
    ignored: list[str] = []
    reasons: dict[str, str] = {}
    section = ""
    for i, h in enumerate(headers):
        key = norm_header(h)
        if key.startswith("recordid") and len(key) > len("recordid"):
            section = key[len("recordid") :]
        if key in over:
            candidates.setdefault(over[key], []).append(((0, 0, i), i))
            continue
        if company_section and section and section != "contact":
            fieldname = _COMPANY_SECTION.get(key) if section == "company" else None
            if fieldname:  # the associated company's own name or id says best which company it is
                candidates.setdefault(fieldname, []).append(((1, 0, i), i))
            elif h:
                ignored.append(h)
                reasons[h] = f"describes the associated {section}, not the contact"
            continue
        got = rank.get(key)
        if got:
            fieldname, n = got
            candidates.setdefault(fieldname, []).append(((2, n, i), i))
        elif h:
            ignored.append(h)
    fields: dict[int, str] = {}
    fallbacks: dict[str, list[int]] = {}
    warnings: list[str] = []
    for fieldname, found in candidates.items():
        found.sort()
        fields[found[0][1]] = fieldname
        if len(found) > 1:
            others = [i for _, i in found[1:]]
            fallbacks[fieldname] = others
            why = "the associated company's" if found[0][0][0] == 1 else "the most direct name"
            warnings.append(
                f"columns {', '.join(repr(headers[i]) for _, i in found)} all mean {fieldname}: "
                f"{headers[found[0][1]]!r} is used ({why}), the others only where it is empty"
            )
    return ColumnMapping(fields, ignored, fallbacks, warnings, reasons)


def read_mapped(
    path: Path, aliases: Mapping[str, tuple[str, ...]], overrides: Mapping[str, str] | None
) -> tuple[CsvTable, ColumnMapping]:
    table = read_csv(path)
    mapping = map_columns(table.headers, aliases, overrides)
    table.warnings.extend(mapping.warnings)
    return table, mapping


def file_date_format(table: CsvTable, mapping: ColumnMapping, fields: tuple[str, ...]) -> str | None:
    """One file, one convention: a 25/04 anywhere makes every slash date day-first."""
    columns = [i for i, f in mapping.fields.items() if f in fields]
    columns += [i for f in fields for i in mapping.fallbacks.get(f, [])]
    if not columns:
        return None
    return infer_date_format(cells[i] for _, cells in table.records() for i in columns if i < len(cells))


def row_values(cells: list[str], where: list[tuple[int, str]], fallbacks: dict[str, list[int]]) -> dict[str, str]:
    """A record's mapped cells, stripped, by field; empty chosen cells filled from same-meaning columns."""
    n = len(cells)
    row = {f: cells[i].strip() for i, f in where if i < n}
    for f, others in fallbacks.items():
        if not row.get(f):
            row[f] = next((v for i in others if i < n and (v := cells[i].strip())), row.get(f, ""))
    return row
