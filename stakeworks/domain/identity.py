"""Identity of imported records (DOMAIN section 10).

A CRM export is a snapshot of records the CRM identifies by id. A row is the
same record as a stored one when, in this order: the CRM id matches; else the
email matches (case-insensitively) and the account is the same; else account
and name match (case-, accent- and whitespace-insensitive) and neither side has
an email that contradicts it. A row that matches only by name but whose email
differs is a *possible duplicate*: the user decides. Two records whose ids in
the same CRM differ are never the same, whatever else they share.

Plain dictionaries over small tuples: a 200,000-contact import matches every
row against every stored contact without building a model per contact.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

_SALESFORCE_ID = re.compile(r"[A-Za-z0-9]{18}")
CRM_LABELS = {"salesforce": "Salesforce", "hubspot": "HubSpot", "dynamics365": "Dynamics 365", "csv": "CRM"}


def name_key(name: str) -> str:
    """A name as matching sees it: case, accents and spacing folded ("  Zoë  Ng" == "zoe ng")."""
    if not name.isascii():
        name = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    folded = name.casefold()
    if folded.isprintable() and "  " not in folded and folded[:1] != " " and folded[-1:] != " ":
        return folded  # already single-spaced: most names (an import calls this for every row)
    return " ".join(folded.split())


def crm_key(crm: str, crm_id: str) -> str:
    """A CRM id as stored and compared: Salesforce's 18-character ids are their
    15-character ids plus a checksum, and reports export the 15-character form."""
    crm_id = crm_id.strip()
    if crm == "salesforce" and _SALESFORCE_ID.fullmatch(crm_id):
        return crm_id[:15]
    return crm_id


_CHECKSUM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def salesforce_short(ref: str) -> str | None:
    """The 15-character form of an 18-character Salesforce id, or None when `ref` is not one.
    The last three characters of an 18-character id encode which of the first fifteen are
    capitals (five bits each); a CRM-neutral id that merely has 18 characters fails the check
    and is never shortened."""
    if len(ref) != 18 or not ref.isascii() or not ref.isalnum():
        return None
    body = ref[:15]
    check = "".join(
        _CHECKSUM_ALPHABET[sum(1 << i for i, ch in enumerate(body[k : k + 5]) if "A" <= ch <= "Z")]
        for k in range(0, 15, 5)
    )
    return body if ref[15:].upper() == check else None


def id_key(ref: str) -> str:
    """An id as any file of this store may name it: a Salesforce 18-character id as its
    15-character form (reports export that), anything else as given. One store, one meaning
    per id: a contacts file's `AccountId` finds the account whichever CRM its file came from."""
    ref = ref.strip()
    return salesforce_short(ref) or ref


def domain_key(value: str) -> str:
    """A web address or domain as a bare domain: "https://www.Acme.example/about" -> "acme.example"."""
    v = value.strip().casefold()
    v = re.sub(r"^[a-z][a-z0-9+.-]*://", "", v)
    v = v.split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    return v.removeprefix("www.").strip(".")


def account_label(name: str, crm: str, crm_id: str) -> str:
    """How an account is told apart from another of the same name: "Halvard Shipping (Salesforce 0018a00002HvLs1)"."""
    return f"{name} ({CRM_LABELS.get(crm, crm)} {crm_id})" if crm_id else f"{name} (no CRM id)"


def shown_names(accounts: Iterable[AccountIdentity]) -> dict[int, str]:
    """Every account as a list shows it: its name, or for a name two accounts share, the name
    with what tells them apart ("Nissan Motors (Salesforce 001Dn00000KfQ2c)"), the form that
    `find_account` and every command's ACCOUNT argument take back."""
    accounts = list(accounts)
    count: dict[str, int] = {}
    for a in accounts:
        count[a.name] = count.get(a.name, 0) + 1
    return {a.id: a.label if count[a.name] > 1 else a.name for a in accounts}


@dataclass(frozen=True, slots=True)
class AccountIdentity:
    id: int
    name: str
    crm: str = ""
    crm_id: str = ""
    domain: str = ""

    @property
    def label(self) -> str:
        return account_label(self.name, self.crm, self.crm_id)


