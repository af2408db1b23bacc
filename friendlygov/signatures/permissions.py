"""Who may sign an issued document or a signing request, decided once.

The signing pages offer the signing forms when the answer says so, and the services refuse with the same
answer: the person's standing (``require``: 404 for someone who may not read the unit, ``PermissionDenied``
for someone who is not the signer) and, for a signing request, its state (the service's own Vietnamese
message, "Văn bản không ở trạng thái chờ ký").
"""

from __future__ import annotations

from dataclasses import dataclass

from friendlygov.documents.models import IssuedDocument
from friendlygov.operations import permissions as operation_perms
from friendlygov.operations.models import SignatureRequest
from friendlygov.org import access
from friendlygov.org.access import Capability, Someone
from friendlygov.org.models import User
from friendlygov.rules.text import normalize_vi


@dataclass(frozen=True)
class DocumentSigningPermissions:
    """The answer of :func:`document_signing_permissions`."""

    reads: bool  # reads the issuing unit
    signer: bool  # the person named as the document's signer
    may_sign: bool  # sign on the server, upload a copy signed elsewhere

    def require(self) -> None:
        """404 when the person may not read the issuing unit; PermissionDenied for anyone but the signer."""
        access.require_standing(reads=self.reads, held=self.signer)


def _named_signer(user: Someone, document: IssuedDocument) -> bool:
    """A leader of the issuing unit (Capability.LEAD) whose name is the signer name written on the document
    (any of its leaders when the document names nobody)."""
    if not access.can(user, Capability.LEAD, document.unit):
        return False
    if not isinstance(user, User) or access.is_system_admin(user):
        return False  # the administrator manages, never signs in someone's name
    if not document.signer_name.strip():
        return True
    return normalize_vi(user.get_full_name()) == normalize_vi(document.signer_name)


def document_signing_permissions(user: Someone, document: IssuedDocument) -> DocumentSigningPermissions:
    """What ``user`` may do on the signing page of ``document`` (its issuing unit loaded or read here).
    An issued document is signed whenever its signer comes: it has no state that stops it."""
    reads = access.can(user, Capability.READ, document.unit)
    signer = reads and _named_signer(user, document)
    return DocumentSigningPermissions(reads=reads, signer=signer, may_sign=signer)


@dataclass(frozen=True)
class SigningRequestPermissions:
    """The answer of :func:`signing_request_permissions`."""

    reads: bool
    leads: bool  # signs the unit's signing requests (``operations.permissions.may_sign``)
    waiting: bool  # the request waits for the signature
    may_sign: bool  # sign its file (on the server or elsewhere), mark it signed or return it

    def require(self) -> None:
        """404 when the person may not read the unit; PermissionDenied for anyone who does not lead it."""
        access.require_standing(reads=self.reads, held=self.leads)


def signing_request_permissions(user: Someone, request: SignatureRequest) -> SigningRequestPermissions:
    """What ``user`` may do on ``request`` (its unit loaded or read here)."""
    unit = request.unit
    reads = access.can(user, Capability.READ, unit)
    leads = reads and operation_perms.may_sign(user, unit)
    waiting = request.status == SignatureRequest.Status.WAITING
    return SigningRequestPermissions(reads=reads, leads=leads, waiting=waiting, may_sign=leads and waiting)
