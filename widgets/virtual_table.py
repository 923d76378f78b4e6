"""A table that draws only the lines on screen, for 10,000-row portfolios.

Textual's DataTable parses and measures every cell up front (about 1.2 s for
10,000 rows x 9 columns here); this widget keeps the rows as data and builds
the few dozen visible lines on demand in `render_line`, as Toolong's
`log_lines.py` does, with a small cache of rendered lines.
"""

from __future__ import annotations

from collections.abc import Callable, MutableSequence, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class VColumn:
    key: str
    label: str
    width: int
    justify: str = "left"
    priority: int = 0
    """Lower stays longer: when the table is too narrow, the highest numbers drop first."""
    min_width: int | None = None
    """The narrowest the column may get before it drops (None: its full width)."""
    grow_priority: float | None = None
    """When the column widens to its full width, on the same scale as `priority` (None:
    only with the room left once every column that fits is in)."""
    cut_at: str | None = None
    """Cut a long cell before the last of these separators that fits, instead of mid-value
    with an ellipsis: with " (", "2026-12-01 (+30d)" narrows to "2026-12-01", never "2026-12-…"."""
    count_rest: bool = False
    """With `cut_at`, say how many parts were cut ("no buyer +2")."""
    short_label: str | None = None
    """The header when the label does not fit the column's width."""
    keep_end_after: str | None = None
    """A long cell holding this separator loses its middle, not its end: "Nissan Motors…00000KfQ2c)"
    keeps what tells two accounts of one name apart."""

    @property
    def narrowest(self) -> int:
        return self.width if self.min_width is None else min(self.min_width, self.width)


def fit_columns(columns: Sequence[VColumn], width: int) -> list[VColumn]:
    """The columns that fit in `width` cells, in their own order. By priority, each column
    comes in at its narrowest if it fits (the first always), and a column with a
    `grow_priority` widens to its full width at that point if it fits; the room left
    then widens the others by priority."""
    if width <= 0:
        return list(columns)
    steps: list[tuple[float, int, int]] = [(c.priority, 0, i) for i, c in enumerate(columns)]
    steps += [(c.grow_priority, 1, i) for i, c in enumerate(columns) if c.grow_priority is not None]
    widths: dict[int, int] = {}
    used = 0
    for _, grow, i in sorted(steps):
        col = columns[i]
        if not grow:
            need = col.narrowest + 1
            if used + need <= width or not widths:
                widths[i] = col.narrowest
                used += need
        elif i in widths and used + col.width - widths[i] <= width:
            used += col.width - widths[i]
            widths[i] = col.width
    spare = width - used
    for i in sorted(range(len(columns)), key=lambda i: columns[i].priority):
        if i in widths and spare > 0:
            more = min(spare, columns[i].width - widths[i])
            widths[i] += more
            spare -= more
    return [replace(columns[i], width=widths[i]) for i in range(len(columns)) if i in widths]


def cut_middle(text: Text, width: int, head: int) -> Text:
    """`text` in `width` cells with an ellipsis in the middle: its first `head` characters as far
    as they fit beside the end (at least 7 characters of the end are kept)."""
    if text.cell_len <= width or width < 9:
        text = text.copy()
        text.truncate(width, overflow="ellipsis")
        return text
    end = min(len(text.plain) - head, max(7, width - 1 - head))
    return text[: width - 1 - end] + Text("…") + text[len(text.plain) - end :]


def cut_between_parts(text: Text, width: int, separator: str, count_rest: bool = False) -> Text:
    """`text` without its trailing parts (after `separator`) that do not fit, and with
    `count_rest` a "+2" for the parts left out; an ellipsis only when not even the first
    part fits."""
    if text.cell_len <= width:
        return text
    plain = text.plain
    total = plain.count(separator) + 1
    end = len(plain)
    while (end := plain.rfind(separator, 0, end)) > 0:
        head = text[:end]
        if count_rest:
            head = head + Text(f" +{total - plain.count(separator, 0, end) - 1}", style="bold")
        if head.cell_len <= width:
            return head
    text = text.copy()
    text.truncate(width, overflow="ellipsis")
    return text


