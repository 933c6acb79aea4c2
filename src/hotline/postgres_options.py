"""How Hotline connects to PostgreSQL (settings.py); the work-order benchmark gives its peer
the same prepared statements. Why: docs/decisions/0003."""

# A statement run five times on a connection is prepared. Django binds parameters on the
# client and turns preparing off unless told otherwise.
PREPARED_STATEMENTS = {"server_side_binding": True, "prepare_threshold": 5}

# A prepared statement is still planned for its values on every run, unless a transaction
# says otherwise (hotline.query_plans): a generic plan cannot see that a value is rare, and
# chose a plan twice as slow for a word search in a work list of a million orders.
PLANNED_FOR_THEIR_VALUES = {"options": "-c plan_cache_mode=force_custom_plan"}
