"""Text to intent: what a learner said or typed, against what the prompt accepts.

No I/O here: profiles, lessons and the subword model arrive as values, so the same code runs
under the app, the voice-only runner, `tutor understand` and the tests.
"""
