"""What a person may do with a unit's dossiers, decided once.

The unit's figures page offers importing and the settings when the answer says so, and the services refuse
them with the same answer (:meth:`DossierPermissions.require`: 404 for someone who may not read the unit,
``PermissionDenied`` without the standing).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from friendlygov.org import access
from friendlygov.org.access import Capability, Someone
from friendlygov.org.models import Body, Unit


class Standing(enum.StrEnum):
    """Who the person is for a unit's dossiers."""

    IMPORT = "import"  # loads the procedure-handling system's export: the coordinator or a centre's people
    CONFIGURE = "configure"  # the maximum points of the 766 figures: the coordinator


@dataclass(frozen=True)
class DossierPermissions:
    """The answer of :func:`dossier_permissions`. The ``may_*`` flags are what the unit's page offers."""

    reads: bool
    coordinates: bool
    # the coordinator, or someone working for a centre of the unit (the public-administration service
    # centre keeps the dossiers); a commune-level unit's only (a city keeps none)
    may_import: bool
    may_configure: bool

    def require(self, standing: Standing) -> None:
        """404 when the person may not read the unit; PermissionDenied without the standing."""
        held = {Standing.IMPORT: self.may_import, Standing.CONFIGURE: self.may_configure}[standing]
        access.require_standing(reads=self.reads, held=held)


def dossier_permissions(user: Someone, unit: Unit) -> DossierPermissions:
    """What ``user`` may do with ``unit``'s dossiers."""
    reads = access.can(user, Capability.READ, unit)
    coordinates = reads and access.can(user, Capability.COORDINATE, unit)
    imports = coordinates or (
        reads and any(body.kind == Body.Kind.CENTRE for body in access.work_bodies(user, unit))
    )
    return DossierPermissions(
        reads=reads,
        coordinates=coordinates,
        may_import=imports and not unit.is_city,
        may_configure=coordinates,
    )
