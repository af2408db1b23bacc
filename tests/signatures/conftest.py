from __future__ import annotations

from typing import Any

import pytest

from .pki import SOFTHSM_LIB, Pki, make_pki, softhsm_available, softhsm_token

BODY = "Ủy ban nhân dân xã Thanh Miện"


@pytest.fixture(scope="session")
def pki() -> Pki:
    """A small CA (root → signers with O and CN), made once for the run."""
    return make_pki()


@pytest.fixture(scope="session")
def token(pki: Pki, tmp_path_factory: Any) -> Any:
    """A SoftHSM2 token holding the body's key and certificate (one per run: the PKCS#11 module is loaded
    once per process and reads SOFTHSM2_CONF when it starts); skipped without SoftHSM2."""
    from friendlygov.signatures.pades import Pkcs11Key

    reason = softhsm_available()
    if reason:
        pytest.skip(reason)
    softhsm_token(
        tmp_path_factory.mktemp("softhsm"),
        pki=pki,
        label="UBND-ThanhMien",
        pin="246810",
        key_label="con-dau",
        common_name=BODY,
        organisation=BODY,
    )
    return Pkcs11Key(SOFTHSM_LIB, "UBND-ThanhMien", "246810", "con-dau")
