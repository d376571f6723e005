"""Small widgets with one job each, for the learner's screens; they talk through messages."""
