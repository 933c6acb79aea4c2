"""Connection options Hotline gives PostgreSQL (settings.py); the work-order benchmark gives
its peer the same, so that only the applications differ."""

# A statement run five times on a connection is prepared, so PostgreSQL stops planning it on
# every call: a work-order step's locking read took 2 ms of PostgreSQL's CPU to plan and
# 0.3 ms to run. Django binds parameters on the client and turns preparing off unless told
# otherwise. Off behind a pooler that cannot keep prepared statements (docs/decisions/0003).
PREPARED_STATEMENTS = {"server_side_binding": True, "prepare_threshold": 5}
