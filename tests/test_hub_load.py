"""Load on loopback: 50 devices push 2,000 events each at once to one hub, on SQLite and on
PostgreSQL; all 100,000 must be stored exactly once, each device's chain whole. The driver is
benchmarks/hub.py (which also prints and saves the numbers); here the measured row is kept
as test properties and printed (`pytest -s`)."""

from hub_helpers import load

pytest_plugins = ["hub_fixtures"]

DEVICES, EVENTS = 50, 2_000


def test_fifty_devices_push_two_thousand_events_each_at_once(tmp_path, db_url, record_property):
    homes = [tmp_path / f"device{n:02d}" for n in range(DEVICES)]
    for home in homes:
        load.make_device(home, EVENTS)
    backend = "sqlite" if db_url is None else "postgresql"
    # run_load compares every device's rows in the hub with its log, line for line.
    row = load.run_load(backend, tmp_path / "hub", homes, db_url)
    for key, value in row.items():
        record_property(key, value)
    print(row)
    assert row["events"] == DEVICES * EVENTS
    assert row["rows"] == DEVICES * EVENTS
    assert row["requests"] == DEVICES * EVENTS // 500