@dataclass
class AccountDirectory:
    """Every account by CRM id, name and domain: how a row names its account."""

    by_id: dict[int, AccountIdentity] = field(default_factory=dict)
    by_crm: dict[tuple[str, str], int] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=dict)
    by_domain: dict[str, list[int]] = field(default_factory=dict)
    by_any_crm: dict[str, list[int]] = field(default_factory=dict)
    """Every account by its id's `id_key`, whichever CRM it came from."""
    _resolved: dict[tuple[str, str, str, str], AccountIdentity | str] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, accounts: Iterable[AccountIdentity]) -> AccountDirectory:
        d = cls()
        for a in accounts:
            d.add(a)
        return d

    def add(self, a: AccountIdentity) -> None:
        self._resolved.clear()
        self.by_id[a.id] = a
        if a.crm_id:
            self.by_crm[(a.crm, a.crm_id)] = a.id
            self.by_any_crm.setdefault(id_key(a.crm_id), []).append(a.id)
        self.by_name.setdefault(name_key(a.name), []).append(a.id)
        if a.domain:
            self.by_domain.setdefault(domain_key(a.domain), []).append(a.id)

    def named(self, name: str) -> list[AccountIdentity]:
        return [self.by_id[i] for i in self.by_name.get(name_key(name), [])]

    def by_ref(self, crm: str, ref: str) -> AccountIdentity | None:
        """An account by its CRM id: that CRM's first, else any account of the store whose id is
        the same (an accounts file the importer took for a generic CSV holds the same ids as the
        Salesforce contacts file that names them; 15 and 18 characters alike). ValueError when
        accounts of two CRMs carry the id."""
        key = crm_key(crm, ref)
        found = self.by_crm.get((crm, key))
        if found is not None:
            return self.by_id[found]
        ids = {*self.by_any_crm.get(id_key(ref), ()), *self.by_any_crm.get(key, ())}
        if len(ids) > 1:
            choices = ", ".join(sorted(self.by_id[i].label for i in ids))
            raise ValueError(f"{len(ids)} accounts have the id {ref!r} ({choices}); import with --crm to say which CRM")
        return self.by_id[ids.pop()] if ids else None

    def resolve(self, *, crm: str = "", ref: str = "", name: str = "", domain: str = "") -> AccountIdentity:
        """The one account a row names, by CRM id, else name, else domain; ValueError says why not.
        Rows of one account repeat its name: each distinct reference is resolved once."""
        key = (crm, ref, name, domain)
        got = self._resolved.get(key)
        if got is None:
            try:
                got = self._resolve(crm, ref, name, domain)
            except ValueError as exc:
                got = str(exc)
            self._resolved[key] = got
        if isinstance(got, str):
            raise ValueError(got)
        return got

    def _resolve(self, crm: str, ref: str, name: str, domain: str) -> AccountIdentity:
        if ref:
            found = self.by_ref(crm, ref)
            if found is not None:
                return found
            if not name and not domain:
                raise ValueError(
                    f"no account with {CRM_LABELS.get(crm, crm)} id {ref!r} in the store: import the accounts file "
                    "first (stakeworks import accounts FILE), or name it with --accounts-file FILE"
                )
        if name:
            named = self.named(name)
            if len(named) == 1:
                return named[0]
            if len(named) > 1:
                choices = ", ".join(a.label for a in named)
                raise ValueError(f"{len(named)} accounts are named {name!r} ({choices}); give the account's CRM id")
            if not domain:
                raise ValueError(f"no account named {name!r}; import accounts first")
        if domain:
            ids = self.by_domain.get(domain_key(domain), [])
            if len(ids) == 1:
                return self.by_id[ids[0]]
            if ids:
                choices = ", ".join(self.by_id[i].label for i in ids)
                raise ValueError(f"{len(ids)} accounts have the domain {domain!r} ({choices})")
            raise ValueError(f"no account with the domain {domain!r}; import its companies first")
        raise ValueError("account is required")


