"""A stand-in for ``pades.verify_pdf`` while the signing library is filled in elsewhere (branch s-pades).

A "signed" PDF here ends with ``%FAKESIG <sha256 of everything before it>``: a changed byte breaks it as it
would break a real signature's digest. Tests that need real signatures use the library when it is there."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from friendlygov.signatures import pades

MARK = b"\n%FAKESIG "


def pdf(text: str = "văn bản") -> bytes:
    return b"%PDF-1.7\n" + text.encode() + b"\n%%EOF\n"


def signed(data: bytes) -> bytes:
    return data + MARK + hashlib.sha256(data).hexdigest().encode()


@dataclass
class FakeVerification:
    signatures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return bool(self.signatures) and all(s["valid"] for s in self.signatures)

    def as_json(self) -> dict[str, Any]:
        return {"valid": self.valid, "signatures": self.signatures}


def verify_pdf(data: bytes, *, trust_roots: Sequence[bytes] = ()) -> FakeVerification:
    if not data.startswith(b"%PDF"):
        raise pades.NotAPdfError("Tệp không phải PDF.")
    body, mark, digest = data.rpartition(MARK)
    if not mark:
        return FakeVerification()
    intact = hashlib.sha256(body).hexdigest().encode() == digest
    return FakeVerification(
        [
            {
                "field": "Signature1",
                "signer": "Nguyễn Văn A",
                "organisation": "UBND xã",
                "signed_at": "2026-11-20T09:00:00+07:00",
                "intact": intact,
                "valid": intact,
                "trusted": not trust_roots,
                "covers_whole_document": True,
                "modified_after": False,
            }
        ]
    )


def library_ready() -> bool:
    try:
        pades.verify_pdf(b"")
    except NotImplementedError:
        return False
    except pades.SigningError:
        return True
    return True


@pytest.fixture
def fake_pades(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pades, "verify_pdf", verify_pdf)
