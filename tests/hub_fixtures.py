"""Fixtures for the hub tests, loaded with `pytest_plugins = ["hub_fixtures"]`: a real hub
process on loopback over SQLite or over a throwaway PostgreSQL cluster."""

import os

import pytest
from hub_helpers import HubProcess
from hub_servers import PostgresUnavailable, new_database, postgres_cluster

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_admin():
    """One PostgreSQL cluster for the whole run (each test gets its own database)."""
    try:
        with postgres_cluster() as url:
            yield url
    except PostgresUnavailable as err:
        pytest.skip(f"PostgreSQL cannot start here: {err}")


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """None (the default SQLite file under the hub's TUTOR_HOME) or a fresh PostgreSQL
    database."""
    if request.param == "sqlite":
        return None
    admin = request.getfixturevalue("pg_admin")
    return new_database(admin, f"t_{os.getpid()}_{abs(hash(str(tmp_path))) % 10**9}")


@pytest.fixture
def hub(tmp_path, db_url):
    with HubProcess(tmp_path / "hub", db_url) as running:
        yield running
