"""The benchmarks' throwaway PostgreSQL databases: made fresh for a run, dropped after it."""

import psycopg
from psycopg import sql


def _server(url: str) -> tuple[psycopg.Connection, sql.Identifier]:
    """A connection to the server's maintenance database, and the benchmark database's name."""
    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    return psycopg.connect(url, dbname="postgres", autocommit=True), sql.Identifier(name)


def recreate_database(url: str) -> None:
    server, database = _server(url)
    with server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        server.execute(sql.SQL("CREATE DATABASE {}").format(database))


def drop_database(url: str) -> None:
    server, database = _server(url)
    with server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))


def postgres_version(url: str) -> str:
    with psycopg.connect(url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]
