"""The mentor's console (Textual): help requests, the session, and the village's roster.

Three tabs. **Help**: the village's open help requests, newest news first in the status
line; the mentor types a hint (the learner's device speaks it) or presses "coming over".
**Session**: each learner whose device is on, with the step they are on; a lesson can be
started for them. **Learners**: the roster with what each finished, where they are, fading
skills, drill mistakes and who is stuck; enrol, rename, merge and erase (the last two only
after a yes).

The hub is asked for help and the session twice a second, in a worker thread, so a request
shows within a second of reaching the hub and the screen never waits on the network; the
records are synced (push, then pull) every SYNC_S seconds and after each change.
"""

import time
from collections.abc import Callable
from typing import Any, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Static,
    TabbedContent,
    TabPane,
)

from tutor.content.strings import Catalog
from tutor.hub.privacy import COORDINATOR, MENTOR, Audience
from tutor.hub.report import drills_in
from tutor.mentor.desk import Active, Desk, HelpCall, now, reason_text
from tutor.mentor.dialogs import Confirm, Form, Pick
from tutor.mentor.roster import Roster
from tutor.progress.events import parse_timestamp
from tutor.progress.hublink import HubError

POLL_S = 0.5
SYNC_S = 15.0
LANGUAGES = ("zh", "ko", "ug")


