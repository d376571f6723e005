"""Lesson packs, voice profiles and UI strings: reading, validating, resolving.

This layer reads files and knows nothing of screens, speech engines or sessions.
"""