class VirtualTable(ScrollView, can_focus=True):
    """Rows are keys; `cell(row_index, column_key)` builds a cell only when it is drawn."""

    DEFAULT_CSS = """
    VirtualTable { height: 1fr; width: 100%; background: $surface; }
    VirtualTable > .vtable--header { text-style: bold; background: $panel; color: $text; }
    VirtualTable > .vtable--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    VirtualTable > .vtable--cursor-row { background: $boost; }
    VirtualTable > .vtable--even { background: $surface-lighten-1; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"vtable--header", "vtable--cursor", "vtable--cursor-row", "vtable--even"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False, id="table.up"),
        Binding("down", "move(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home", "jump(0)", "First", show=False, id="table.first"),
        Binding("end", "jump(-1)", "Last", show=False, id="table.last"),
        Binding("enter", "select", "Open", show=False, id="table.select"),
        Binding("left", "move_column(-1)", "Left", show=False, id="table.left"),
        Binding("right", "move_column(1)", "Right", show=False, id="table.right"),
    ]

    cursor_row: reactive[int] = reactive(0)
    """Index of the highlighted row."""
    cursor_column: reactive[int] = reactive(0)
    """Index of the highlighted column, when the table has a cell cursor."""

    # `control` lets `@on(..., "#id")` pick one table of several on a screen.
    @dataclass
    class RowSelected(Message):
        table: VirtualTable
        row_key: str

        @property
        def control(self) -> VirtualTable:
            return self.table

    @dataclass
    class RowHighlighted(Message):
        table: VirtualTable
        row_key: str | None

        @property
        def control(self) -> VirtualTable:
            return self.table

    @dataclass
    class HeaderSelected(Message):
        table: VirtualTable
        column_key: str

    def __init__(self, columns: Sequence[VColumn], *, cell_cursor: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.all_columns = list(columns)
        """Every column the table can show; `columns` are those that fit its width."""
        self.columns = list(columns)
        self._fitted_width = -1
        self.header_marks: dict[str, str] = {}
        """Column key -> a mark drawn after its label (the sort arrow)."""
        self.cell_cursor = cell_cursor
        """A cursor on one cell (left/right move it) rather than on the whole row."""
        self.row_keys: Sequence[str] = []
        self._index: dict[str, int] | None = {}  # key -> row, made on first use (None: not yet)
        self._cell: Callable[[int, str], Text] = lambda row, col: Text("")
        self._cache: dict[tuple[int, bool], list[Segment]] = {}
        self._style: Style | None = None
        self.virtual_size = Size(self._total_width, 1)

    # -- data ------------------------------------------------------------------------------

    @property
    def _total_width(self) -> int:
        return sum(c.width + 1 for c in self.columns)

    @property
    def row_count(self) -> int:
        return len(self.row_keys)

    def set_rows(self, keys: Sequence[str], cell: Callable[[int, str], Text], keep: str | None = None) -> None:
        """Replace every row at once; the cursor stays on `keep` when it is still there."""
        # A list is copied (its owner may change it); a read-only sequence, such as keys made
        # when asked for (services/portfolio_views.IdKeys), is kept as it is.
        self.row_keys = list(keys) if isinstance(keys, MutableSequence) else keys
        # The key -> row index waits for its first use: building it for 50,000 rows on the UI
        # thread was a third of the heat map's longest stall (issue 20); finding `keep` is one scan.
        self._index = None
        self._cell = cell
        self._cache.clear()
        self.virtual_size = Size(self._total_width, len(self.row_keys) + 1)
        target = self._find(keep) if keep is not None else min(self.cursor_row, max(0, self.row_count - 1))
        self.set_reactive(VirtualTable.cursor_row, max(0, min(target, max(0, self.row_count - 1))))
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.RowHighlighted(self, self.cursor_key))

    def _find(self, key: str) -> int:
        """The row of `key` (0 when it is gone), by one scan: right after a refill, no index yet."""
        try:
            return self.row_keys.index(key)
        except ValueError:
            return 0

    def _row_of(self, key: str) -> int:
        """The row of `key` (KeyError when it is not there): a list's by an index made on first
        use, a read-only sequence's by its own `index`."""
        if not isinstance(self.row_keys, list):
            try:
                return self.row_keys.index(key)
            except ValueError:
                raise KeyError(key) from None
        if self._index is None:
            self._index = {k: i for i, k in enumerate(self.row_keys)}
        return self._index[key]

    def get_row_index(self, key: str) -> int:
        return self._row_of(key)

    def get_row(self, key: str) -> list[Text]:
        """Every cell of the row, of every column (also those too wide to show now)."""
        row = self._row_of(key)
        return [self._cell(row, c.key) for c in self.all_columns]

    @property
    def selected_text(self) -> str | None:
        """The highlighted row as text, cells separated by tabs (pastes into a sheet or a table)."""
        key = self.cursor_key
        return "\t".join(t.plain.strip() for t in self.get_row(key)) if key is not None else None

    @property
    def cursor_key(self) -> str | None:
        return self.row_keys[self.cursor_row] if self.row_keys else None

    @property
    def cursor_column_key(self) -> str:
        return self.columns[self.cursor_column].key

    def move_cursor(self, row: int) -> None:
        self.cursor_row = max(0, min(row, self.row_count - 1))

    # -- drawing ---------------------------------------------------------------------------

    def _line(self, texts: list[Text], base: Style, cursor_cell: int | None = None) -> list[Segment]:
        line = Text(style=base, no_wrap=True, overflow="ellipsis")
        for i, (col, cell) in enumerate(zip(self.columns, texts, strict=True)):
            cell = cell.copy()
            if i == cursor_cell:
                cell.stylize(self.get_component_rich_style("vtable--cursor"))
            if col.cut_at:
                cell = cut_between_parts(cell, col.width, col.cut_at, col.count_rest)
            elif col.keep_end_after and col.keep_end_after in cell.plain:
                cell = cut_middle(cell, col.width, cell.plain.index(col.keep_end_after))
            else:
                cell.truncate(col.width, overflow="ellipsis")
            pad = col.width - cell.cell_len
            if col.justify == "right":
                line.append(" " * pad)
                line.append_text(cell)
            else:
                line.append_text(cell)
                line.append(" " * pad)
            line.append(" ")
        return list(line.render(self.app.console))

    def _header_label(self, column: VColumn) -> Text:
        mark = self.header_marks.get(column.key, "")
        words = column.label
        if column.short_label and len(words) + len(mark) > column.width:
            words = column.short_label
        if not mark:
            return Text(words)
        # The mark always shows: the label gives way to it.
        label = Text(words)
        label.truncate(max(1, column.width - len(mark)), overflow="ellipsis")
        return label + Text(mark)

    def set_header_marks(self, marks: dict[str, str]) -> None:
        self.header_marks = marks
        self.refresh(Region(0, 0, self.size.width, 1))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        if y == 0:
            if self._available_width != self._fitted_width:  # the scrollbar came or went: no resize event
                self.call_after_refresh(self._fit_columns)
            style = self.get_component_rich_style("vtable--header")
            segments = self._line([self._header_label(c) for c in self.columns], style)
            return Strip(segments).crop(scroll_x, scroll_x + width).extend_cell_length(width, style).apply_style(style)
        row = scroll_y + y - 1
        if row >= self.row_count:
            return Strip.blank(width, self._own_style())
        is_cursor = row == self.cursor_row
        key = (row, is_cursor)
        cached = self._cache.get(key)
        if cached is not None:
            segments = cached
        else:
            cursor_cell = self.cursor_column if is_cursor and self.cell_cursor else None
            if is_cursor:
                base = self.get_component_rich_style("vtable--cursor-row" if self.cell_cursor else "vtable--cursor")
            elif row % 2:
                base = self.get_component_rich_style("vtable--even")
            else:
                base = self._own_style()
            segments = self._line([self._cell(row, c.key) for c in self.columns], base, cursor_cell)
            if len(self._cache) > 400:
                self._cache.clear()
            self._cache[key] = segments
        if is_cursor:
            base = self.get_component_rich_style("vtable--cursor-row" if self.cell_cursor else "vtable--cursor")
        else:
            base = self._own_style()
        return Strip(segments).crop(scroll_x, scroll_x + width).extend_cell_length(width, base)

    # -- cursor and scrolling --------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.size.height - 2)

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._cache.pop((old, True), None)
        self._cache.pop((new, False), None)
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.RowHighlighted(self, self.cursor_key))

    def _scroll_cursor_into_view(self) -> None:
        top = self.scroll_offset.y
        visible = max(1, self.size.height - 1)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def watch_cursor_column(self) -> None:
        self._cache.pop((self.cursor_row, True), None)
        self._scroll_column_into_view()
        self.refresh()

    def _scroll_column_into_view(self) -> None:
        left = sum(c.width + 1 for c in self.columns[: self.cursor_column])
        right = left + self.columns[self.cursor_column].width + 1 if self.columns else left
        if left < self.scroll_offset.x:
            self.scroll_to(x=left, animate=False)
        elif right > self.scroll_offset.x + self.size.width:
            self.scroll_to(x=right - self.size.width, animate=False)

    def move_cursor_column(self, column: int) -> None:
        if self.cell_cursor and self.columns:
            self.cursor_column = max(0, min(column, len(self.columns) - 1))

    def action_move(self, delta: int) -> None:
        self.move_cursor(self.cursor_row + delta)

    def action_move_column(self, delta: int) -> None:
        if self.cell_cursor:
            self.move_cursor_column(self.cursor_column + delta)
        elif delta < 0:  # a row cursor: left/right scroll sideways, as in any scroll view
            self.action_scroll_left()
        else:
            self.action_scroll_right()

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor_row + direction * self._page)

    def action_jump(self, where: int) -> None:
        self.move_cursor(0 if where == 0 else self.row_count - 1)

    def action_select(self) -> None:
        if self.cursor_key is not None:
            self.post_message(self.RowSelected(self, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x + self.scroll_offset.x
            for col in self.columns:
                if x < col.width + 1:
                    self.post_message(self.HeaderSelected(self, col.key))
                    return
                x -= col.width + 1
            return
        row = self.scroll_offset.y + event.y - 1
        if 0 <= row < self.row_count:
            if self.cell_cursor:
                x = event.x + self.scroll_offset.x
                for i, col in enumerate(self.columns):
                    if x < col.width + 1:
                        self.move_cursor_column(i)
                        break
                    x -= col.width + 1
            if row == self.cursor_row and event.chain >= 2:
                self.action_select()
            self.move_cursor(row)

    def on_resize(self) -> None:
        self._cache.clear()
        self._fit_columns()

    @property
    def _available_width(self) -> int:
        # `size` holds the scrollbar's cells (shown or not): they are never for columns, as the
        # scrollbar appears when the rows arrive, without a resize.
        return self.size.width - self.styles.scrollbar_size_vertical

    def _fit_columns(self) -> None:
        width = self._available_width
        self._fitted_width = width
        fitted = fit_columns(self.all_columns, width)
        if fitted != self.columns:
            key = self.columns[self.cursor_column].key if self.columns else None
            self.columns = fitted
            keys = [c.key for c in fitted]
            self.set_reactive(VirtualTable.cursor_column, keys.index(key) if key in keys else 0)
            self.virtual_size = Size(self._total_width, len(self.row_keys) + 1)
            self._cache.clear()
            self.refresh()

    def _own_style(self) -> Style:
        """`rich_style`, worked out once per style change: it walks every ancestor for the
        background, half of drawing a line (four tables filled at once: 20 ms of a frame)."""
        if self._style is None:
            self._style = self.rich_style
        return self._style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._style = None


def cells_of(rows: Sequence[Any], builders: dict[str, Callable[[Any], Text]]) -> Callable[[int, str], Text]:
    return lambda row, col: builders[col](rows[row])
