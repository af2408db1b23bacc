"""A mark of the installed code, for what is kept in the database from a computation: a result kept by one
version of the code is not read by another (an upgrade may change how a cycle is scored)."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import platform
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent

#: Libraries whose upgrade may change a figure: the working days (holidays), the ORM's reads (Django), the
#: criteria sets' and questionnaires' reading (PyYAML).
_COMPUTING_LIBRARIES = ("Django", "holidays", "PyYAML")


@functools.cache
def code_mark() -> str:
    """A digest of every Python file of the package, by content, of Python's version and of the versions of
    the libraries that take part in computing figures (:data:`_COMPUTING_LIBRARIES`): the same on every
    machine running the same code. ~20 ms: computed once per process, by ``wsgi`` as a worker starts."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    libraries = [f"{name}=={importlib.metadata.version(name)}" for name in _COMPUTING_LIBRARIES]
    python = f"{platform.python_implementation()} {platform.python_version()}"  # not the build's date
    digest.update("\n".join([python, *libraries]).encode())
    return digest.hexdigest()[:16]
