"""The append-only learner event log, the learner model folded from it, export and sync."""
