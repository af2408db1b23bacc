"""A small typed registry: what the areas contribute to a lower layer, by key.

The lower layer owns the registry; each area registers its contributions from its own
``AppConfig.ready()``, so that no layer reaches another through a dotted text path. A duplicate (or
otherwise refused) key fails at start-up; asking for a key nobody registered raises
:class:`NotRegistered` — it never quietly means "no data".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Generic, TypeVar

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class NotRegistered(LookupError):
    """A key looked up that no area registered (a programming or configuration error)."""


def installed_app(label: str) -> None:
    """A key check: the key must be the label of an installed app (an area registers under its own)."""
    try:
        apps.get_app_config(label)
    except LookupError:
        raise ImproperlyConfigured(f"{label!r} is not the label of an installed app.") from None


class Registry(Mapping[str, T], Generic[T]):
    """Items by key, in the order they were registered.

    ``check_key`` (optional) refuses keys the owner does not know, by raising ImproperlyConfigured.
    """

    def __init__(self, what: str, check_key: Callable[[str], None] | None = None) -> None:
        self.what = what
        self._check_key = check_key
        self._items: dict[str, T] = {}

    def register(self, key: str, item: T) -> None:
        if not isinstance(key, str) or not key:
            raise ImproperlyConfigured(f"{self.what}: the key must be a non-empty string, not {key!r}.")
        if key in self._items:
            raise ImproperlyConfigured(f"{self.what}: {key!r} is registered twice.")
        if self._check_key is not None:
            self._check_key(key)
        self._items[key] = item

    def __getitem__(self, key: str) -> T:
        try:
            return self._items[key]
        except KeyError:
            raise NotRegistered(f"{self.what}: nothing is registered under {key!r}.") from None

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<Registry {self.what}: {', '.join(self._items)}>"

    @contextmanager
    def overridden(self, key: str, item: T) -> Iterator[None]:
        """For tests: ``item`` stands for the registered ``key`` inside the block (the key must exist)."""
        previous = self[key]
        self._items[key] = item
        try:
            yield
        finally:
            self._items[key] = previous
