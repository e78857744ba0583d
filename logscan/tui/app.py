"""LogscanApp: the Textual application shell (app-wide keys, themes, command palette).

The app owns what it was started on and the screens; screens own their workers. Given
logs, it opens the log viewer on them; given a ``TuiConfig`` (folders or zips of hosts,
or ``--live``), it opens the triage: Sources, then Hosts, Diagnosis, Certificates,
Repair (``logscan.tui.screens``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from logscan.tui.config import TuiConfig
from logscan.tui.screens.certificates import CertificatesScreen
from logscan.tui.screens.diagnosis import DiagnosisScreen
from logscan.tui.screens.help import HelpScreen, KeyGroup
from logscan.tui.screens.hosts import HostsScreen
from logscan.tui.screens.repair import RepairScreen
from logscan.tui.screens.sources import SourcesScreen
from logscan.tui.screens.viewer import ViewerScreen
from logscan.tui.session import TriageSession
from logscan.viewer import LogIndex

_TRIAGE_SCREENS = (SourcesScreen, HostsScreen, DiagnosisScreen, CertificatesScreen, RepairScreen)
DARK, LIGHT = "textual-dark", "textual-light"

# (title, help, viewer action) offered in the command palette.
_VIEWER_COMMANDS = (
    ("Search", "Search messages for text or a regular expression (/)", "search"),
    ("Next error", "Jump to the next error (e)", "level(3, 1)"),
    ("Previous error", "Jump to the previous error (E)", "level(3, -1)"),
    ("Next warning", "Jump to the next warning or error (w)", "level(2, 1)"),
    ("Filter lines", "Hide lines by level, component or text (f)", "filter"),
    ("Show all lines", "Clear the filter (x)", "clear_filter"),
    ("Error codes of this line", "Look up every code the selected line mentions (c)", "codes"),
    ("Follow", "Follow growing logs, like tail -f (F)", "follow"),
    ("Merge logs", "Merge every open log by UTC, or go back to one (m)", "merge"),
    ("Detail pane", "Show or hide the whole selected record (d)", "detail"),
)


class LogscanApp(App[None]):
    """``logscan tui``: the viewer on the given logs, or the triage from a ``TuiConfig``."""

    TITLE = "logscan"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("t", "toggle_dark", "Theme", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        logs: Iterable[LogIndex] = (),
        *,
        merged: bool = False,
        follow: bool = False,
        config: TuiConfig | None = None,
    ) -> None:
        super().__init__()
        self.logs = tuple(logs)
        self.session = TriageSession(config) if config is not None else None
        if not self.logs and self.session is None:
            raise ValueError("LogscanApp needs at least one log, or a TuiConfig")
        self._merged = merged
        self._follow = follow
        self.theme = DARK

    def on_mount(self) -> None:
        # Pushed rather than made the default screen: only pushed screens load their
        # stylesheet (CSS_PATH).
        if self.session is not None:
            self.push_screen(SourcesScreen(self.session))
            return
        viewer = ViewerScreen(self.logs, merged=self._merged, follow=self._follow)
        self.push_screen(viewer)

    async def action_quit(self) -> None:
        # Stop the indexing threads first: the app waits for its workers on exit.
        for screen in self.screen_stack:
            if isinstance(screen, ViewerScreen | SourcesScreen):
                screen.stop_work()
        await super().action_quit()

    def key_groups(self) -> list[KeyGroup]:
        groups: list[KeyGroup] = [("Anywhere", self.BINDINGS)]
        for screen in self.screen_stack:
            if isinstance(screen, ViewerScreen):
                groups.extend(screen.key_groups())
            elif isinstance(screen, _TRIAGE_SCREENS):
                groups.append((screen.__class__.__name__.removesuffix("Screen"), screen.BINDINGS))
        return groups

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_groups()))

    def action_toggle_dark(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Every key binding (?)", self.action_help)
        yield SystemCommand(
            "Light/dark", "Switch between the light and dark theme (t)", self.action_toggle_dark
        )
        if isinstance(screen, ViewerScreen):
            for title, text, action in _VIEWER_COMMANDS:
                yield SystemCommand(title, text, _runner(screen, action))
        elif isinstance(screen, _TRIAGE_SCREENS):
            for title, text, action in screen.PALETTE:
                yield SystemCommand(title, text, _runner(screen, action))


def _runner(screen: Screen[None], action: str) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        await screen.run_action(action)

    return run
