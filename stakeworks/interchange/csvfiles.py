"""Reading spreadsheet exports as they really arrive (cells are parsed in importer.values).

Encoding (UTF-8 with or without BOM, else cp1252 with a warning), delimiter
(`,`, `;` or tab, sniffed), Windows line endings, quoted multi-line fields and
blank lines are handled here, so importers only see (line, {header: value}).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stakeworks.domain.errors import InputError

MAX_FIELD_CHARS = 100_000
csv.field_size_limit(64 * 1024 * 1024)  # we refuse big fields ourselves, with a line number

# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = (*FORMULA_START, "'")


def guard(text: str) -> str:
    """A cell our exports write: a quote before a formula start (and before a leading quote, so
    that `unguard` can tell the two apart); a spreadsheet shows the text, never runs it."""
    return "'" + text if text.startswith(_GUARDED) else text


def unguard(cell: str) -> str:
    """What `guard` wrote, back to the value: an export re-imports unchanged ("'@Home
    Networks" is "@Home Networks" again, and "'+Bob" is "+Bob")."""
    return cell[1:] if cell.startswith("'") and cell[1:2] and cell[1] in _GUARDED else cell


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

    def records(self, *, raw: bool = False) -> Iterator[tuple[int, list[str]]]:
        """(line where the record starts, cells) for every non-blank record after the header;
        Excel's error values (`#N/A`) read as empty cells, unless `raw` (the cells as written)."""
        if _stamp(self.path) != self.stamp:
            raise InputError(f"{self.path} changed since it was read; open it again to check it first")
        rows = _records(self.path, self.encoding, self.delimiter, raw)
        next(rows, None)  # the header
        yield from rows

    def cells_of(self, columns: Sequence[int]) -> Iterator[list[str]]:
        """For every record `records()` gives, the cells of these columns as written (Excel's error
        values and export guards left in): the quick pass that sizes a file and finds its conventions,
        half the work of `records()` per row (most rows cannot be blank or a report's footer)."""
        if _stamp(self.path) != self.stamp:
            raise InputError(f"{self.path} changed since it was read; open it again to check it first")
        header = True
        try:
            with self.path.open(encoding=self.encoding, newline="") as fh:
                reader = csv.reader(fh, delimiter=self.delimiter)
                try:
                    for cells in reader:
                        lead = cells[0][:1] if cells else ""
                        # A letter or digit first, other than a footer's G or C: neither blank nor a footer.
                        if not (lead.isalnum() and lead not in ("G", "C")) and (
                            not "".join(cells).strip() or (lead in ("G", "C", '"', " ") and _is_footer(cells))
                        ):
                            continue
                        if header:
                            header = False
                            continue
                        n = len(cells)
                        yield [cells[i] for i in columns if i < n]
                except csv.Error as exc:
                    raise InputError(f"{self.path}: line {reader.line_num}: {exc}") from None
        except OSError as exc:
            raise InputError(f"cannot read {self.path}: {exc.strerror}") from None


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    return st.st_mtime_ns, st.st_size


# What a Salesforce report export appends below its rows (one cell each): not records.
_REPORT_FOOTER = re.compile(
    r"Grand Totals \(\d[\d,.]* records?\)|Confidential Information - Do Not Distribute"
    r"|Copyright (\(c\)|©) \d{4}-\d{4} salesforce\.com, inc\..*"
)


EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#N/A N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!",
                          "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!"})  # fmt: skip
"""What Excel writes in a cell whose formula failed (`#N/A` from a VLOOKUP that found nothing):
no value, so an empty cell wherever it stands, never a title, a domain `#n` or a bounce."""


def _blank_errors(cells: list[str]) -> list[str]:
    return ["" if c[:1] == "#" and c.strip().upper() in EXCEL_ERRORS else c for c in cells]


def _is_footer(cells: list[str]) -> bool:
    first = cells[0].strip()
    return first[:1] in ("G", "C") and _REPORT_FOOTER.fullmatch(first) is not None and not "".join(cells[1:]).strip()


def _records(path: Path, encoding: str, delimiter: str, raw: bool = False) -> Iterator[tuple[int, list[str]]]:
    try:
        with path.open(encoding=encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            last_line = 0
            try:
                for cells in reader:
                    start = last_line + 1
                    last_line = reader.line_num
                    joined = "".join(cells)
                    if joined.strip() and not (cells[0][:1] in ("G", "C", '"', " ") and _is_footer(cells)):
                        if "#" in joined and not raw:
                            cells = _blank_errors(cells)
                        yield start, [unguard(c) for c in cells] if "'" in joined else cells
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


def _utf16(path: Path) -> str:
    """ "utf-16" (the byte-order mark says which end first) when the whole file decodes."""
    decoder = codecs.getincrementaldecoder("utf-16")()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} starts as UTF-16 text but is not valid UTF-16 ({exc.reason})") from None
    return "utf-16"


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
    stamp = _stamp(path)
    warnings: list[str] = []
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode Text" and others
        encoding = _utf16(path)
    elif b"\x00" in head:
        raise InputError(f"{path} looks like a binary file, not a CSV export")
    else:
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


def rows_as_dicts(table: CsvTable, mapping: dict[int, str]) -> Iterator[tuple[int, dict[str, tuple[str, str]]]]:
    """Yield (line, {field: (header, value)}) for the mapped columns only."""
    for line, cells in table.records():
        out: dict[str, tuple[str, str]] = {}
        for idx, fieldname in mapping.items():
            if idx < len(cells):
                out[fieldname] = (table.headers[idx], cells[idx])
        yield line, out


def write_rejected(table: CsvTable, reasons: dict[int, str], target: Path, store: Path | None = None) -> int:
    """The rejected lines of a file, as they were, with a `reason` column: what CRM
    data loaders write, so the user fixes those rows and imports them again. Written
    whole and owner-only (they hold people's data), never over the store, and with the
    formula guard our exports use, so a spreadsheet shows a cell's text, never runs it."""
    from stakeworks.interchange import files

    written = 0
    with files.atomic_writer(files.check_output(target, store), newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([guard(h) for h in (*table.headers, "reason")])
        for line, cells in table.records(raw=True):  # the rows as they were, for fixing and importing again
            if line in reasons:
                padded = [*cells, *[""] * (len(table.headers) - len(cells))]
                writer.writerow([guard(c) for c in (*padded, reasons[line])])
                written += 1
    return written


def rejected_path(source: Path) -> Path:
    """`contacts.csv` -> `contacts.rejected.csv`, beside it."""
    source = Path(source)
    return source.with_name(f"{source.stem}.rejected.csv")
