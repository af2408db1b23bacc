"""PAdES signing and verification (friendlygov.signatures.pades): a PKCS#12 file and a SoftHSM2 token made
here, a small CA, pyHanko's validator; the Decree 30 appearance at the signing place the renderer marks."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from friendlygov.signatures import appearance as look
from friendlygov.signatures.pades import (
    VN_TZ,
    Appearance,
    NotAPdfError,
    Pkcs11Key,
    Pkcs12Key,
    SignatureCheck,
    SigningError,
    Verification,
    outside_event_loop,
    sign_pdf,
    verify_pdf,
)

from .pki import Pki, local_tsa, make_pki, rendered_letter_docx, seal_png, signature_png, tiny_pdf

BODY = "Ủy ban nhân dân xã Thanh Miện"
WHEN = dt.datetime(2026, 2, 10, 9, 15, 2, tzinfo=VN_TZ)


@pytest.fixture(scope="module")
def person_p12(pki: Pki) -> Pkcs12Key:
    return Pkcs12Key(pki.pkcs12("Nguyễn Văn Bình", BODY, b"mat-khau"), b"mat-khau")


@pytest.fixture(scope="module")
def body_p12(pki: Pki) -> Pkcs12Key:
    return Pkcs12Key(pki.pkcs12(BODY, BODY, b"dau-xa"), b"dau-xa")


@outside_event_loop  # pyHanko's own validator, like the module's calls, cannot run inside Playwright's loop
def pyhanko_status(data: bytes, pki: Pki, index: int = 0) -> Any:
    from asn1crypto import x509

    root = x509.Certificate.load(pki.root_cert.public_bytes(_der()))
    reader = PdfFileReader(io.BytesIO(data))
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    return validate_pdf_signature(reader.embedded_signatures[index], signer_validation_context=context)


def _der() -> Any:
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def test_pkcs12_signature_is_pades_intact_valid_and_trusted(pki: Pki, body_p12: Pkcs12Key) -> None:
    signed = sign_pdf(tiny_pdf(), key=body_p12, appearance=Appearance(seal_image=seal_png()), now=WHEN)
    status = pyhanko_status(signed, pki)
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    reader = PdfFileReader(io.BytesIO(signed))
    sig = reader.embedded_signatures[0]
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert status.md_algorithm == "sha256"
    assert reader.xrefs.total_revisions == 2  # an incremental update of the original
    assert signed.startswith(tiny_pdf()[:20])

    result = verify_pdf(signed, trust_roots=[pki.root_pem])
    assert result.valid
    assert result.as_json() == {
        "valid": True,
        "signatures": [
            {
                "field": "Signature1",
                "signer": BODY,
                "organisation": BODY,
                "signed_at": "2026-02-10T09:15:02+07:00",
                "intact": True,
                "valid": True,
                "trusted": True,
                "covers_whole_document": True,
                "modified_after": False,
            }
        ],
    }


def test_signing_time_is_vietnam_time(body_p12: Pkcs12Key) -> None:
    utc = dt.datetime(2026, 2, 10, 2, 15, 2, 123, tzinfo=dt.UTC)
    signed = sign_pdf(tiny_pdf(), key=body_p12, appearance=Appearance(), now=utc)
    (check,) = verify_pdf(signed).signatures
    assert check.signed_at == WHEN and check.signed_at.utcoffset() == dt.timedelta(hours=7)
    sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    assert str(sig.sig_object["/M"]).startswith("D:20260210091502+07")  # /M of the signature dictionary


def test_pkcs11_token_signs(pki: Pki, token: Pkcs11Key) -> None:
    signed = sign_pdf(tiny_pdf(), key=token, appearance=Appearance(seal_image=seal_png()), now=WHEN)
    status = pyhanko_status(signed, pki)
    assert status.intact and status.valid and status.trusted
    (check,) = verify_pdf(signed, trust_roots=[pki.root_pem]).signatures
    assert (check.signer, check.organisation, check.trusted) == (BODY, BODY, True)


def test_pkcs11_without_key_label_takes_the_tokens_key(pki: Pki, token: Pkcs11Key) -> None:
    key = Pkcs11Key(token.library, token.token_label, token.pin)
    signed = sign_pdf(tiny_pdf(), key=key, appearance=Appearance(), now=WHEN)
    assert verify_pdf(signed, trust_roots=[pki.root_pem]).valid


def test_wrong_pin_and_wrong_labels_are_clear(token: Pkcs11Key) -> None:
    cases = {
        Pkcs11Key(token.library, token.token_label, "000000", token.key_label): "Mã PIN",
        Pkcs11Key(token.library, "Khong-co", token.pin): "Không tìm thấy token có nhãn “Khong-co”",
        Pkcs11Key(token.library, token.token_label, token.pin, "khac"): "không có khóa “khac”",
        Pkcs11Key("/khong/co/lib.so", token.token_label, token.pin): "Không tìm thấy thư viện PKCS#11",
    }
    for key, message in cases.items():
        with pytest.raises(SigningError, match=message):
            sign_pdf(tiny_pdf(), key=key, appearance=Appearance())


def test_wrong_password_not_a_pdf_and_bad_image_are_clear(person_p12: Pkcs12Key) -> None:
    with pytest.raises(SigningError, match="Mật khẩu tệp PKCS#12 không đúng"):
        sign_pdf(tiny_pdf(), key=Pkcs12Key(person_p12.data, b"sai"), appearance=Appearance())
    with pytest.raises(SigningError, match="Mật khẩu tệp PKCS#12 không đúng"):
        sign_pdf(tiny_pdf(), key=Pkcs12Key(b"not a p12", b"x"), appearance=Appearance())
    with pytest.raises(NotAPdfError, match="không phải là PDF"):
        sign_pdf(b"PK\x03\x04 a zip", key=person_p12, appearance=Appearance())
    with pytest.raises(NotAPdfError):
        verify_pdf(b"%PDF-1.7 broken")
    with pytest.raises(SigningError, match="ảnh chữ ký"):
        sign_pdf(tiny_pdf(), key=person_p12, appearance=Appearance(role="person", signature_image=b"GIF89a"))


def test_a_byte_changed_in_the_signed_range_breaks_the_signature(pki: Pki, body_p12: Pkcs12Key) -> None:
    signed = sign_pdf(tiny_pdf(), key=body_p12, appearance=Appearance(), now=WHEN)
    at = signed.index(b"page 1")
    tampered = signed[:at] + b"P" + signed[at + 1 :]
    result = verify_pdf(tampered, trust_roots=[pki.root_pem])
    assert not result.valid
    (check,) = result.signatures
    assert not check.intact and not check.valid


def test_second_signature_keeps_the_first_valid(pki: Pki, person_p12: Pkcs12Key, body_p12: Pkcs12Key) -> None:
    first = sign_pdf(
        tiny_pdf(),
        key=person_p12,
        appearance=Appearance(role="person", signature_image=signature_png()),
        now=WHEN,
    )
    second = sign_pdf(first, key=body_p12, appearance=Appearance(seal_image=seal_png()), now=WHEN)
    assert second.startswith(first)  # incremental
    result = verify_pdf(second, trust_roots=[pki.root_pem])
    assert result.valid
    person, body = result.signatures
    assert (person.field, person.signer, body.field, body.signer) == (
        "Signature1",
        "Nguyễn Văn Bình",
        "Signature2",
        BODY,
    )
    assert person.intact and person.valid and person.trusted
    assert not person.covers_whole_document and not person.modified_after  # only a signature came after
    assert body.covers_whole_document
    assert pyhanko_status(second, pki, 0).bottom_line


def test_a_later_change_that_is_not_a_signature_is_reported(pki: Pki, body_p12: Pkcs12Key) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = sign_pdf(tiny_pdf(), key=body_p12, appearance=Appearance(), now=WHEN)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 30 Tf 90 600 Td (Sua) Tj ET")
    )
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    (check,) = verify_pdf(out.getvalue(), trust_roots=[pki.root_pem]).signatures
    assert check.intact and check.modified_after and not check.covers_whole_document


def test_rfc3161_timestamp_from_the_tsa(pki: Pki, body_p12: Pkcs12Key) -> None:
    with local_tsa(pki) as url:
        signed = sign_pdf(tiny_pdf(), key=body_p12, appearance=Appearance(), tsa_url=url, now=WHEN)
    status = pyhanko_status(signed, pki)
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
    assert status.timestamp_validity.valid
    (check,) = verify_pdf(signed, trust_roots=[pki.root_pem]).signatures
    assert check.intact and check.valid and check.trusted


def test_an_unreachable_tsa_is_clear(body_p12: Pkcs12Key) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SigningError, match="Không lấy được dấu thời gian"):
        sign_pdf(tiny_pdf(), key=body_p12, appearance=Appearance(), tsa_url=f"http://127.0.0.1:{port}/")


def test_no_signature_is_not_valid() -> None:
    result = verify_pdf(tiny_pdf())
    assert result.signatures == [] and not result.valid
    assert result.as_json() == {"valid": False, "signatures": []}


def test_trust_only_in_the_roots_given(pki: Pki, body_p12: Pkcs12Key) -> None:
    signed = sign_pdf(tiny_pdf(), key=body_p12, appearance=Appearance(), now=WHEN)
    without = verify_pdf(signed)
    assert without.valid and not without.signatures[0].trusted  # no roots: not asked, not trusted
    other = make_pki("CA khác")
    elsewhere = verify_pdf(signed, trust_roots=[other.root_pem])
    assert not elsewhere.valid and not elsewhere.signatures[0].trusted
    with pytest.raises(SigningError, match="chứng thư gốc"):
        verify_pdf(signed, trust_roots=[b"-----BEGIN CERTIFICATE-----\nbad\n-----END CERTIFICATE-----\n"])


def test_verification_valid_rules() -> None:
    def check(**changes: Any) -> SignatureCheck:
        base: dict[str, Any] = {
            "field": "Signature1",
            "signer": "A",
            "organisation": "B",
            "signed_at": None,
            "intact": True,
            "valid": True,
            "trusted": False,
            "covers_whole_document": True,
            "modified_after": False,
        }
        return SignatureCheck(**{**base, **changes})

    assert Verification([check()]).valid
    assert not Verification([check()], trust_required=True).valid
    assert Verification([check(trusted=True)], trust_required=True).valid
    assert not Verification([check(), check(intact=False)]).valid
    assert check().as_json()["signed_at"] is None


# --- appearance and placement ---------------------------------------------------------------------------


def field_rects(data: bytes) -> dict[str, tuple[int, tuple[float, ...]]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    found = {}
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/FT") == "/Sig":
                found[str(annot["/T"])] = (index, tuple(float(v) for v in annot["/Rect"]))
    return found


def test_without_a_mark_the_signature_goes_bottom_right_of_the_last_page(body_p12: Pkcs12Key) -> None:
    signed = sign_pdf(tiny_pdf(pages=2), key=body_p12, appearance=Appearance(seal_image=seal_png()), now=WHEN)
    page, (x1, y1, x2, y2) = field_rects(signed)["Signature1"]
    assert page == 1
    assert x1 > 595 / 3 and x2 < 595 and y2 < 842 / 3


def test_seal_true_size_over_a_third_of_the_signature(person_p12: Pkcs12Key, body_p12: Pkcs12Key) -> None:
    first = sign_pdf(
        tiny_pdf(),
        key=person_p12,
        appearance=Appearance(role="person", signature_image=signature_png()),
        now=WHEN,
    )
    second = sign_pdf(first, key=body_p12, appearance=Appearance(seal_image=seal_png()), now=WHEN)
    rects = field_rects(second)
    _, (sx1, sy1, sx2, sy2) = rects["Signature1"]
    _, (bx1, by1, bx2, by2) = rects["Signature2"]
    seal_mm = 472 / 300 * 25.4  # the test seal: 472 px at 300 dpi
    assert seal_mm == pytest.approx(40, abs=0.1)
    # The body's field starts at the seal's left edge; the seal's right edge is a third into the signature.
    assert sx1 + (sx2 - sx1) / 3 - seal_mm * look.MM == pytest.approx(bx1, abs=1.5)
    assert bx2 - bx1 >= seal_mm * look.MM - 1


def test_text_appearance_without_images_uses_times_compatible_font(body_p12: Pkcs12Key) -> None:
    signed = sign_pdf(tiny_pdf(), key=body_p12, appearance=Appearance(), now=WHEN)
    assert b"LiberationSerif" in signed
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(signed))
    annot = reader.pages[0]["/Annots"][0].get_object()
    stream = annot["/AP"]["/N"].get_object()
    assert b"/FTimes 10 Tf" in stream.get_data()


def test_vn_time() -> None:
    assert look.vn_time(WHEN) == "10/02/2026 09:15:02 +07:00"


@pytest.mark.libreoffice
def test_renderer_marks_the_signing_place(
    pki: Pki, person_p12: Pkcs12Key, body_p12: Pkcs12Key, tmp_path: Path
) -> None:
    from friendlygov.documents.pdf import docx_to_pdf, soffice_available

    if not soffice_available():
        pytest.skip("LibreOffice (soffice) is not installed")
    pdf = docx_to_pdf(rendered_letter_docx())
    anchor = look.find_anchor(pdf)
    assert anchor.marked and anchor.page == 0
    # Centred on the signer's name in the right-hand column of the footer (A4: 595 pt wide).
    assert 330 < anchor.cx < 480
    from pypdf import PdfReader

    assert "FGSign" not in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()  # nothing shows in the text

    first = sign_pdf(
        pdf, key=person_p12, appearance=Appearance(role="person", signature_image=signature_png()), now=WHEN
    )
    second = sign_pdf(first, key=body_p12, appearance=Appearance(seal_image=seal_png()), now=WHEN)
    rects = field_rects(second)
    _, (x1, y1, x2, y2) = rects["Signature1"]
    assert y1 >= anchor.foot - 1 and y2 <= anchor.foot + look.SPACE_PT + 1  # above the name, in the space
    assert x1 < anchor.cx < x2
    result = verify_pdf(second, trust_roots=[pki.root_pem])
    assert result.valid and all(s.trusted for s in result.signatures)
    (tmp_path / "signed.pdf").write_bytes(second)
