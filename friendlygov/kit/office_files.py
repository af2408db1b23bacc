"""What the office-file libraries raise on a broken or foreign file.

An uploaded workbook or Word file is the user's input: a damaged one is reported to the user, never a
server error. These tuples name what openpyxl and python-docx (also under docxtpl) were seen to raise while
opening damaged packages (truncated, re-zipped with parts missing or with broken XML, bytes flipped) — and
nothing wider, so that a programming error still fails. Catch them only around the library's own call.
"""

from __future__ import annotations

import zipfile
import zlib

# Common to both: the zip container (BadZipFile, zlib.error, EOFError, OSError for a truncated stream),
# a missing part (KeyError), broken XML (lxml's XMLSyntaxError and ElementTree's ParseError are both
# SyntaxErrors), a value of a wrong kind (ValueError), a feature the library does not read.
_PACKAGE_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    SyntaxError,
    NotImplementedError,
)

# openpyxl's typed descriptors raise TypeError for an attribute of the wrong kind.
XLSX_READ_ERRORS: tuple[type[Exception], ...] = (*_PACKAGE_ERRORS, TypeError)

# python-docx raises AttributeError when the main document part is not a Word document.
DOCX_READ_ERRORS: tuple[type[Exception], ...] = (*_PACKAGE_ERRORS, AttributeError)
