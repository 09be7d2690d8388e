"""The PostgreSQL databases of the benchmarks: one dedicated database per benchmark, made afresh.

`BENCH_DATABASE_URL` (default postgres://postgres@127.0.0.1:5432/dealix_bench) names the server and
the base name; each benchmark adds its own suffix so two of them never share a database, and none
of them touches a database anyone else uses. The databases are dropped and created with psycopg
through the server's `postgres` maintenance database.
"""

from __future__ import annotations

import os

import psycopg
from psycopg import conninfo, sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dealix_bench"


def bench_database_url(suffix: str = "") -> str:
    """`BENCH_DATABASE_URL` with `_<suffix>` added to its database name."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not suffix:
        return url
    base, _, name = url.rpartition("/")
    name, question, query = name.partition("?")
    return f"{base}/{name}_{suffix}{question}{query}"


def _maintenance(url: str) -> tuple[str, str]:
    """(conninfo of the server's `postgres` database, the name of the database in `url`)."""
    params = conninfo.conninfo_to_dict(url)
    name = str(params.get("dbname") or "")
    if not name or name == "postgres":
        raise ValueError(f"a dedicated database name is needed, not {name!r}")
    params["dbname"] = "postgres"
    return conninfo.make_conninfo(**params), name


def where(url: str) -> str:
    """host:port/name of `url`, without credentials, for messages."""
    params = conninfo.conninfo_to_dict(url)
    host = params.get("host") or "localhost"
    return f"{host}:{params.get('port') or 5432}/{params.get('dbname')}"


def unreachable(url: str) -> str | None:
    """Why the server of `url` cannot be used, or None when it answers."""
    admin, _ = _maintenance(url)
    try:
        with psycopg.connect(admin, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def database_exists(url: str) -> bool:
    admin, name = _maintenance(url)
    with psycopg.connect(admin) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return found.fetchone() is not None


def recreate_database(url: str) -> None:
    """Drop the database of `url` if it exists (closing its sessions) and create it empty."""
    admin, name = _maintenance(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def copy_database(url: str, *, template: str) -> None:
    """Make the database of `url` afresh as a copy of the database named `template` (which
    must have no open sessions): a migrated schema without migrating again."""
    admin, name = _maintenance(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )


def drop_database(url: str) -> None:
    """Drop the database of `url` (left alone when BENCH_KEEP_DATABASES=1, for inspection)."""
    if os.environ.get("BENCH_KEEP_DATABASES") == "1":
        return
    admin, name = _maintenance(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
