"""The coordinators' hub: HTTP service, storage (SQLite, PostgreSQL) and reports."""
