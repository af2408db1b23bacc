"""The rewards registers: nominations, examples of good practice, units that fell short."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from friendlygov.operations import forms as f
from friendlygov.operations import permissions as perms
from friendlygov.operations import selectors, services
from friendlygov.operations.models import CouncilMeeting, GoodPractice, Nomination, RewardForm, Shortfall
from friendlygov.operations.params import choice_of, int_or_none, query_of, year_of, years_around
from friendlygov.org import access
from friendlygov.org.models import Body, Unit

from .base import Column, Editor, EditPage, Export, Listing, ListPage, Register
from .office import YearStatusFilter, year_status_context, year_status_filter

# ------------------------------------------------------------------------------------------ nominations


def nomination_filter(request: HttpRequest) -> selectors.NominationFilter:
    return selectors.NominationFilter(
        year=year_of(request),
        status=choice_of(request, "trang_thai", Nomination.Status),
        nominee_kind=choice_of(request, "doi_tuong", Nomination.NomineeKind),
        body_id=int_or_none(request.GET.get("co_quan")),
        query=query_of(request),
    )


def _rewards_context(p: ListPage[selectors.NominationFilter, Nomination]) -> dict[str, Any]:
    year = p.filters.year or selectors.today().year
    return {
        "f": p.filters,
        "year": year,
        "years": years_around(p.unit, year),
        "statuses": Nomination.Status.choices,
        "nominee_kinds": Nomination.NomineeKind.choices,
        "bodies": Body.objects.filter(unit=p.unit, is_active=True),
        "meetings": CouncilMeeting.objects.filter(unit=p.unit, year=year).prefetch_related(
            "members", "nominations"
        ),
        "decisions": selectors.decisions(p.unit, year),
        "figures": selectors.reward_figures(unit=p.unit, year=year),
        "may_nominate": perms.may_propose(p.request.user, p.unit),
    }


NOMINATION_COLUMNS: tuple[Column[Nomination], ...] = (
    Column("Năm", lambda n: n.year),
    Column("Đối tượng", lambda n: n.get_nominee_kind_display()),
    Column("Tên cá nhân, tập thể", lambda n: n.nominee_name),
    Column("Chức vụ, nơi công tác", lambda n: n.position_title),
    Column("Cơ quan đề nghị", lambda n: n.proposed_by_body.name),
    Column("Thành tích", lambda n: n.achievements),
    Column("Hình thức đề nghị", lambda n: n.get_proposed_form_display()),
    Column("Trạng thái", lambda n: n.get_status_display()),
    Column("Quyết định", lambda n: str(n.decision) if n.decision else ""),
    Column("Hình thức khen thưởng", lambda n: n.decision.get_reward_form_display() if n.decision else ""),
    Column("Số hoạt động", lambda n: len(n.activities.all())),
    Column("Số nhiệm vụ", lambda n: len(n.tasks.all())),
    Column("Số minh chứng", lambda n: len(n.evidence.all())),
)


def fetch_nomination(request: HttpRequest, unit: Unit, pk: int) -> Nomination:
    return access.get_object_for(
        request.user,
        Nomination.objects.filter(unit=unit).select_related("body", "proposed_by_body", "decision", "unit"),
        pk=pk,
    )


def _nomination_kwargs(p: EditPage[Nomination]) -> dict[str, Any]:
    return {
        "unit": p.unit,
        "year": p.year,
        "proposers": perms.duty_bodies_for(p.request.user, p.unit),
        "tasks": selectors.task_choices(p.unit),
        "initial": f.NominationForm.initial_for(p.item)
        if p.item
        else {"nominee_kind": Nomination.NomineeKind.INDIVIDUAL, "proposed_form": RewardForm.GIAY_KHEN},
    }


def _nominate(p: EditPage[Nomination], form: f.NominationForm) -> Nomination:
    assert p.year is not None  # the register has years
    d = form.cleaned_data
    return services.nominate(
        actor=p.request.user,
        unit=p.unit,
        year=p.year,
        proposed_by_body=d["proposed_by_body"],
        activities=d["activities"],
        tasks=d["tasks"],
        uploads=d["uploads"],
        **form.service_fields(),
    )


def _update_nomination(p: EditPage[Nomination], nomination: Nomination, form: f.NominationForm) -> Nomination:
    d = form.cleaned_data
    return services.update_nomination(
        actor=p.request.user,
        nomination=nomination,
        expected_version=d["version"],
        activities=d["activities"],
        tasks=d["tasks"],
        uploads=d["uploads"],
        **form.service_fields(),
    )


def _rewards_url(unit: Unit, year: int | None) -> str:
    return reverse("operations:rewards", args=[unit.slug]) + f"?nam={year}"


NOMINATIONS: Register[selectors.NominationFilter] = Register(
    key="rewards",
    title=gettext_lazy("Khen thưởng"),
    model=Nomination,
    filters=nomination_filter,
    permission=perms.may_propose,
    listing=Listing(
        template="operations/rewards.html",
        tab="rewards",
        select=selectors.nominations,
        context=_rewards_context,
    ),
    export=Export(
        rows=selectors.nominations,
        columns=NOMINATION_COLUMNS,
        filename=lambda unit, flt: f"khen-thuong-{unit.slug}-{flt.year}.xlsx",
        sheet=lambda flt: "Đề nghị khen thưởng",
        title=lambda unit, flt: f"Đề nghị khen thưởng năm {flt.year} — {unit.full_name}",
    ),
    editor=Editor(
        form=f.NominationForm,
        fetch=fetch_nomination,
        item_permission=lambda user, unit, n: services.may_edit_nomination(user, n),
        year=lambda n: n.year,
        form_kwargs=_nomination_kwargs,
        create=_nominate,
        update=_update_nomination,
        message=lambda p: _("Đã lưu đề nghị khen thưởng."),
        title=lambda p: (
            _("Sửa đề nghị khen thưởng") if p.item else _("Đề nghị khen thưởng năm %(y)s") % {"y": p.year}
        ),
        back=lambda p: _rewards_url(p.unit, p.year),
        done=lambda p, saved: reverse("operations:nomination_detail", args=[p.unit.slug, saved.pk]),
        page=lambda p: {
            "multipart": True,
            "intro": _(
                "Khen thưởng, biểu dương cá nhân, tập thể có thành tích tiêu biểu (tháng 12 hằng năm)."
            ),
        },
    ),
)


# ------------------------------------------------------------------------------------------ good practices


@dataclass(frozen=True)
class GoodPracticeFilter:
    year: int
    query: str = ""
    flag: str = ""  # "co": published only, "khong": not published only

    @property
    def published(self) -> bool | None:
        return {"co": True, "khong": False}.get(self.flag)


def good_practice_filter(request: HttpRequest) -> GoodPracticeFilter:
    return GoodPracticeFilter(
        year=year_of(request), query=query_of(request), flag=request.GET.get("cong_khai", "")
    )


def good_practice_list(unit: Unit, flt: GoodPracticeFilter) -> list[GoodPractice]:
    return selectors.good_practices(unit, year=flt.year, query=flt.query, published=flt.published)


GOOD_PRACTICE_COLUMNS: tuple[Column[GoodPractice], ...] = (
    Column("Năm", lambda g: g.year),
    Column("Tiêu đề", lambda g: g.title),
    Column("Nội dung", lambda g: g.summary),
    Column("Cơ quan, thôn", lambda g: g.body.name if g.body else ""),
    Column("Đã công khai", lambda g: "có" if g.is_published else "không"),
)


def _good_practices_url(unit: Unit, year: int | None) -> str:
    return reverse("operations:good_practices", args=[unit.slug]) + f"?nam={year}"


def _practice_kwargs(p: EditPage[GoodPractice]) -> dict[str, Any]:
    practice = p.item
    initial = (
        {k: getattr(practice, k) for k in ("title", "summary", "version")}
        | {"body": practice.body_id, "nomination": practice.nomination_id, "activity": practice.activity_id}
        if practice
        else {}
    )
    return {"unit": p.unit, "initial": initial}


def _add_practice(p: EditPage[GoodPractice], form: f.GoodPracticeForm) -> GoodPractice:
    assert p.year is not None  # the register has years
    return services.add_good_practice(actor=p.request.user, unit=p.unit, year=p.year, **form.service_fields())


def _update_practice(
    p: EditPage[GoodPractice], practice: GoodPractice, form: f.GoodPracticeForm
) -> GoodPractice:
    return services.update_good_practice(
        actor=p.request.user,
        practice=practice,
        expected_version=form.cleaned_data["version"],
        **form.service_fields(),
    )


GOOD_PRACTICES: Register[GoodPracticeFilter] = Register(
    key="good_practices",
    title=gettext_lazy("Cách làm hay, điển hình"),
    model=GoodPractice,
    filters=good_practice_filter,
    permission=perms.may_publicise,
    listing=Listing(
        template="operations/good_practices.html",
        tab="rewards",
        select=good_practice_list,
        context=lambda p: {
            "year": p.filters.year,
            "years": years_around(p.unit, p.filters.year),
            "query": p.filters.query,
            "flag": p.filters.flag,
        },
    ),
    export=Export(
        rows=good_practice_list,
        columns=GOOD_PRACTICE_COLUMNS,
        filename=lambda unit, flt: f"dien-hinh-{unit.slug}-{flt.year}.xlsx",
        sheet=lambda flt: "Cách làm hay",
        title=lambda unit, flt: f"Cách làm hay, điển hình năm {flt.year} — {unit.full_name}",
    ),
    editor=Editor(
        form=f.GoodPracticeForm,
        fetch=lambda request, unit, pk: access.get_object_for(
            request.user, GoodPractice.objects.filter(unit=unit), pk=pk
        ),
        year=lambda practice: practice.year,
        form_kwargs=_practice_kwargs,
        create=_add_practice,
        update=_update_practice,
        message=lambda p: _("Đã lưu cách làm hay."),
        title=lambda p: _("Cách làm hay, điển hình năm %(y)s") % {"y": p.year},
        back=lambda p: _good_practices_url(p.unit, p.year),
        done=lambda p, saved: _good_practices_url(p.unit, p.year),
    ),
)


# ------------------------------------------------------------------------------------------ shortfalls


def shortfall_list(unit: Unit, flt: YearStatusFilter) -> list[Shortfall]:
    return selectors.shortfall_list(unit, year=flt.year, status=flt.status, query=flt.query)


SHORTFALL_COLUMNS: tuple[Column[Shortfall], ...] = (
    Column("Năm", lambda s: s.year),
    Column("Đơn vị, cá nhân", lambda s: s.name),
    Column("Lý do", lambda s: s.reason),
    Column("Ngày ghi nhận", lambda s: s.noted_on),
    Column("Trạng thái", lambda s: s.get_status_display()),
    Column("Kết quả khắc phục", lambda s: s.resolution_note),
)


def _shortfalls_url(unit: Unit, year: int | None) -> str:
    return reverse("operations:shortfalls", args=[unit.slug]) + f"?nam={year}"


def _shortfall_kwargs(p: EditPage[Shortfall]) -> dict[str, Any]:
    item = p.item
    initial = (
        {
            k: getattr(item, k)
            for k in ("subject", "reason", "noted_on", "status", "resolution_note", "version")
        }
        | {"body": item.body_id}
        if item
        else {"noted_on": selectors.today()}
    )
    return {"unit": p.unit, "initial": initial}


def _new_shortfall_fields(p: EditPage[Shortfall], form: f.ShortfallForm) -> None:
    if not p.item:  # status and resolution come later
        del form.fields["status"]
        del form.fields["resolution_note"]


def _record_shortfall(p: EditPage[Shortfall], form: f.ShortfallForm) -> Shortfall:
    assert p.year is not None  # the register has years
    return services.record_shortfall(actor=p.request.user, unit=p.unit, year=p.year, **form.service_fields())


def _update_shortfall(p: EditPage[Shortfall], item: Shortfall, form: f.ShortfallForm) -> Shortfall:
    d = form.cleaned_data
    return services.update_shortfall(
        actor=p.request.user,
        shortfall=item,
        expected_version=d["version"],
        status=d.get("status") or None,
        resolution_note=d.get("resolution_note"),
        **form.service_fields(),
    )


SHORTFALLS: Register[YearStatusFilter] = Register(
    key="shortfalls",
    title=gettext_lazy("Thực hiện chưa nghiêm túc"),
    model=Shortfall,
    filters=year_status_filter(Shortfall.Status),
    permission=perms.may_publicise,
    listing=Listing(
        template="operations/shortfalls.html",
        tab="rewards",
        select=shortfall_list,
        context=year_status_context(Shortfall.Status),
    ),
    export=Export(
        rows=shortfall_list,
        columns=SHORTFALL_COLUMNS,
        filename=lambda unit, flt: f"chua-nghiem-tuc-{unit.slug}-{flt.year}.xlsx",
        sheet=lambda flt: "Chưa nghiêm túc",
        title=lambda unit, flt: (
            f"Đơn vị thực hiện chưa nghiêm túc năm {flt.year} (nội bộ) — {unit.full_name}"
        ),
    ),
    editor=Editor(
        form=f.ShortfallForm,
        fetch=lambda request, unit, pk: access.get_object_for(
            request.user, Shortfall.objects.filter(unit=unit), pk=pk
        ),
        year=lambda item: item.year,
        form_kwargs=_shortfall_kwargs,
        adjust=_new_shortfall_fields,
        create=_record_shortfall,
        update=_update_shortfall,
        message=lambda p: _("Đã lưu."),
        title=lambda p: _("Đơn vị thực hiện chưa nghiêm túc (nội bộ)"),
        back=lambda p: _shortfalls_url(p.unit, p.year),
        done=lambda p, saved: _shortfalls_url(p.unit, p.year),
        page=lambda p: {"intro": _("Danh sách này chỉ dùng trong nội bộ, không hiện trên trang công khai.")},
    ),
)
