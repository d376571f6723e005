"""Session tools for a village mentor: a lesson played for the whole room, and the printed sheet."""
