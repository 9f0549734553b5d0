"""Fast bulk writes: COPY on PostgreSQL, executemany on SQLite.

Used where Django's per-object work would dominate: imports and generated data.
Table and column names come from Relais's code, never from a user; values
always go as parameters (hence the `nosec` marks on the SQL built here).

Rows are tuples in the order of the columns given; primary keys are assigned by
the caller, so that related rows can point at them without reading anything back.
"""

from collections.abc import Iterable

from django.db import connection

CHUNK = 50_000


def other_columns(model, columns: list[str]) -> tuple[list[str], tuple]:
    """The model's NOT NULL columns not in `columns`, with their default values.

    Writers that name their columns add these, so that a field added to the
    model later (with a default) does not break them; NULL needs no value.
    """
    fields = [
        f for f in model._meta.concrete_fields if f.column not in columns and not f.null
    ]
    return [f.column for f in fields], tuple(
        f.get_db_prep_save(f.get_default(), connection) for f in fields
    )


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}"  # nosec B608
        )
        return cursor.fetchone()[0]


def insert(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """Write rows; returns how many.

    On PostgreSQL the rows stream into one COPY as they are made: the server
    stores each block while Python makes the next (encrypting CINs, say), on
    the other core. So making them must not query the database. SQLite takes
    them in chunks, in this process.
    """
    if connection.vendor == "postgresql":
        return _copy(table, columns, rows)
    count = 0
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            count += _executemany(table, columns, chunk)
            chunk = []
    if chunk:
        count += _executemany(table, columns, chunk)
    return count


def upsert(
    table: str,
    columns: list[str],
    keys: list[str],
    rows: list[tuple],
    update: list[str] | None = None,
) -> int:
    """INSERT, or where the natural key `keys` exists, UPDATE `update` (all the
    other columns by default; none leaves existing rows as they are).

    The ON CONFLICT clause reads the same on SQLite (3.24+) and PostgreSQL.
    """
    if not rows:
        return 0
    names = ", ".join(columns)
    marks = ", ".join(["%s"] * len(columns))
    if update is None:
        update = [c for c in columns if c not in keys]
    changes = ", ".join(f"{c} = excluded.{c}" for c in update)
    action = f"DO UPDATE SET {changes}" if changes else "DO NOTHING"  # nosec B608
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks}) "
            f"ON CONFLICT ({', '.join(keys)}) {action}",  # nosec B608
            rows,
        )
    return len(rows)


def update(table: str, columns: list[str], rows: list[tuple]) -> int:
    """UPDATE by id: each row is (values of `columns`..., id)."""
    if not rows:
        return 0
    assignments = ", ".join(f"{c} = %s" for c in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE id = %s",  # nosec B608
            rows,
        )
    return len(rows)


def _copy(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor behind Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _executemany(table: str, columns: list[str], rows: list[tuple]) -> int:
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # nosec B608
            rows,
        )
    return len(rows)


def reset_sequences(*tables: str) -> None:
    """After explicit ids, PostgreSQL's sequences must move past them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"  # nosec B608
            )
