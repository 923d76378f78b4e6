"""Cell values as CRM exports write them: dates (and a file's day/month order),
numbers, yes/no, relationship strength, roles, levels (given or inferred from
the title) and touch kinds. Each parser returns a value or raises ValueError
with a reason that the importer reports as `line N, column C: reason`."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import date, datetime

from stakeworks.domain.models import Level, Role, TouchKind
from stakeworks.interchange.csvfiles import norm_header

# Slash or dot dates as CRMs and spreadsheets write them: D/M/YYYY or M/D/YYYY,
# two-digit years (HubSpot's "2/5/24 1:51"), and a trailing time of day that we drop.
_DMY = re.compile(
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)?$"
)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year  # CRM exports write 2-digit years of this century


def parse_date(value: str, date_format: str | None = None) -> date:
    """ISO dates and datetimes, DD/MM/YYYY and MM/DD/YYYY (also with 2-digit years
    and a time of day, as HubSpot writes them) when the file or the value says which."""
    value = value.strip()
    if date_format:
        try:
            return datetime.strptime(value, date_format).date()
        except ValueError:
            m = _DMY.match(value)
            if m and date_format in ("%d/%m/%Y", "%m/%d/%Y"):
                day, month = (int(m[1]), int(m[2])) if date_format.startswith("%d") else (int(m[2]), int(m[1]))
                try:
                    return date(_year(m[3]), month, day)
                except ValueError as exc:
                    raise ValueError(f"{value!r} is not a real date ({exc})") from None
            if len(value) >= 10 and value[4] == "-":
                return parse_date(value)  # ISO dates are always welcome
            raise ValueError(f"{value!r} does not match the date format {date_format}") from None
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 and value[4] == "-" else date.fromisoformat(value)
    except ValueError:
        pass
    m = _DMY.match(value)
    if not m:
        raise ValueError(f"{value!r} is not a date (use YYYY-MM-DD)")
    a, b, year = int(m[1]), int(m[2]), _year(m[3])
    if a > 12 and b <= 12:
        day, month = a, b
    elif b > 12 and a <= 12:
        day, month = b, a
    elif a == b:
        day = month = a
    elif a <= 12 and b <= 12:
        raise ValueError(f"{value!r} is ambiguous (day/month or month/day?); use --date-format")
    else:
        raise ValueError(f"{value!r} is not a date")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date ({exc})") from None


def infer_date_format(values: Iterable[str]) -> str | None:
    """Day-first or month-first for a whole file, when its slash dates say so."""
    day_first = month_first = False
    for v in values:
        m = _DMY.match(v.strip())
        if not m:
            continue
        a, b = int(m[1]), int(m[2])
        day_first |= a > 12
        month_first |= b > 12
    if day_first and not month_first:
        return "%d/%m/%Y"
    if month_first and not day_first:
        return "%m/%d/%Y"
    return None


_STRENGTH_WORDS = {"strong": 5, "good": 4, "neutral": 3, "adequate": 3, "weak": 2, "at risk": 1, "atrisk": 1}


def parse_strength(value: str) -> int:
    v = value.strip().casefold()
    if v in _STRENGTH_WORDS:
        return _STRENGTH_WORDS[v]
    if v.count("●") + v.count("○") == 5:
        return v.count("●")
    try:
        n = int(v)
    except ValueError:
        raise ValueError(f"{value!r} is not a strength (1-5, or Strong/Good/Neutral/Weak/At risk)") from None
    if not 1 <= n <= 5:
        raise ValueError(f"{n} is out of range: strength is 1 to 5")
    return n


_TRUE = {"1", "true", "yes", "y", "x", "✓"}
_FALSE = {"0", "false", "no", "n", ""}


def parse_bool(value: str) -> bool:
    v = value.strip().casefold()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ValueError(f"{value!r} is not yes/no")


_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "CHF": "CHF", "EUR": "EUR", "USD": "USD", "GBP": "GBP"}
_EU_THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")  # 1.234.567,89
_DECIMAL_COMMA = re.compile(r"-?\d+,\d{1,2}")  # 85500,5 or 1100,04 (never 1,100: that is a thousand)


def parse_money(value: str) -> tuple[float, str | None]:
    """An amount as spreadsheets and CRMs write it, and the currency its symbol
    names: "$1,100.04 " (Excel's accounting format), " $ -   " (its zero),
    "€85.500,00", "1 100,04 €", "(250.00)" (a negative), "1.1E+06"."""
    v = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    currency = None
    for symbol, code in _SYMBOLS.items():
        if symbol in v:
            currency = code
            v = v.replace(symbol, "")
    negative = v.startswith("(") and v.endswith(")")
    v = v.strip("()")
    if v in ("-", "–", ""):
        if value.strip() in ("", "-"):
            raise ValueError(f"{value!r} is not a number")
        return 0.0, currency  # Excel's accounting format writes a zero as a dash
    if _EU_THOUSANDS.fullmatch(v) or _DECIMAL_COMMA.fullmatch(v):
        v = v.replace(".", "").replace(",", ".")
    else:
        v = v.replace(",", "")
    try:
        number = float(v)
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None
    return (-number if negative else number), currency


def parse_number(value: str) -> float:
    return parse_money(value)[0]


# Currency cells: ISO codes, and the names Dynamics 365 exports for its currency lookup.
_CURRENCY_NAMES = {
    "usdollar": "USD", "dollar": "USD", "euro": "EUR", "poundsterling": "GBP", "britishpound": "GBP",
    "swissfranc": "CHF", "japaneseyen": "JPY", "canadiandollar": "CAD", "australiandollar": "AUD",
    "singaporedollar": "SGD", "swedishkrona": "SEK", "norwegiankrone": "NOK", "danishkrone": "DKK",
    "indianrupee": "INR", "brazilianreal": "BRL", "mexicanpeso": "MXN",
}  # fmt: skip


def parse_currency(value: str) -> str:
    v = value.strip()
    if re.fullmatch(r"[A-Za-z]{3}", v):
        return v.upper()
    if v in _SYMBOLS:
        return _SYMBOLS[v]
    code = _CURRENCY_NAMES.get(norm_header(v))
    if code is None:
        raise ValueError(f"{value!r} is not a currency (a 3-letter code such as EUR, USD, GBP)")
    return code


# CRM role values (Salesforce buyer attributes and contact roles, HubSpot
# buying roles), normalised like headers, to our stakeholder types.
ROLE_VALUES: dict[str, Role] = {
    "champion": Role.CHAMPION,
    "buyer": Role.ECONOMIC_BUYER,
    "economicbuyer": Role.ECONOMIC_BUYER,
    "budgetholder": Role.ECONOMIC_BUYER,
    "decisionmaker": Role.DECISION_MAKER,
    "executivesponsor": Role.EXECUTIVE_SPONSOR,
    "technicalexpert": Role.TECHNICAL_LEAD,
    "technicalbuyer": Role.TECHNICAL_LEAD,
    "technicallead": Role.TECHNICAL_LEAD,
    "technicalowner": Role.TECHNICAL_LEAD,
    "businessuser": Role.END_USER,
    "enduser": Role.END_USER,
    "user": Role.END_USER,
    "enduserchampion": Role.END_USER_CHAMPION,
    "evaluator": Role.INFLUENCER,
    "influencer": Role.INFLUENCER,
    "detractor": Role.DETRACTOR,
    "blocker": Role.DETRACTOR,
    # Salesforce's default contact-role picklist; Dynamics 365's decision influence.
    "economicdecisionmaker": Role.ECONOMIC_BUYER,
    "executive": Role.EXECUTIVE_SPONSOR,
}
# Role cells that say "no role": Dynamics' "Unknown", Salesforce's "Other".
NO_ROLE = frozenset({"unknown", "other", "none", "na", "n/a"})

_LEVEL_RULES: tuple[tuple[re.Pattern[str], Level], ...] = (
    (
        re.compile(
            r"\b(ceo|cfo|cto|coo|cio|cmo|cro|cpo|ciso|cdo|chro|chief|(?<!vice )(?<!vice-)president|founder|owner|"
            r"managing director|geschäftsführer|directeur général|pdg|director general)\b"
        ),
        Level.C_LEVEL,
    ),
    (re.compile(r"\b(svp|evp|avp|vp|vice[- ]president|vicepresident)\b"), Level.VP),
    (re.compile(r"\b(director|head of|head|directeur|directrice|leiter|leiterin|direktor)\b"), Level.DIRECTOR),
    (re.compile(r"\b(manager|mgr|lead|team lead|supervisor|responsable|teamleiter)\b"), Level.MANAGER),
)


_LEVEL_VALUES = frozenset(lv.value for lv in Level)


@functools.lru_cache(maxsize=8192)
def infer_level(title: str) -> Level:
    """CLI.md's title rules, widened to common forms (SVP, Head of, Sr. Manager...)."""
    t = title.casefold()
    for pattern, level in _LEVEL_RULES:
        if pattern.search(t):
            return level
    return Level.USER


@functools.lru_cache(maxsize=4096)
def parse_roles(value: str) -> frozenset[Role]:
    """Role cells repeat a handful of values across a file: parse each once."""
    out: set[Role] = set()
    for part in re.split(r"[;|]", value):
        key = norm_header(part)
        if not key or key in NO_ROLE:
            continue
        role = ROLE_VALUES.get(key)
        if role is None:
            raise ValueError(f"unknown role {part.strip()!r}")
        out.add(role)
    return frozenset(out)


@functools.lru_cache(maxsize=256)
def level_value(cell: str) -> str | None:
    """A level cell as the stored value ("C-Level" -> c_level), None if unknown."""
    lvl = norm_header(cell).replace("clevel", "c_level")
    lvl = {"vicepresident": "vp", "csuite": "c_level", "executive": "c_level"}.get(lvl, lvl)
    return lvl if lvl in _LEVEL_VALUES else None


@functools.lru_cache(maxsize=256)
def touch_kind(cell: str) -> TouchKind | None:
    try:
        return TouchKind(cell.casefold().replace(" ", "_").replace("-", "_"))
    except ValueError:
        return None
