"""The hot path reads a person's row and contacts on the driver's cursor; the values must be the
very ones SQLAlchemy's own result processing returns, column by column, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Boolean, Column, Integer, MetaData, Table, bindparam, select, update

from core import Database, Engine
from core.store import repo
from core.store.hotrows import HotSelect, HotStatement, _converter
from core.store.models import ContactRow, UserRow
from tests.helpers import User


def _full_person(engine: Engine) -> None:
    sam = User(engine, "sam")
    sam.onboard()
    number = sam.add_contact()
    sam.command("note", f"{number} Hiring happens in spring")  # JSON notes, timestamps
    sam.add_contact({"name": "Kim Park", "role": "Policy analyst", "organisation": "City Hall",
                     "sector": "government", "how_found": "alumni", "channel": "linkedin",
                     "profile_url": "https://www.linkedin.com/in/kim-park"})


@pytest.mark.parametrize("model", [UserRow, ContactRow])
def test_rows_equal_sqlalchemys_own(database: Database, engine: Engine, model: Any) -> None:
    _full_person(engine)
    statement = select(model.__table__).order_by(model.__table__.c.id)
    with database.begin() as connection:
        expected = [dict(row) for row in connection.execute(statement).mappings()]
        got = HotSelect(statement).rows(connection, {})
    assert expected and got == expected
    for want, have in zip(expected, got, strict=True):  # equal is not enough: same types too
        assert {k: type(v) for k, v in have.items()} == {k: type(v) for k, v in want.items()}


def test_loading_a_person_decodes_only_the_contacts_used(engine: Engine,
                                                         database: Database) -> None:
    _full_person(engine)
    with database.begin() as connection:
        user = repo.find_user(connection, User(engine, "sam").actor)
        assert user is not None
        stored, state = repo.load_state(connection, user)
        assert list(state.contacts) == [1, 2] and stored.rows == {}
        assert state.contacts[2].name == "Kim Park"
        assert list(stored.rows) == [2] and [no for no, _ in state.contacts.decoded()] == [2]
        assert [c.name for c in state.contacts.values()][0].endswith("Lee")  # noqa: RUF015
        assert len(stored.rows) == 2


def test_a_bound_parameter_and_a_column_type_it_cannot_read(database: Database) -> None:
    table = Table("t", MetaData(), Column("id", Integer), Column("flag", Boolean))
    statement = select(table).where(table.c.id == bindparam("pk"))
    assert _converter(table.c.flag.type, "sqlite") is bool
    with pytest.raises(TypeError, match="no hot-path reader"):
        _converter(object(), "sqlite")
    with database.begin() as connection:
        connection.exec_driver_sql("CREATE TEMPORARY TABLE t (id integer, flag boolean)")
        connection.exec_driver_sql("INSERT INTO t VALUES (1, true), (2, false)")
        assert HotSelect(statement).first(connection, {"pk": 2}) == {"id": 2, "flag": False}
        assert HotSelect(statement).first(connection, {"pk": 3}) is None


def test_writes_store_exactly_what_sqlalchemy_stores(database: Database, engine: Engine) -> None:
    for name in ("sam", "alex"):
        User(engine, name).onboard()
    values = {"weekdays_only": True, "paused_until": date(2026, 4, 1),
              "session_state": {"focus_no": 2}, "updated_at": datetime(2026, 3, 2, 9, 30,
                                                                        tzinfo=UTC)}
    users = UserRow.__table__
    with database.begin() as connection:
        sam, alex = (repo.find_user(connection, User(engine, n).actor) for n in ("sam", "alex"))
        assert sam is not None and alex is not None
        repo._update(connection, users, sam["id"], values)  # the hot path
        connection.execute(update(users).where(users.c.id == alex["id"]).values(values))
        stored = connection.exec_driver_sql(
            "SELECT weekdays_only, paused_until, session_state, updated_at FROM users "
            "ORDER BY id").all()
    assert len(stored) == 2 and stored[0] == stored[1]


def test_literals_in_a_statement_and_many_parameter_sets(database: Database) -> None:
    table = Table("t", MetaData(), Column("id", Integer), Column("flag", Boolean))
    with database.begin() as connection:
        connection.exec_driver_sql("CREATE TEMPORARY TABLE t (id integer, flag boolean)")
        HotStatement(table.insert().values(id=bindparam("pk"), flag=False)).execute_many(
            connection, [{"pk": 1}, {"pk": 2}, {"pk": 3}])
        flip = HotStatement(update(table).where(table.c.id == bindparam("pk")).values(flag=True))
        flip.execute(connection, {"pk": 2})
        with pytest.raises(KeyError):
            flip.execute(connection, {})  # a parameter the statement needs is never defaulted
        rows = HotSelect(select(table).order_by(table.c.id)).rows(connection, {})
    assert rows == [{"id": 1, "flag": False}, {"id": 2, "flag": True}, {"id": 3, "flag": False}]
