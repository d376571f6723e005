"""Lesson and drill runners: pure state machines from a decision to the next prompt, no I/O."""
