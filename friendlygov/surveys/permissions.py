"""What a person may do on a questionnaire, decided once.

The questionnaire's pages (its page in a unit's library and the edit page) offer an action when the
answer says so, and the services refuse it with the same answer: the person's standing
(:meth:`QuestionnairePermissions.require`: 404 for someone who may not read it, ``PermissionDenied``
without the standing) and the questionnaire's state (the service's own Vietnamese message).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from friendlygov.org import access
from friendlygov.org.access import Capability, Someone
from friendlygov.org.models import Unit
from friendlygov.surveys.models import Questionnaire


class Standing(enum.StrEnum):
    """Who the person is for a questionnaire."""

    EDIT = "edit"  # changes its content and settings: its unit's coordinator (the library's: a system admin)
    COPY = "copy"  # makes the unit's own copy: the coordinator of the unit whose library shows it


@dataclass(frozen=True)
class QuestionnairePermissions:
    """The answer of :func:`questionnaire_permissions`. The ``may_*`` flags are what the pages offer."""

    reads: bool
    edits: bool
    coordinates: bool  # coordinates the unit the questionnaire is seen from
    own: bool  # the questionnaire is that unit's own
    may_edit: bool  # content (a frozen version is kept: the change becomes the next) and settings
    may_copy: bool

    def require(self, standing: Standing) -> None:
        """404 when the person may not read the questionnaire; PermissionDenied without the standing."""
        held = {Standing.EDIT: self.edits, Standing.COPY: self.coordinates}[standing]
        access.require_standing(reads=self.reads, held=held)


def _reads(user: Someone, questionnaire: Questionnaire, unit: Unit | None) -> bool:
    """Reads the unit the questionnaire is seen from (if one is named), and the questionnaire is in a
    library the person reads: the product's (everyone's), the unit's own, the city's
    (each of its communes' library shows it) or that of a unit the person reads."""
    if unit is not None and not access.can(user, Capability.READ, unit):
        return False
    owner = questionnaire.unit
    if owner is None or (unit is not None and owner.pk in (unit.pk, unit.parent_id)):
        return True
    if access.can(user, Capability.READ, owner):
        return True
    return access.visible_units(user).filter(parent_id=owner.pk).exists()


def questionnaire_permissions(
    user: Someone, questionnaire: Questionnaire, *, unit: Unit | None = None
) -> QuestionnairePermissions:
    """What ``user`` may do on ``questionnaire`` seen from ``unit``'s library (default: its own unit)."""
    reads = _reads(user, questionnaire, unit)
    unit = unit if unit is not None else questionnaire.unit
    owner = questionnaire.unit
    if not reads:
        edits = False
    elif owner is None:
        edits = access.is_system_admin(user)
    else:
        edits = access.can(user, Capability.COORDINATE, owner)
    coordinates = reads and unit is not None and access.can(user, Capability.COORDINATE, unit)
    own = unit is not None and questionnaire.unit_id == unit.pk
    return QuestionnairePermissions(
        reads=reads,
        edits=edits,
        coordinates=coordinates,
        own=own,
        may_edit=edits,
        may_copy=coordinates and not own,
    )
