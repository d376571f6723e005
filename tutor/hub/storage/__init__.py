"""The hub's tables, in SQLite or PostgreSQL: one module per concern, all SQL lives here."""
