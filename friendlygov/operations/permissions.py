"""Who may do what in this area, on top of ``org.access``.

Section V of the plan gives some duties to named bodies: the Economic Office (KT) prepares the budget,
the Office of the People's Council and Committee (VP) organises conferences and gets documents signed,
the Public Service Centre (DVSNC) publicises good examples and names those that fall short. Members of
those bodies may do that work; the coordinator (Phòng VH-XH) may do all of it. Reading is open to
everyone who may read the unit; someone who may not gets 404 (``org.access.require``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from friendlygov.org.access import Capability, Someone, can, require
from friendlygov.org.models import Body, Unit
from friendlygov.rules.text import normalize_vi

ECONOMIC_OFFICE = "KT"
COUNCIL_OFFICE = "VP"
PUBLIC_SERVICE_CENTRE = "DVSNC"

DUTY_BODY_NAMES: dict[str, list[str]] = {
    ECONOMIC_OFFICE: ["Phòng Kinh tế", "Phòng Kinh tế xã"],
    COUNCIL_OFFICE: ["Văn phòng HĐND và UBND", "Văn phòng HĐND - UBND", "Văn phòng HĐND-UBND"],
    PUBLIC_SERVICE_CENTRE: ["Trung tâm Dịch vụ sự nghiệp công", "Trung tâm Dịch vụ sự nghiệp công xã"],
}


def duty_body(unit: Unit, code: str) -> Body | None:
    """The body of `unit` that holds a duty of section V (by its code, else by one of its usual names)."""
    body = Body.objects.filter(unit=unit, code=code, is_active=True).first()
    if body is not None:
        return body
    wanted = {normalize_vi(n) for n in DUTY_BODY_NAMES.get(code, [])}
    for candidate in Body.objects.filter(unit=unit, is_active=True):
        if candidate.match_keys() & wanted:
            return candidate
    return None


def _coordinates_or_works_for(user: Someone, unit: Unit, code: str) -> bool:
    if can(user, Capability.COORDINATE, unit):
        return True
    body = duty_body(unit, code)
    return body is not None and can(user, Capability.WORK, unit, body=body)


def may_coordinate(user: Someone, unit: Unit) -> bool:
    return can(user, Capability.COORDINATE, unit)


def may_record_for(user: Someone, unit: Unit, body: Body | None) -> bool:
    """Communication activities, village results: the body's own members, or the coordinator."""
    return (
        can(user, Capability.WORK, unit, body=body)
        if body is not None
        else can(user, Capability.COORDINATE, unit)
    )


def may_record_any(user: Someone, unit: Unit) -> bool:
    """Whether the user works for at least one body of the unit (to show "add" buttons)."""
    from friendlygov.org.access import work_bodies

    return can(user, Capability.COORDINATE, unit) or any(
        can(user, Capability.WORK, unit, body=b) for b in work_bodies(user, unit)
    )


def may_propose(user: Someone, unit: Unit) -> bool:
    """Recording communication work and proposing rewards: the user works for a body of the unit (or
    coordinates), so has a body to record them for."""
    return bool(duty_bodies_for(user, unit))


def may_import_households(user: Someone, unit: Unit) -> bool:
    """Household titles are imported by the villages' own people (or the coordinator)."""
    return any(b.is_village for b in duty_bodies_for(user, unit))


def may_manage_budget(user: Someone, unit: Unit) -> bool:
    return _coordinates_or_works_for(user, unit, ECONOMIC_OFFICE)


def may_organise(user: Someone, unit: Unit) -> bool:
    """Conferences and documents for signature (Văn phòng HĐND và UBND, or the coordinator)."""
    return _coordinates_or_works_for(user, unit, COUNCIL_OFFICE)


def may_publicise(user: Someone, unit: Unit) -> bool:
    """Good practices and shortfalls (Trung tâm Dịch vụ sự nghiệp công, or the coordinator)."""
    return _coordinates_or_works_for(user, unit, PUBLIC_SERVICE_CENTRE)


def may_sign(user: Someone, unit: Unit) -> bool:
    return can(user, Capability.LEAD, unit)


def may_decide_rewards(user: Someone, unit: Unit) -> bool:
    """Recording the reward decision (number, date, file) is the coordinator's (Phòng VH-XH proposes rewards
    and keeps the file; the leader signs the decision through a signature request)."""
    return can(user, Capability.COORDINATE, unit)


def require_that(user: Someone, unit: Unit, allowed: bool) -> None:
    """404 when the user may not read the unit; 403 when they may read it but `allowed` is false."""
    require(user, Capability.READ, unit)
    if not allowed:
        raise PermissionDenied


def duty_bodies_for(user: Someone, unit: Unit) -> list[Body]:
    """Bodies the user may record communication work for (every active body for the coordinator)."""
    from friendlygov.org.access import work_bodies

    return [b for b in work_bodies(user, unit) if can(user, Capability.WORK, unit, body=b)]
