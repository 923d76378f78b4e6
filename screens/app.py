"""The stakeworks App: navigation, keys, theme and start-up over one session (services/session.py);
the session's workers are `session_workers.RunsSession` (with an offline copy's status and sync:
`offline_sync.SyncsOfflineCopy`), the clipboard `sharing.SharesText`."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen
from textual.theme import Theme

from stakeworks.domain.errors import StakeworksError
from stakeworks.screens.base import GuardsUnsavedChanges, ShowsWorkerErrors, Workbench
from stakeworks.screens.commands import Palette, StakeworksCommands
from stakeworks.screens.home import HomeScreen
from stakeworks.screens.messages import AccountChanged, OpenAccount
from stakeworks.screens.offline_sync import SyncsOfflineCopy
from stakeworks.screens.sharing import SharesText
from stakeworks.screens.terminal_watch import CHECK_EVERY, terminal_fd, terminal_gone
from stakeworks.screens.type_ahead import HoldsTypeAhead
from stakeworks.services.session import Session
from stakeworks.widgets import control_pictures, dates, palette


def _lazy_screen(module: str, name: str) -> Screen:
    return getattr(import_module(module), name)()


# The other list screens are imported and made on first use (so the first frame loads only the
# home screen), then kept installed: showing one again is a resume, not a rebuild of 10,000 rows.
LAZY_SCREENS: dict[str, Callable[[], Screen]] = {
    "triage": partial(_lazy_screen, "stakeworks.screens.triage", "TriageScreen"),
    "sponsors": partial(_lazy_screen, "stakeworks.screens.sponsors", "SponsorsScreen"),
    "tasks": partial(_lazy_screen, "stakeworks.screens.tasks", "TasksScreen"),
    "cadence": partial(_lazy_screen, "stakeworks.screens.cadence", "CadenceScreen"),
    "heatmap": partial(_lazy_screen, "stakeworks.screens.heatmap", "HeatmapScreen"),
    "program": partial(_lazy_screen, "stakeworks.screens.sponsor_program", "SponsorProgramScreen"),
    "signals": partial(_lazy_screen, "stakeworks.screens.signals", "SignalsScreen"),
    "handover": partial(_lazy_screen, "stakeworks.screens.handover", "HandoverScreen"),
    "exposure": partial(_lazy_screen, "stakeworks.screens.exposure", "ExposureScreen"),
}


class StakeworksApp(HoldsTypeAhead, SyncsOfflineCopy, SharesText, ShowsWorkerErrors, App[None]):
    """Keyboard-first workbench over one stakeworks database."""

    # The home, sponsors, account and inbox screens' rules are parsed with the app's: a screen
    # bringing a stylesheet of its own makes Textual parse every rule of the app again and restyle
    # the whole app, on the UI thread, when it is first pushed (a stall when it opens: 65 of the
    # inbox's 140 ms; for home, twice before the first frame).
    CSS_PATH = ["app.tcss", "home.tcss", "sponsors.tcss", "account.tcss", "signals.tcss"]
    TITLE = "stakeworks"
    COMMANDS = App.COMMANDS | {StakeworksCommands}
    # Home is the default screen (`get_default_screen`), at the bottom of the one stack: every
    # other screen goes on it, so escape always returns to where the user came from (one back
    # stack), and ctrl+o unwinds to home.
    SCREENS = LAZY_SCREENS
    # Keys that work everywhere are not printable (a printable one is text in a text
    # field); / and ? are shortcuts for the same actions outside text fields.
    BINDINGS = [
        Binding("slash", "search", "Search", show=False, id="app.search"),
        Binding("ctrl+f", "search", "Search", id="app.search_alt"),
        Binding("f1", "help", "Help", id="app.help"),
        Binding("question_mark", "help", "Help", show=False, id="app.help_alt"),
        Binding("ctrl+r", "go('triage')", "Triage", id="app.triage"),
        Binding("ctrl+o", "go('home')", "Accounts", id="app.accounts"),
        Binding("ctrl+e", "go('sponsors')", "Sponsors", id="app.sponsors", show=False),
        Binding("ctrl+t", "go('tasks')", "Tasks", id="app.tasks", show=False),
        Binding("ctrl+g", "go('heatmap')", "Heat map", id="app.heatmap", show=False),
        Binding("ctrl+w", "go('cadence')", "Touch this week", id="app.cadence", show=False),
        Binding("ctrl+l", "go('signals')", "Signals", id="app.signals", show=False),
        Binding("escape", "go_back", "Back", id="app.back"),
        Binding("ctrl+n", "new_account", "New account", id="app.new_account"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo", show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False),
        Binding("ctrl+y", "copy_row", "Copy row", id="app.copy_row", show=False),
        Binding("f5", "sync", "Sync offline copy", id="app.sync", show=False),
        Binding("f6", "conflicts", "Sync conflicts", id="app.conflicts", show=False),
        Binding("f7", "settings", "Settings", id="app.settings", show=False),
    ]

    def __init__(self, session: Session, subtitle: str = "") -> None:
        control_pictures.install()  # user text's control characters show as symbols, never act
        super().__init__()
        self.session = session
        """What this run works on (services/session.py): screens read it through `Workbench`."""
        self.prefs = session.prefs
        self._start_problems = list(self.prefs.problems)
        self.keymap_in_use: dict[str, str] = {}
        """The user's keymap entries in force (those without a problem), for the help screen."""
        self._apply_theme(self.prefs.theme)
        dates.use(self.prefs.date_format)
        self._apply_keymap_quickly()
        self._undoing = False
        self.sub_title = f"{session.where} · today {session.today.isoformat()}" + (f" · {subtitle}" if subtitle else "")
        self.base_sub_title = self.sub_title

    def get_default_screen(self) -> Screen:
        # Not a mode: Textual parses every rule again for a mode's first screen before the first
        # frame (~10% of the start), nor a switch away from its blank screen (switch_mode holds
        # updates for 50 ms). Home's rules are in CSS_PATH.
        return HomeScreen()

    def on_mount(self) -> None:
        # After the first frame: the worker is CPU-bound and would hold the GIL while it paints.
        self.call_after_refresh(self.load_portfolio)
        if self.session.source.team_url:
            self.watch_team()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if not self.is_headless and (fd := terminal_fd()) is not None:
            self.set_interval(CHECK_EVERY, partial(self._leave_if_terminal_gone, fd), name="terminal watch")
        if self.prefs.keymap:
            self.call_after_refresh(self.check_keymap)
        elif self._start_problems:
            self._report_config_problems([])

    def _leave_if_terminal_gone(self, fd: int) -> None:
        if terminal_gone(fd):
            self.exit(return_code=129)  # 128 + SIGHUP: what the hang-up signal would have done

    # -- preferences: theme and keymap ------------------------------------------------

    def _apply_theme(self, name: str) -> None:
        wrong = palette.theme_problem(name)
        if wrong:
            self._start_problems.append(f"theme: {wrong}; using {self.theme}")
        else:
            self.theme = name
        self.console.push_theme(palette.rich_theme(self.current_theme))

    def _theme_changed(self, theme: Theme) -> None:
        """The app's own colours follow the theme; a theme picked in the palette is remembered."""
        self.console.pop_theme()
        self.console.push_theme(palette.rich_theme(theme))
        self.refresh_css()
        if theme.name != self.prefs.theme and self.prefs.config_path is not None:
            self.prefs.theme = theme.name
            self.remember_theme(theme.name)

    @work(thread=True, group="prefs", exit_on_error=False)
    def remember_theme(self, name: str) -> None:
        from stakeworks.interchange.config import remember

        path = self.prefs.config_path
        assert path is not None
        try:
            remember(path, "theme", name)
        except (OSError, StakeworksError) as exc:
            text = f"Theme not remembered: {exc}"
            self.call_from_thread(self.notify, text, severity="warning", markup=False)

    def _apply_keymap_quickly(self) -> None:
        """Before the first frame: the entries whose keys are at least key names."""
        if not self.prefs.keymap:
            return
        from stakeworks.screens.keymap import key_problem, normalize

        ok = {k: v for k, v in self.prefs.keymap.items() if not any(key_problem(x) for x in normalize(v))}
        if ok:
            self.keymap_in_use = {k: ",".join(normalize(v)) for k, v in ok.items()}
            self.set_keymap(self.keymap_in_use)

    @work(thread=True, group="prefs", exit_on_error=False)
    def check_keymap(self) -> None:
        """The full check imports every screen, so it runs in a worker after the first frame;
        entries with a problem keep their default keys, and the problems are shown."""
        from stakeworks.screens.keymap import check_keymap, usable

        problems = check_keymap(self.prefs.keymap, self.prefs.keymap_lines.get)
        keymap = usable(self.prefs.keymap, problems)
        self.call_from_thread(self._keymap_checked, keymap, [str(p) for p in problems])

    def _keymap_checked(self, keymap: dict[str, str], problems: list[str]) -> None:
        self.keymap_in_use = keymap
        self.set_keymap(keymap)
        self._report_config_problems(problems)

    def _report_config_problems(self, problems: list[str]) -> None:
        everything = self._start_problems + problems
        self._start_problems = []
        if everything:
            where = self.prefs.config_path or "the config file"
            shown = "\n".join(everything[:6]) + (f"\n… and {len(everything) - 6} more" if len(everything) > 6 else "")
            self.notify(
                f"{shown}\n(`stakeworks config check` lists them; those settings keep their defaults)",
                title=f"Problems in {where}",
                severity="warning",
                timeout=12,
                markup=False,
            )

    # -- navigation ---------------------------------------------------------------------

    @on(OpenAccount)
    def open_account(self, message: OpenAccount) -> None:
        from stakeworks.screens.account import AccountScreen

        self.push_screen(AccountScreen(message.account_id, message.contact_id))

    @on(AccountChanged)
    def account_changed(self, message: AccountChanged) -> None:
        self.refresh_account(message.account_id)

    def action_go(self, name: str) -> None:
        """Show a list screen. Home unwinds the stack to the accounts list; another screen
        already on the stack is unwound to; a new one goes on top, so escape returns here.
        Dialogs on top are closed first, and an editor with unsaved changes asks."""
        if name == "home":
            self.unwind(lambda screen: False)
            return
        target = self.get_screen(name)
        if target in self.screen_stack:
            self.unwind(lambda screen: screen is target)
        else:
            self.unwind(lambda screen: not isinstance(screen, ModalScreen), lambda: self.push_screen(target))

    def unwind(self, stop: Callable[[Screen], bool], then: Callable[[], object] | None = None) -> None:
        """Close screens from the top until `stop(screen)` holds or only home is left, then
        run `then`. An editor with unsaved changes asks first; keeping it open stops here."""
        top = self.screen
        if len(self.screen_stack) <= 1 or stop(top):
            if then is not None:
                then()
            return
        if isinstance(top, GuardsUnsavedChanges):
            top.leave(lambda: self.unwind(stop, then))
            return
        from stakeworks.screens.dialogs import UnsavedChanges

        if isinstance(top, UnsavedChanges):  # a question is open: it is answered first
            self.bell()
            return
        top.dismiss()
        self.unwind(stop, then)

    def action_go_back(self) -> None:
        """Escape: back to the screen this one was opened from."""
        top = self.screen
        if isinstance(top, GuardsUnsavedChanges):
            top.leave()
        elif len(self.screen_stack) > 1:
            top.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go_back":
            return len(self.screen_stack) > 1
        if action == "undo":
            # An editor is open: its own fields come first, and what it shows must stay what is stored.
            return not getattr(self.screen, "blocks_undo", False)
        return True

    # -- create -------------------------------------------------------------------------------

    def action_new_account(self) -> None:
        from stakeworks.screens.account_editor import AccountEditor

        if not self.session.is_open:
            self.notify("Still opening the database; try again in a moment.", severity="warning")
            return
        if not isinstance(self.screen, AccountEditor):
            self.push_screen(AccountEditor())

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    def action_search(self) -> None:
        from stakeworks.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def action_settings(self) -> None:
        from stakeworks.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_help(self) -> None:
        from stakeworks.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        self.session.close()


if TYPE_CHECKING:

    def _implements_workbench(app: StakeworksApp) -> Workbench:
        return app  # mypy checks here that the app is what screens take it for
