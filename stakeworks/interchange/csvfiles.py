"""Reading spreadsheet exports as they really arrive, and parsing their cells.

Encoding (UTF-8 with or without BOM, else cp1252 with a warning), delimiter
(`,`, `;` or tab, sniffed), Windows line endings, quoted multi-line fields and
blank lines are handled here, so importers only see (line, {header: value}).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from stakeworks.domain.errors import InputError

MAX_FIELD_CHARS = 100_000
csv.field_size_limit(64 * 1024 * 1024)  # we refuse big fields ourselves, with a line number


@dataclass
class CsvTable:
    """A CSV export whose header, encoding and delimiter are known; its records
    are read from disk each time `records()` is iterated, so a 200,000-row file
    never sits in memory as lists of cells."""

    path: Path
    headers: list[str]
    encoding: str  # as given to open(): "utf-8-sig" reads files with or without a BOM
    delimiter: str
    stamp: tuple[int, int]
    """(mtime, size) when the header was read: a file changed since then is refused."""
    warnings: list[str] = field(default_factory=list)

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(line where the record starts, cells) for every non-blank record after the header."""
        if _stamp(self.path) != self.stamp:
            raise InputError(f"{self.path} changed since it was read; open it again to check it first")
        rows = _records(self.path, self.encoding, self.delimiter)
        next(rows, None)  # the header
        yield from rows


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    return st.st_mtime_ns, st.st_size


def _records(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    try:
        with path.open(encoding=encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            last_line = 0
            try:
                for cells in reader:
                    start = last_line + 1
                    last_line = reader.line_num
                    if "".join(cells).strip():
                        yield start, cells
            except csv.Error as exc:
                raise InputError(f"{path}: line {reader.line_num}: {exc}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def _encoding(path: Path) -> tuple[str, list[str]]:
    """UTF-8 (BOM or not) if every byte decodes, else cp1252, else Latin-1; checked in 1 MB steps."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig":
            return encoding, []
        break
    else:
        encoding = "latin-1"
    return encoding, [f"{path} is not UTF-8; read it as {encoding} (Windows/Latin-1)"]


def sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: _count_outside_quotes(first, d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, delim: str) -> int:
    inside, n = False, 0
    for ch in line:
        if ch == '"':
            inside = not inside
        elif ch == delim and not inside:
            n += 1
    return n


def read_csv(path: Path) -> CsvTable:
    """Check the file and read its header; records stream later from `CsvTable.records()`."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a CSV file") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if b"\x00" in head:
        raise InputError(f"{path} looks like a binary file, not a CSV export")
    stamp = _stamp(path)
    encoding, warnings = _encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        first_line = next((line for line in fh if line.strip()), "")
    delimiter = sniff_delimiter(first_line)
    header = next(_records(path, encoding, delimiter), None)
    if header is None:
        raise InputError(f"{path} is empty: no header row")
    return CsvTable(path, [h.strip() for h in header[1]], encoding, delimiter, stamp, warnings)


def norm_header(header: str) -> str:
    return re.sub(r"[\s_\-./]+", "", header.strip().casefold())


# -- cell parsers: each returns a value or raises ValueError with a reason ------

_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def parse_date(value: str, date_format: str | None = None) -> date:
    """ISO dates, ISO datetimes, DD/MM/YYYY and MM/DD/YYYY when unambiguous."""
    value = value.strip()
    if date_format:
        try:
            return datetime.strptime(value, date_format).date()
        except ValueError:
            m = _DMY.match(value)
            if m and date_format in ("%d/%m/%Y", "%m/%d/%Y"):
                day, month = (int(m[1]), int(m[2])) if date_format.startswith("%d") else (int(m[2]), int(m[1]))
                try:
                    date(int(m[3]), month, day)
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
    a, b, year = int(m[1]), int(m[2]), int(m[3])
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


def parse_number(value: str) -> float:
    v = value.strip().replace("\u00a0", "").replace(" ", "")
    for symbol in ("€", "$", "£", "EUR", "USD", "GBP"):
        v = v.replace(symbol, "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", v):  # 1.234.567,89
        v = v.replace(".", "").replace(",", ".")
    else:
        v = v.replace(",", "")
    try:
        return float(v)
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None


def rows_as_dicts(table: CsvTable, mapping: dict[int, str]) -> Iterator[tuple[int, dict[str, tuple[str, str]]]]:
    """Yield (line, {field: (header, value)}) for the mapped columns only."""
    for line, cells in table.records():
        out: dict[str, tuple[str, str]] = {}
        for idx, fieldname in mapping.items():
            if idx < len(cells):
                out[fieldname] = (table.headers[idx], cells[idx])
        yield line, out
