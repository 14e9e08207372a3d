"""The statements every event runs, straight on the driver's cursor.

SQLAlchemy's execution and result machinery (an execution context per statement, a Python call
per value through the type's processors, then a ``Row`` and a ``RowMapping``) cost more than the
queries themselves for a person's row and contacts, the dedupe insert and the write-back: about
a third of an event on SQLite. Here a statement is compiled by SQLAlchemy once per dialect and
run on the DBAPI cursor of the same connection (so the same transaction and locks). Values go
in through the column types' own bind processors; coming out, only the columns whose driver
value differs from what SQLAlchemy would return are converted. ``tests/test_hotrows.py`` checks
both directions against SQLAlchemy's own, column by column, on both backends.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import JSON, Boolean, ClauseElement, Connection, Date, Integer, String, Text
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import NullType

from core.store.models import UTCDateTime

Convert = Callable[[Any], Any]


def _sqlite_datetime(value: str) -> datetime:
    # stored naive in UTC; parsing with the offset is several times faster than .replace()
    return datetime.fromisoformat(value + "+00:00")


def _sqlite_json(value: str) -> Any:
    return [] if value == "[]" else json.loads(value)  # most lists are empty: skip the parser


def _postgres_datetime(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _converter(column_type: Any, dialect: str) -> Convert | None:
    """How a driver value becomes the value SQLAlchemy would return; None when it already is."""
    sqlite = dialect == "sqlite"
    if isinstance(column_type, UTCDateTime):
        return _sqlite_datetime if sqlite else _postgres_datetime
    if isinstance(column_type, JSON):
        return _sqlite_json if sqlite else None  # psycopg decodes json/jsonb itself
    if isinstance(column_type, Boolean):
        return bool if sqlite else None  # SQLite stores 0/1
    if isinstance(column_type, Date):
        return date.fromisoformat if sqlite else None
    if isinstance(column_type, String | Text | Integer):
        return None
    raise TypeError(f"no hot-path reader for column type {column_type!r}")


class Raw(NamedTuple):
    dialect: str
    values: tuple[Any, ...]


class _Compiled:
    def __init__(self, statement: ClauseElement, connection: Connection) -> None:
        dialect = connection.dialect
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self.sql = str(compiled)
        self.positional = compiled.positiontup  # None for named paramstyles (psycopg)
        untyped = sorted(name for name, bind in compiled.binds.items()
                         if isinstance(bind.type, NullType))
        if untyped:  # its value would reach the driver as it is: a datetime as local text
            raise TypeError(f"hot statement parameter(s) {', '.join(untyped)} have no column "
                            "type; give the bindparam a type_ so values are stored as the "
                            "column stores them")
        # the column types' own bind processors, so values are stored exactly as SQLAlchemy does;
        # a literal in the statement (``status="pending"``) is a bind with its value given
        self.binds = [(name, bind.type.dialect_impl(dialect).bind_processor(dialect),
                       None if bind.required else bind.effective_value)
                      for name, bind in compiled.binds.items()]
        self.required = {name for name, bind in compiled.binds.items() if bind.required}
        columns = list(getattr(statement, "selected_columns", ()))
        self.names = [str(column.key) for column in columns]
        self.converters = [
            (index, convert) for index, column in enumerate(columns)
            if (convert := _converter(column.type, dialect.name)) is not None]

    def arguments(self, params: Mapping[str, Any]) -> Any:
        values = {}
        for name, process, literal in self.binds:
            value = params[name] if name in self.required else params.get(name, literal)
            values[name] = value if process is None or value is None else process(value)
        if self.positional is None:
            return values
        return tuple(values[name] for name in self.positional)


class HotStatement:
    """A prebuilt statement run on the driver's cursor of the connection's transaction.

    ``statement`` may also be a function of the dialect's name, for statements written per
    dialect (``INSERT … ON CONFLICT`` comes from ``sqlalchemy.dialects.<name>``)."""

    def __init__(self, statement: ClauseElement | Callable[[str], ClauseElement]) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def _compiled(self, connection: Connection) -> _Compiled:
        name = connection.dialect.name
        compiled = self._by_dialect.get(name)
        if compiled is None:
            statement = self.statement if isinstance(self.statement, ClauseElement) \
                else self.statement(name)
            compiled = self._by_dialect[name] = _Compiled(statement, connection)
        return compiled

    def execute(self, connection: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run it; the rows it returns (a SELECT's, or RETURNING's), as the driver gives them."""
        compiled = self._compiled(connection)
        cursor = connection.connection.cursor()
        try:
            cursor.execute(compiled.sql, compiled.arguments(params))
            return list(cursor.fetchall()) if cursor.description else []
        finally:
            cursor.close()

    def execute_many(self, connection: Connection, params: Sequence[Mapping[str, Any]]) -> None:
        """Run it once per set of parameters."""
        compiled = self._compiled(connection)
        cursor = connection.connection.cursor()
        try:
            if connection.dialect.name == "sqlite":
                cursor.executemany(compiled.sql, [compiled.arguments(p) for p in params])
            else:  # psycopg's executemany ends with a sync: inside a pipeline that is an extra
                for arguments in params:  # round trip, while single executes just queue up
                    cursor.execute(compiled.sql, compiled.arguments(arguments))
        finally:
            cursor.close()


class HotSelect(HotStatement):
    """A prebuilt SELECT whose rows come back as plain dicts, converted when needed."""

    def fetch(self, connection: Connection, params: Mapping[str, Any]) -> list[Raw]:
        """The rows as the driver returns them; ``convert`` makes one a dict when it is needed."""
        return [Raw(connection.dialect.name, row) for row in self.execute(connection, params)]

    def convert(self, raw: Raw) -> dict[str, Any]:
        """One driver row as SQLAlchemy would return it, keyed by column."""
        compiled = self._by_dialect[raw.dialect]
        values = list(raw.values)
        for index, convert in compiled.converters:
            if values[index] is not None:
                values[index] = convert(values[index])
        return dict(zip(compiled.names, values, strict=True))

    def rows(self, connection: Connection, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [self.convert(raw) for raw in self.fetch(connection, params)]

    def first(self, connection: Connection, params: Mapping[str, Any]) -> dict[str, Any] | None:
        found = self.rows(connection, params)
        return found[0] if found else None
