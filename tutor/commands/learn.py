"""`tutor` / `tutor learn`: the learner's entry point.

Until the lesson runner and its screens exist, this greets the learner and lists what there
is to learn, so the set-up command ends in something a mentor can see working.
"""

from tutor.content.strings import Catalog


def run(catalog: Catalog) -> int:
    from tutor.commands.check import list_lessons

    print(catalog.text("app.welcome"))
    status = list_lessons(None, catalog)
    print(catalog.text("app.runner_pending"))
    return status
