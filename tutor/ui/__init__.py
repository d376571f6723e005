"""Screens: the Textual learner app, the voice-only runner and the mentor console."""
