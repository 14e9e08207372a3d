"""A person's contacts as the store hands them to the journey: read one by one, when used.

Most events touch one contact, so the others are neither decoded nor compared when the state is
saved. The journey sees a plain ``MutableMapping[int, Contact]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from infointerview.core.journey.state import Contact


class LazyContacts(MutableMapping[int, Contact]):
    """A person's contacts by number, in order; each stored one is decoded (``decode(no)``) the
    first time it is used."""

    __slots__ = ("_decode", "_items")

    def __init__(self, stored: dict[int, Any] | None = None,
                 decode: Callable[[int], Contact] | None = None) -> None:
        self._items: dict[int, Any] = dict(stored or {})
        self._decode = decode

    def __getitem__(self, no: int) -> Contact:
        item = self._items[no]
        if isinstance(item, Contact):
            return item
        assert self._decode is not None, "stored contacts need a decoder"
        contact = self._items[no] = self._decode(no)
        return contact

    def __setitem__(self, no: int, contact: Contact) -> None:
        self._items[no] = contact

    def __delitem__(self, no: int) -> None:
        del self._items[no]

    def __iter__(self) -> Iterator[int]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, no: object) -> bool:
        return no in self._items

    def __repr__(self) -> str:
        return f"LazyContacts({dict(self.items())!r})"

    def decoded(self) -> Iterator[tuple[int, Contact]]:
        """The contacts used (or added) so far: the only ones that can have changed."""
        return ((no, item) for no, item in self._items.items() if isinstance(item, Contact))
