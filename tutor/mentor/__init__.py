"""`tutor mentor`: the volunteer mentor's console for a village session."""
