"""Pages of the electronic submission: the commune sends its dossier; the city lists what it received and
sees each file's signatures checked; both download the package (it verifies offline with
`friendlygov documents verify-package`)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from friendlygov.kit.downloads import download_response
from friendlygov.org import access
from friendlygov.org.access import AuthenticatedRequest, Capability
from friendlygov.submissions import selectors, services

ZIP = "application/zip"


@login_required
def unit_packages(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    unit = access.get_unit_for(request.user, slug)
    if unit.is_city:
        return redirect("submissions:city_packages", slug=unit.slug)
    request.current_unit = unit  # type: ignore[attr-defined]
    can_send = access.can(request.user, Capability.LEAD, unit)
    errors: list[str] = []
    if request.method == "POST":
        access.require(request.user, Capability.LEAD, unit)
        year_text = request.POST.get("year", "")
        try:
            if not year_text.isdigit():
                raise ValidationError({"year": _("Hãy chọn năm của hồ sơ.")})
            package = services.send_package(actor=request.user, unit=unit, year=int(year_text))
        except ValidationError as exc:
            errors = [str(m) for m in exc.messages]
        else:
            messages.success(
                request,
                _("Đã gửi hồ sơ điện tử năm %(year)s; thành phố nhận với số đến %(n)s.")
                % {"year": package.year, "n": package.receipt_number},
            )
            return redirect("submissions:package", pk=package.pk)
    context = {
        "unit": unit,
        "can_send": can_send,
        "years": selectors.sendable_years(unit),
        "packages": selectors.unit_packages(unit),
        "errors": errors,
    }
    return render(request, "submissions/unit.html", context, status=422 if errors else 200)


@login_required
def city_packages(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    city = access.get_unit_for(request.user, slug, Capability.APPRAISE)
    if not city.is_city:
        return redirect("submissions:unit_packages", slug=city.slug)
    request.current_unit = city  # type: ignore[attr-defined]
    return render(request, "submissions/city.html", {"unit": city, "packages": selectors.city_packages(city)})


@login_required
def package(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.readable_package(request.user, pk)
    request.current_unit = found.unit  # type: ignore[attr-defined]
    check = selectors.check_package(found)
    for file in check.result["files"]:
        for signature in file.get("signatures", []):
            signature["signed_at_time"] = _moment(signature.get("signed_at"))
    return render(request, "submissions/package.html", {"package": found, "check": check, "unit": found.unit})


def _moment(text: object) -> dt.datetime | None:
    """The signing time of a verify report (ISO 8601) as a datetime, for the page's dd/mm/yyyy hh:mm."""
    if not isinstance(text, str):
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


@login_required
def package_file(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.readable_package(request.user, pk)
    return download_response(selectors.package_bytes(found), found.file_name, ZIP)