class MentorApp(App):
    CSS = """
    #status { height: 1; background: $boost; padding: 0 1; }
    #keys { height: 1; color: $text-muted; padding: 0 1; }
    #code-shown { height: auto; padding: 0 1; text-style: bold; }
    #status.calls { background: $error; color: $text; text-style: bold; }
    TabbedContent, TabPane { height: 1fr; }
    DataTable { height: 1fr; }
    #help-answer, .actions { height: auto; }
    #hint { width: 1fr; }
    #detail { height: 12; border-top: solid $primary; padding: 0 1; }
    .dialog { width: 70; height: auto; max-height: 90%; border: thick $primary;
              background: $surface; padding: 1 2; }
    .dialog-title { text-style: bold; margin-bottom: 1; }
    .buttons { height: auto; margin-top: 1; }
    ModalScreen { align: center middle; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "show_tab('help')", show=False, priority=True),
        Binding("f2", "show_tab('session')", show=False, priority=True),
        Binding("f3", "show_tab('roster')", show=False, priority=True),
        Binding("f5", "sync", show=False, priority=True),
        Binding("f6", "code", show=False, priority=True),
        Binding("ctrl+q", "quit", show=False),
    ]

    def __init__(
        self,
        desk: Desk,
        catalog: Catalog,
        poll_s: float = POLL_S,
        new_code: Callable[[], tuple[str, str]] | None = None,
    ):
        """`new_code`: a one-time code for a learner device of the village (and its expiry),
        when the console runs its own hub."""
        super().__init__()
        self.desk, self.catalog, self.t = desk, catalog, catalog.text
        self.poll_s, self.new_code = poll_s, new_code
        self.calls: list[HelpCall] = []
        self.active: list[Active] = []
        self.roster: Roster | None = None
        self.roster_ids: list[str] = []
        self.online: bool | None = None
        self.problem = ""
        self.first_seen: dict[str, float] = {}  # request id -> when this console first had it
        self.title = self.t("mentor.title", village=desk.village or self.t("mentor.county"))

    # Layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        t = self.t
        yield Static(t("mentor.status.starting"), id="status")
        with TabbedContent(initial="help"):
            with TabPane(t("mentor.tab.help"), id="help"):
                yield DataTable(id="calls", cursor_type="row", zebra_stripes=True)
                with Horizontal(id="help-answer"):
                    yield Input(placeholder=t("mentor.help.hint_placeholder"), id="hint")
                    yield Button(t("mentor.help.send"), id="send", variant="primary")
                    yield Button(t("mentor.help.coming"), id="coming", variant="warning")
            with TabPane(t("mentor.tab.session"), id="session"):
                yield DataTable(id="active", cursor_type="row", zebra_stripes=True)
                with Horizontal(classes="actions"):
                    yield Button(t("mentor.session.start"), id="start")
                    if self.new_code is not None:
                        yield Button(t("mentor.session.code"), id="code")
                yield Static("", id="code-shown")
            with TabPane(t("mentor.tab.roster"), id="roster"), Vertical():
                yield DataTable(id="learners", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="detail"):
                    yield Static("", id="detail-text")
                with Horizontal(classes="actions"):
                    yield Button(t("mentor.roster.enrol"), id="enrol", variant="primary")
                    yield Button(t("mentor.roster.rename"), id="rename")
                    yield Button(t("mentor.roster.merge"), id="merge")
                    yield Button(t("mentor.roster.erase"), id="erase", variant="error")
        yield Static(t("mentor.keys"), id="keys")

    def on_mount(self) -> None:
        t = self.t
        self.query_one("#calls", DataTable).add_columns(
            t("mentor.help.col_learner"), t("mentor.help.col_where"), t("mentor.help.col_wait"),
            t("mentor.help.col_heard"), t("mentor.help.col_prompt"),
        )
        self.query_one("#active", DataTable).add_columns(
            t("mentor.session.col_learner"), t("mentor.session.col_lesson"),
            t("mentor.session.col_step"), t("mentor.session.col_prompt"),
        )
        self.query_one("#learners", DataTable).add_columns(
            t("mentor.roster.col_name"), t("mentor.roster.col_village"),
            t("mentor.roster.col_done"), t("mentor.roster.col_where"),
            t("mentor.roster.col_fading"), t("mentor.roster.col_stuck"),
            t("mentor.roster.col_last"),
        )
        self.query_one("#hint", Input).focus()
        self.load_roster()
        self.poll()
        self.sync_records()
        self.set_interval(self.poll_s, self.poll)
        self.set_interval(SYNC_S, self.sync_records)

    def action_show_tab(self, tab: str) -> None:
        # Focus leaves the old tab first: a focused widget in it would pull the tab back.
        self.set_focus(None)
        self.query_one(TabbedContent).active = tab
        first = {"help": "#hint", "session": "#active", "roster": "#learners"}[tab]
        self.query_one(first).focus()

    # Live: help and session ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="poll")
    def poll(self) -> None:
        try:
            calls, active = self.desk.calls(), self.desk.active()
        except HubError as err:
            self.call_from_thread(self._offline, err)
            return
        self.call_from_thread(self._show_live, calls, active)

    def _offline(self, err: HubError) -> None:
        self.online, self.problem = False, self.t(
            "mentor.status.offline", reason=reason_text(err.reason, self.catalog)
        )
        self._status()

    def _show_live(self, calls: list[HelpCall], active: list[Active]) -> None:
        self.online, self.problem = True, ""
        for call in calls:
            self.first_seen.setdefault(call.id, time.monotonic())
        if calls != self.calls:
            fresh = {c.id for c in calls} - {c.id for c in self.calls}
            self.calls = calls
            self._fill(
                "#calls", [c.id for c in calls],
                [(self._who(c.learner, c.name), self._place(c.lesson, c.step), self._waited(c.at),
                  c.heard, _short(c.prompt)) for c in calls],
            )
            if fresh:
                self.bell()
                who = [self._who(c.learner, c.name) for c in calls if c.id in fresh]
                names = self.t("report.list_separator").join(who)
                self.notify(self.t("mentor.help.new", names=names), timeout=6)
        if active != self.active:
            self.active = active
            self._fill(
                "#active", [f"{a.device}/{a.learner}" for a in active],
                [(self._who(a.learner, a.name), self._lesson(a.lesson),
                  self._step(a.step, a.steps), _short(a.prompt)) for a in active],
            )
        self._status()

    def _status(self) -> None:
        status = self.query_one("#status", Static)
        if self.online is False:
            status.update(self.problem)
        elif self.calls:
            status.update(self.t("mentor.status.calls", count=len(self.calls)))
        else:
            status.update(self.t("mentor.status.quiet", active=len(self.active)))
        status.set_class(bool(self.calls), "calls")

    def _fill(self, selector: str, keys: list[str], rows: list[tuple]) -> None:
        table = self.query_one(selector, DataTable)
        keep = table.cursor_row
        table.clear()
        for key, row in zip(keys, rows, strict=True):
            table.add_row(*row, key=key)
        if rows:
            table.move_cursor(row=min(max(keep, 0), len(rows) - 1))

    def _who(self, learner: str, name: str | None) -> str:
        if self.roster is not None and learner in self.roster.states:
            return self.roster.name(learner)
        if name and self.desk.role == MENTOR:
            return name
        from tutor.hub.privacy import pseudonym

        return pseudonym(learner, self.catalog)

    def _lesson(self, lesson: str | None) -> str:
        if lesson is None:
            return self.t("mentor.session.home")
        return self.roster.lesson_title(lesson) if self.roster else lesson

    def _place(self, lesson: str | None, step: int | None) -> str:
        if lesson is None:
            return ""
        return self.t("mentor.help.place", lesson=self._lesson(lesson), step=(step or 0) + 1)

    def _step(self, step: int | None, steps: int | None) -> str:
        if step is None:
            return ""
        return f"{step + 1}/{steps}" if steps else str(step + 1)

    def _waited(self, at: str) -> str:
        try:
            seconds = max(0, int((now() - parse_timestamp(at)).total_seconds()))
        except ValueError:
            return ""
        return self.t("mentor.help.waited", minutes=seconds // 60, seconds=seconds % 60)

    def _selected(self, selector: str, keys: list[str]) -> str | None:
        table = self.query_one(selector, DataTable)
        if not keys or table.cursor_row < 0 or table.cursor_row >= len(keys):
            return None
        return keys[table.cursor_row]

    # Answering help --------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "hint":
            self.answer(coming=False)

    def answer(self, coming: bool) -> None:
        call = self._selected("#calls", [c.id for c in self.calls])
        hint_box = self.query_one("#hint", Input)
        hint = hint_box.value.strip()
        if call is None:
            self.notify(self.t("mentor.help.none_selected"), severity="warning")
            return
        if not hint and not coming:
            self.notify(self.t("mentor.help.empty"), severity="warning")
            return
        hint_box.value = ""
        self._send_answer(call, hint or None, coming)

    @work(thread=True, group="answer")
    def _send_answer(self, call: str, hint: str | None, coming: bool) -> None:
        try:
            self.desk.answer(call, hint, coming)
        except HubError as err:
            self.call_from_thread(self._failed, err)
            return
        self.call_from_thread(self.notify, self.t("mentor.help.sent"))
        self.poll()

    def _failed(self, err: HubError) -> None:
        reason = reason_text(err.reason, self.catalog)
        self.notify(self.t("mentor.help.failed", reason=reason), severity="error")

    # Roster ------------------------------------------------------------------------------

    def load_roster(self) -> None:
        course, packs = self.desk.course()
        progress, events = self.desk.records()
        role = COORDINATOR if self.desk.role == COORDINATOR else MENTOR
        audience = Audience(role, self.desk.village)
        self.roster = Roster(progress, events, course, drills_in(packs), audience, self.catalog,
                             now())
        rows = self.roster.rows()
        self.roster_ids = [r.id for r in rows]
        self._fill(
            "#learners", self.roster_ids,
            [(r.name, r.village, str(r.done), r.where, str(r.fading) if r.fading else "",
              str(r.stuck) if r.stuck else "", r.last) for r in rows],
        )
        self._show_detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "learners":
            self._show_detail()

    def _show_detail(self) -> None:
        learner = self._selected("#learners", self.roster_ids)
        detail = self.roster.detail(learner) if self.roster and learner else None
        box = self.query_one("#detail-text", Static)
        if detail is None:
            box.update(self.t("mentor.roster.empty"))
            return
        t = self.t
        sep = t("report.list_separator")
        box.update("\n".join([
            f"[b]{detail.name}[/b]",
            t("mentor.roster.finished", items=sep.join(detail.finished)),
            t("mentor.roster.where", where=detail.where),
            t("mentor.roster.fading", items=sep.join(detail.fading)),
            t("mentor.roster.stuck", items=sep.join(detail.stuck)),
            t("mentor.roster.mistakes", items=sep.join(detail.mistakes)),
        ]))

    @work(thread=True, exclusive=True, group="sync")
    def sync_records(self) -> None:
        try:
            self.desk.sync()
        except (HubError, OSError) as err:
            reason = (
                reason_text(err.reason, self.catalog) if isinstance(err, HubError) else str(err)
            )
            self.call_from_thread(self.notify, self.t("mentor.status.sync_failed", reason=reason),
                                  severity="warning")
        self.call_from_thread(self.load_roster)

    def action_sync(self) -> None:
        self.sync_records()

    def _changed(self) -> None:
        self.load_roster()
        self.sync_records()

    def _ask(self, screen: Any, then: Callable[[Any], None]) -> None:
        self.push_screen(screen, then)

    def enrol(self) -> None:
        t = self.t
        fields = [
            ("name", t("mentor.form.name"), ""),
            ("village", t("mentor.form.village"), self.desk.village or ""),
            ("language", t("mentor.form.language"), self.catalog.language),
        ]
        boxes = [("consent", t("mentor.form.consent"))]

        def done(values: dict | None) -> None:
            if not values:
                return
            if not values["name"] or not values["village"]:
                self.notify(t("mentor.form.missing"), severity="warning")
                return
            language = values["language"] if values["language"] in LANGUAGES else "zh"
            self.desk.enrol(values["name"], values["village"], language, values["consent"])
            self.notify(t("mentor.roster.enrolled", name=values["name"]))
            self._changed()

        self._ask(Form(t("mentor.roster.enrol"), fields, t("mentor.form.ok"),
                       t("mentor.form.cancel"), boxes), done)

    def rename(self) -> None:
        t = self.t
        learner = self._chosen_learner()
        if learner is None:
            return
        name = self.roster.name(learner) if self.roster else ""
        fields = [("name", t("mentor.form.name"), name)]

        def done(values: dict | None) -> None:
            if values and values["name"] and values["name"] != name:
                self.desk.rename(learner, values["name"])
                self.notify(t("mentor.roster.renamed", name=values["name"]))
                self._changed()

        self._ask(Form(t("mentor.roster.rename"), fields, t("mentor.form.ok"),
                       t("mentor.form.cancel")), done)

    def merge(self) -> None:
        t = self.t
        learner = self._chosen_learner()
        if learner is None or self.roster is None:
            return
        roster = self.roster
        others = [(key, name) for key, name in roster.choices() if key != learner]
        if not others:
            self.notify(t("mentor.roster.no_other"), severity="warning")
            return

        def picked(into: str | None) -> None:
            if into is None:
                return
            question = t("mentor.roster.merge_confirm", name=roster.name(learner),
                         into=roster.name(into))

            def confirmed(yes: bool) -> None:
                if yes:
                    self.desk.merge(learner, into)
                    self.notify(t("mentor.roster.merged", name=roster.name(into)))
                    self._changed()

            self._ask(Confirm(question, t("mentor.form.yes"), t("mentor.form.no")), confirmed)

        self._ask(Pick(t("mentor.roster.merge_into", name=roster.name(learner)), others), picked)

    def erase(self) -> None:
        t = self.t
        learner = self._chosen_learner()
        if learner is None or self.roster is None:
            return
        name = self.roster.name(learner)

        def confirmed(yes: bool) -> None:
            if yes:
                self.desk.erase(learner)
                self.notify(t("mentor.roster.erased", name=name))
                self._changed()

        self._ask(Confirm(t("mentor.roster.erase_confirm", name=name), t("mentor.form.yes"),
                          t("mentor.form.no")), confirmed)

    def _chosen_learner(self) -> str | None:
        learner = self._selected("#learners", self.roster_ids)
        if learner is None:
            self.notify(self.t("mentor.roster.none_selected"), severity="warning")
        return learner

    # Starting a lesson or a drill on a learner's device ---------------------------------

    def start_lesson(self) -> None:
        t = self.t
        keys = [f"{a.device}/{a.learner}" for a in self.active]
        chosen = self._selected("#active", keys)
        found = self.active[keys.index(chosen)] if chosen is not None else None
        if found is None or self.roster is None:
            self.notify(t("mentor.session.none_selected"), severity="warning")
            return
        roster = self.roster
        lessons = [(key, roster.lesson_title(key)) for key in roster.course.lessons]
        lessons += [(key, roster.drill_title(key)) for key in roster.course.drills]

        def picked(lesson: str | None) -> None:
            if lesson is not None:
                self._send_start(found.device, found.learner, lesson)

        self._ask(Pick(t("mentor.session.pick", name=self._who(found.learner, found.name)),
                       lessons), picked)

    def action_code(self) -> None:
        self.action_show_tab("session")
        self.show_code()

    def show_code(self) -> None:
        """A one-time code for the next learner device, shown big enough to read out."""
        if self.new_code is None:
            return
        code, expires = self.new_code()
        until = parse_timestamp(expires).astimezone().strftime("%H:%M")
        who = self.t("hub.who_mentor", village=self.desk.village or "")
        self.query_one("#code-shown", Static).update(
            self.t("hub.code", code=f"{code[:3]} {code[3:]}", who=who, until=until)
        )

    @work(thread=True, group="start")
    def _send_start(self, device: str, learner: str, lesson: str) -> None:
        try:
            self.desk.start(device, learner, lesson)
        except HubError as err:
            self.call_from_thread(self._failed, err)
            return
        self.call_from_thread(self.notify, self.t("mentor.session.started"))

    # Buttons -------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "send": lambda: self.answer(coming=False),
            "coming": lambda: self.answer(coming=True),
            "start": self.start_lesson,
            "code": self.show_code,
            "enrol": self.enrol,
            "rename": self.rename,
            "merge": self.merge,
            "erase": self.erase,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            action()


def _short(text: str, most: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"

