"""Run the real app in whatever terminal this is started in, at a Uyghur choose step, and
write a marker file once that step is on screen (for the xterm screenshot test).

    python tests/uyghur_screen.py MARKER

TUTOR_HOME must hold one Uyghur learner whose photos lesson is open at step 1. Speech is
silent: the screenshot is about what the terminal shows.
"""

import sys
from pathlib import Path

from tutor.speech.speaker import SilentSpeaker
from tutor.ui.app import TutorApp
from tutor.ui.context import LearnerContext


class ShownApp(TutorApp):
    def __init__(self, ctx: LearnerContext, marker: Path):
        super().__init__(
            ctx,
            lesson="starter/photos",
            speakers=lambda voice: SilentSpeaker(ctx.profiles[voice]),
            listeners=lambda voice, notify: None,
        )
        self.marker = marker

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(0.2, self._check)

    def _check(self) -> None:
        prompt = getattr(self.screen, "prompt", None)
        if prompt is not None and prompt.kind == "choose":
            self.marker.write_text(prompt.body)


if __name__ == "__main__":
    ShownApp(LearnerContext(), Path(sys.argv[1])).run()
