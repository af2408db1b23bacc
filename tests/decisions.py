"""What a service decides for a person, for the tests that compare it with the flags a page shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404


class _Undo(Exception):
    """Rolls back what the service did, so that the next action starts from the same state."""


def decision(
    action: Callable[[], object],
    *,
    refusals: tuple[type[Exception], ...] = (PermissionDenied, ValidationError),
    went_on: tuple[type[Exception], ...] = (),
) -> bool | None:
    """Run ``action`` (a service call) in a transaction rolled back after it. True: the service did it
    (or raised one of ``went_on``: past the permission, refused for another reason); False: refused (one of
    ``refusals``: PermissionDenied, or its message); None: 404."""
    done: tuple[type[Exception], ...] = (_Undo, *went_on)
    try:
        with transaction.atomic():
            action()
            raise _Undo
    except done:
        return True
    except Http404:
        return None
    except refusals:
        return False


def assert_flags_agree(allowed: object | None, decisions: Mapping[str, bool | None], where: str) -> None:
    """Each service decision (by flag name, from :func:`decision`) is the page's flag of that name in
    ``allowed``; where the page answered 404 (``allowed`` None) the service answered 404 too."""
    for flag, decided in decisions.items():
        if allowed is None:
            assert decided is None, f"{where} {flag}"  # 404 from the service too
        else:
            assert decided is getattr(allowed, flag), f"{where} {flag}"