@dataclass(frozen=True, slots=True)
class Match:
    """How a row relates to the stored records: `how` is "crm", "email" or "name" for
    the same record, "possible" for a possible duplicate (`id` is the candidate), "" for new.
    Only a record stored before the import can be a possible duplicate: two rows of one file
    with one name and two emails are two people the CRM keeps apart."""

    how: str
    id: int | None = None


class ContactIndex:
    """Stored (and just imported) contacts as matching needs them, kept current as rows are written.

    Built for 200,000 contacts: a name maps to one id (a list only for namesakes), and
    the people a file adds are told from stored ones by their ids (`first_new` and up)."""

    def __init__(self) -> None:
        self.by_crm: dict[tuple[str, str], int] = {}
        self.by_email: dict[tuple[int, str], int] = {}
        self.by_name: dict[tuple[int, str], int | list[int]] = {}
        self.facts: dict[int, tuple[int, str, str, str, str]] = {}  # id -> (account, name key, email, crm, crm id)
        self.first_new: int | None = None
        """Ids from here up were added by the file being imported: two of its rows with one
        name and two emails are two people, never a question."""

    def is_new(self, contact_id: int) -> bool:
        return self.first_new is not None and contact_id >= self.first_new

    def add(
        self,
        contact_id: int,
        account_id: int,
        name: str,
        email: str,
        crm: str,
        crm_id: str,
        *,
        key: str | None = None,
        known: bool = True,
    ) -> None:
        """`key` is `name_key(name)` when the caller has it; `known=False` says the id is new to the index."""
        if known and contact_id in self.facts:
            self.remove(contact_id)
        key = key if key is not None else name_key(name)
        email = email.casefold()
        self.facts[contact_id] = (account_id, key, email, crm, crm_id)
        if crm_id:
            self.by_crm[(crm, crm_id)] = contact_id
        if email:
            self.by_email[(account_id, email)] = contact_id
        slot = (account_id, key)
        have = self.by_name.get(slot)
        if have is None:
            self.by_name[slot] = contact_id
        elif isinstance(have, list):
            have.append(contact_id)
        else:
            self.by_name[slot] = [have, contact_id]

    def named(self, account_id: int, key: str) -> list[int]:
        have = self.by_name.get((account_id, key))
        return [] if have is None else have if isinstance(have, list) else [have]

    def remove(self, contact_id: int) -> None:
        account_id, key, email, crm, crm_id = self.facts.pop(contact_id)
        if crm_id and self.by_crm.get((crm, crm_id)) == contact_id:
            del self.by_crm[(crm, crm_id)]
        if email and self.by_email.get((account_id, email)) == contact_id:
            del self.by_email[(account_id, email)]
        have = self.by_name.get((account_id, key))
        if have == contact_id:
            del self.by_name[(account_id, key)]
        elif isinstance(have, list) and contact_id in have:
            have.remove(contact_id)

    def _contradicts(self, contact_id: int, crm: str, crm_id: str) -> bool:
        """Both carry an id of the same CRM, and the ids differ: two records, whatever else they share."""
        _, _, _, their_crm, their_id = self.facts[contact_id]
        return bool(crm_id and their_id and crm == their_crm and crm_id != their_id)

    def match(self, account_id: int, name: str, email: str, crm: str, crm_id: str, key: str | None = None) -> Match:
        if crm_id:
            found = self.by_crm.get((crm, crm_id))
            if found is not None:
                return Match("crm", found)
        email = email.casefold()
        if email:
            found = self.by_email.get((account_id, email))
            if found is not None and not self._contradicts(found, crm, crm_id):
                return Match("email", found)
        have = self.by_name.get((account_id, key if key is not None else name_key(name)))
        if have is None:
            return _NEW
        possible = None
        for candidate in have if isinstance(have, list) else (have,):
            if self._contradicts(candidate, crm, crm_id):
                continue
            theirs = self.facts[candidate][2]
            if email and theirs and email != theirs:
                if not self.is_new(candidate):  # a stored person: the user decides
                    possible = possible or candidate
                continue
            return Match("name", candidate)
        return Match("possible", possible) if possible is not None else _NEW


_NEW = Match("")
