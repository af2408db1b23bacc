"""The communication register: activities of communication work (section V.1 of the plan)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from friendlygov.operations import forms as f
from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import CommunicationActivity, CommunicationKind
from friendlygov.operations.params import choice_of, int_or_none, query_of, year_of, years_around
from friendlygov.org import access
from friendlygov.org.models import Body, Unit

from .base import Column, Editor, EditPage, Export, Listing, ListPage, Register

Activity = CommunicationActivity


def activity_filter(request: HttpRequest) -> selectors.ActivityFilter:
    g = request.GET
    quarter = int_or_none(g.get("quy"))
    return selectors.ActivityFilter(
        year=year_of(request),
        quarter=quarter if quarter in (1, 2, 3, 4) else None,
        kind=choice_of(request, "loai", CommunicationKind),
        body_id=int_or_none(g.get("co_quan")),
        criterion=g.get("tieu_chi", "").strip()[:30],
        task_id=int_or_none(g.get("nhiem_vu")),
        query=query_of(request),
    )


def _list_context(p: ListPage[selectors.ActivityFilter, Activity]) -> dict[str, Any]:
    year = p.filters.year
    return {
        "f": p.filters,
        "year": year,
        "years": years_around(p.unit, year or 0),
        "kinds": CommunicationKind.choices,
        "bodies": Body.objects.filter(unit=p.unit, is_active=True),
        "totals": {"reach": sum(a.reach for a in p.items), "cost": sum(a.cost for a in p.items)},
        "figures": selectors.communication_figures(unit=p.unit, year=year or selectors.today().year),
    }


COLUMNS: tuple[Column[Activity], ...] = (
    Column("Ngày", lambda a: a.held_on),
    Column("Hình thức", lambda a: a.get_kind_display()),
    Column("Nội dung", lambda a: a.title),
    Column("Địa điểm, kênh", lambda a: a.place),
    Column("Cơ quan thực hiện", lambda a: a.body.name),
    Column("Đối tượng", lambda a: a.audience),
    Column("Số lượt người", lambda a: a.reach),
    Column("Kinh phí (đồng)", lambda a: a.cost),
    Column("Nhiệm vụ kế hoạch", lambda a: f"{a.task.number}. {a.task.text[:120]}" if a.task else ""),
    Column("Mã tiêu chí", lambda a: a.criterion_code),
    Column("Số tệp minh chứng", lambda a: len(a.files.all())),
    Column("Mô tả", lambda a: a.description),
)


def fetch_activity(request: HttpRequest, unit: Unit, pk: int) -> Activity:
    return access.get_object_for(
        request.user,
        Activity.objects.filter(unit=unit).select_related("body", "task", "unit", "created_by"),
        pk=pk,
    )


def _form_kwargs(p: EditPage[Activity]) -> dict[str, Any]:
    bodies = perms.duty_bodies_for(p.request.user, p.unit)
    if p.item is None:
        initial: dict[str, Any] = {
            "held_on": selectors.today(),
            "reach": 0,
            "body": bodies[0].pk if len(bodies) == 1 else None,
        }
    else:
        if p.item.body not in bodies:
            bodies.append(p.item.body)
        initial = f.ActivityForm.initial_for(p.item)
    return {"unit": p.unit, "bodies": bodies, "tasks": selectors.task_choices(p.unit), "initial": initial}


def _create(p: EditPage[Activity], form: f.ActivityForm) -> Activity:
    return services.record_activity(
        actor=p.request.user, unit=p.unit, uploads=form.cleaned_data["photos"], **form.service_fields()
    )


def _update(p: EditPage[Activity], activity: Activity, form: f.ActivityForm) -> Activity:
    return services.update_activity(
        actor=p.request.user,
        activity=activity,
        expected_version=form.cleaned_data["version"],
        uploads=form.cleaned_data["photos"],
        **form.service_fields(),
    )


def _detail(unit: Unit, activity: Activity) -> str:
    return reverse("operations:activity_detail", args=[unit.slug, activity.pk])


ACTIVITIES: Register[selectors.ActivityFilter] = Register(
    key="activities",
    title=gettext_lazy("Tuyên truyền"),
    model=Activity,
    filters=activity_filter,
    permission=perms.may_propose,
    listing=Listing(
        template="operations/activities.html",
        tab="communication",
        select=selectors.activities,
        context=_list_context,
        per_page=30,
    ),
    export=Export(
        rows=selectors.activities,
        columns=COLUMNS,
        filename=lambda unit, flt: f"tuyen-truyen-{unit.slug}-{flt.year}.xlsx",
        sheet=lambda flt: "Tuyên truyền",
        title=lambda unit, flt: f"Hoạt động tuyên truyền năm {flt.year} — {unit.full_name}",
    ),
    editor=Editor(
        form=f.ActivityForm,
        fetch=fetch_activity,
        form_kwargs=_form_kwargs,
        create=_create,
        update=_update,
        item_permission=lambda user, unit, a: perms.may_record_for(user, unit, a.body),
        message=lambda p: _("Đã lưu thay đổi.") if p.item else _("Đã ghi hoạt động tuyên truyền."),
        title=lambda p: _("Sửa hoạt động tuyên truyền") if p.item else _("Ghi hoạt động tuyên truyền"),
        back=lambda p: (
            _detail(p.unit, p.item) if p.item else reverse("operations:activities", args=[p.unit.slug])
        ),
        done=lambda p, saved: _detail(p.unit, saved),
        page=lambda p: {"multipart": True, "places": f.PLACES, "activity": p.item},
    ),
)
