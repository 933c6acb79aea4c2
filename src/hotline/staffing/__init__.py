"""Workforce numerics with no Django and no I/O: Erlang staffing, forecasting, shift
scheduling, rostering, adherence and intraday re-planning."""
