"""The assessment part of the demo: the city's library (the provisional Hải Phòng set and the two
reference sets), last year's recognised cycle of Thanh Miện, this year's cycle partly scored with
evidence, the other units' registrations in different states, and a few published city figures.
Everything goes through the services (so the audit is real); dates are relative to today."""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from friendlygov.assessments import criteria as crit
from friendlygov.assessments import selectors, services, sources
from friendlygov.assessments.models import (
    CityFigure,
    Cycle,
    JointProposal,
    JointReview,
    Recognition,
    Registration,
    ScoreEntry,
)
from friendlygov.core.calendar import working_calendar
from friendlygov.org.access import Actor
from friendlygov.rules.programme import (
    PILOT_YEAR,
    ProgrammeStage,
    Step,
    YearEvents,
    programme_stage,
    year_events,
)
from friendlygov.rules.scoring import result_to_json
from friendlygov.rules.text import strip_diacritics


def tiny_pdf(text: str = "Minh chung") -> bytes:
    """A small valid one-page PDF (Helvetica, the text without diacritics)."""
    safe = (
        strip_diacritics(text)
        .encode("ascii", "replace")
        .decode()
        .replace("\\", "/")
        .replace("(", "[")
        .replace(")", "]")
    )
    lines = [safe[i : i + 80] for i in range(0, min(len(safe), 800), 80)] or [""]
    content = "BT /F1 12 Tf 50 790 Td 16 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    stream = zlib.compress(content.encode("ascii"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length "
        + str(len(stream)).encode()
        + b" /Filter /FlateDecode >>\nstream\n"
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def pdf_upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")


# Last year's values (the provisional Hải Phòng set): about 87,7 points — level 2.
LAST_YEAR = {
    "1.1.1": "1180/1200",
    "1.1.2": "520/1200",
    "1.1.3": "900/1200",
    "1.1.4": "có",
    "2.1": "3",
    "2.2": "22/24",
    "2.3": "4",
    "2.4": "2,5",
    "3.1": "12",
    "3.3": "có",
    "4.1": "3",
    "4.2": "3",
    "4.3": "5",
    "5.1": "5",
    "5.2": "3/4",
    "5.3": "46/50",
    "5.4": "có",
    "B": "0",
    "K1": "có",
}
ASSIGNMENTS = {
    "1": "PVHCC",
    "2": "VP",
    "2.3": "VHXH",
    "3": "VHXH",
    "4": "VP",
    "4.2": "PVHCC",
    "5": "VHXH",
    "5.2": "TN",
    "B": "VHXH",
    "K1": "VP",
}


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    """``day`` at ``hour``, never after now (a step done today is done by now)."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), timezone.now())


def _score(cycle: Cycle, actor: Actor, code: str, value: str, explanation: str = "") -> None:
    """Type a value; a criterion bound to a measured figure takes the figure instead (accepted when there is
    one; a past year without records in the system keeps its year-end figure, with the reason)."""
    leaf = crit.parsed(cycle.criteria_set).criterion(code)
    if leaf is None or not leaf.source:
        services.save_score(
            actor=actor, cycle=cycle, criterion_code=code, value=value, explanation=explanation
        )
    elif sources.read_source(leaf.source, unit=cycle.unit, year=cycle.year).available:
        services.accept_measured(actor=actor, cycle=cycle, criterion_code=code)
    elif cycle.year < timezone.localdate().year:
        services.override_measured(
            actor=actor,
            cycle=cycle,
            criterion_code=code,
            value=value,
            reason=explanation or "Số liệu tổng hợp cuối năm; hồ sơ của năm chưa nhập vào hệ thống.",
        )


def _complete_cycle(context: Any, criteria_set: Any, year: int, events: YearEvents, target: str) -> Cycle:
    """A year the commune went through on time: registered, scored, submitted, appraised and recognised,
    each step dated on its day of the programme's calendar."""
    unit, users, bodies = context.unit, context.users, context.bodies
    reviewer, leader, coordinator = users["sonoivu"], users["tm.lanhdao"], users["tm.vhxh"]
    cycle = services.open_cycle(actor=reviewer, unit=unit, year=year, criteria_set=criteria_set)
    services.register_target(actor=leader, cycle=cycle, target_level=target, note="Theo kế hoạch của xã.")
    services.decide_registration(
        actor=reviewer, registration=Registration.objects.get(cycle=cycle), accept=True
    )
    if not cycle.assignments.exists():  # later years copy the previous year's assignments
        for code, body_code in ASSIGNMENTS.items():
            services.assign_criterion(
                actor=coordinator, cycle=cycle, criterion_code=code, body=bodies[body_code]
            )
    for code, value in LAST_YEAR.items():
        _score(
            cycle,
            coordinator,
            code,
            value,
            explanation="Số liệu tổng hợp cuối năm của Phòng Văn hóa - Xã hội.",
        )
    services.attach_evidence(
        actor=coordinator,
        cycle=cycle,
        criterion_code="5.1",
        upload=pdf_upload("bao-cao-tuyen-truyen.pdf", f"Bao cao tuyen truyen nam {year}"),
        effective_date=events.village_reviews,
        title=f"Báo cáo công tác tuyên truyền năm {year}",
    )
    _past_joint_scoring(context, cycle)
    _date_joint_scoring(cycle, events)
    services.submit_cycle(actor=leader, cycle=cycle, acknowledge_issues=True)
    _freeze_sipas(cycle, year)
    cycle.refresh_from_db()
    _appraise(context, cycle, year, events)
    cycle.refresh_from_db()
    final_level = (cycle.final_result.get("level") or {}).get("code")
    if final_level:
        services.recognise(
            actor=reviewer,
            cycle=cycle,
            decision_number=f"{3120 + 17 * (year - PILOT_YEAR)}/QĐ-UBND",
            decision_date=events.recognised,
            signer="Phó Chủ tịch UBND thành phố",
            level_code=final_level,
            upload=pdf_upload(
                "quyet-dinh-cong-nhan.pdf", f"Quyet dinh cong nhan Chinh quyen than thien nam {year}"
            ),
        )
        Recognition.objects.filter(cycle=cycle).update(recognised_at=_aware(events.recognised, 15))
    _backdate(cycle, events, Step.RECOGNISED)
    return cycle


JOINT_AGREED = ("1.1.4", "2.1", "2.2", "2.3", "4.2")


def _past_joint_scoring(context: Any, cycle: Cycle) -> None:
    """A past year's joint scoring: the Fatherland Front and the Party Building Board agree with most
    criteria, each proposes another score for one; the coordinator accepts the first and declines the
    second with a reason (the minutes of the joint scoring record both)."""
    users = context.users
    front, party, coordinator = users["tm.mttq"], users["tm.bxdd"], users["tm.vhxh"]
    for actor in (front, party):
        for code in JOINT_AGREED:
            services.agree_score(actor=actor, cycle=cycle, criterion_code=code)
    accepted = services.propose_score(
        actor=front,
        cycle=cycle,
        criterion_code="2.4",
        value="2",
        reason="Còn ý kiến cử tri phản ánh lịch tiếp công dân chưa thuận tiện cho người đi làm.",
    )
    declined = services.propose_score(
        actor=party,
        cycle=cycle,
        criterion_code="3.1",
        value="11",
        reason="Một công chức bị nhắc nhở về chấp hành giờ giấc làm việc.",
    )
    services.decide_proposal(actor=coordinator, proposal=accepted, accept=True)
    services.decide_proposal(
        actor=coordinator,
        proposal=declined,
        accept=False,
        reason="Việc nhắc nhở đã được khắc phục ngay trong tháng, không thuộc trường hợp trừ điểm.",
    )


def _date_joint_scoring(cycle: Cycle, events: YearEvents) -> None:
    """The joint scorers' opinions a week before the settling meeting, the meeting three working days before
    the submission (from 14:00, a criterion every 45 minutes): the services date them now."""
    calendar = working_calendar()
    meeting = calendar.add_working_days(events.submitted, -3)
    opinions = _aware(calendar.add_working_days(meeting, -5), 10)
    JointReview.objects.filter(cycle=cycle).update(reviewed_at=opinions)
    JointProposal.objects.filter(cycle=cycle).update(proposed_at=opinions)
    start = timezone.make_aware(dt.datetime.combine(meeting, dt.time(14)))
    decided = JointProposal.objects.filter(cycle=cycle, decided_at__isnull=False).order_by(
        "criterion_code", "id"
    )
    for index, proposal in enumerate(decided):
        moment = min(start + dt.timedelta(minutes=45 * index), timezone.now())
        JointProposal.objects.filter(pk=proposal.pk).update(decided_at=moment)


def _freeze_sipas(cycle: Cycle, year: int) -> None:
    """The commune's own SIPAS survey of the year, frozen at submission (the survey area loads later)."""
    entry = ScoreEntry.objects.filter(cycle=cycle, criterion_code="3.2").first()
    if entry is not None and not entry.value:
        ScoreEntry.objects.filter(pk=entry.pk).update(
            value="88.5%", source_label=f"Khảo sát SIPAS năm {year} của xã (364 phiếu)"
        )
        cycle.refresh_from_db()
        data = selectors.load_cycle_data(cycle)
        Cycle.objects.filter(pk=cycle.pk).update(
            submitted_result=result_to_json(data.result("consolidated")),
            summary=selectors.submission_summary(data),
        )


def _par_index(index: int) -> str:
    return f"{84.5 - index * 1.7:.2f}"


def _publish_par_index(context: Any, year: int, events: YearEvents) -> None:
    """The city publishes the year's PAR INDEX of its units after the self-assessments, before appraising."""
    if CityFigure.objects.filter(unit=context.unit, year=year, kind="par_index").exists():
        return
    published = par_index_published(events)
    if published > timezone.localdate():
        return
    for index, each in enumerate([context.unit, *context.other_units]):
        services.save_city_figure(
            actor=context.users["sonoivu"],
            unit=each,
            year=year,
            kind="par_index",
            value=_par_index(index),
            decision=f"Quyết định 812/QĐ-UBND ngày {published:%d/%m/%Y} của UBND thành phố (công bố Chỉ số CCHC năm {year})",
            published_on=published,
        )


def par_index_published(events: YearEvents) -> dt.date:
    """The day the city publishes the year's PAR INDEX: between the self-assessments and the appraisal."""
    return events.submitted + (events.appraised - events.submitted) // 2


def _appraise(context: Any, cycle: Cycle, year: int, events: YearEvents) -> None:
    reviewer = context.users["sonoivu"]
    _publish_par_index(context, year, events)
    services.appraise_criterion(
        actor=reviewer,
        cycle=cycle,
        criterion_code="4.3",
        accept=False,
        value="4,5",
        reason="Khuôn viên phía sau trụ sở chưa được chỉnh trang như báo cáo.",
    )
    services.appraise_criterion(actor=reviewer, cycle=cycle, criterion_code="1.1.1", accept=True)
    par = CityFigure.objects.filter(unit=cycle.unit, year=year, kind="par_index").first()
    if par is not None:
        services.appraise_criterion(
            actor=reviewer,
            cycle=cycle,
            criterion_code="1.2",
            accept=False,
            value=f"{par.value}%".replace(".", ","),
            reason=f"Theo Chỉ số CCHC năm {year} thành phố công bố ngày {par.published_on:%d/%m/%Y}.",
        )
    services.finish_appraisal(actor=reviewer, cycle=cycle)


def _backdate(cycle: Cycle, events: YearEvents, step: Step) -> None:
    """Date the steps done so far on their days of the calendar (the services date them now)."""
    Registration.objects.filter(cycle=cycle).update(
        registered_at=_aware(events.registered), decided_at=_aware(events.accepted)
    )
    fields: dict[str, Any] = {}
    if step >= Step.SUBMITTED:
        fields["submitted_at"] = _aware(events.submitted)
    if step >= Step.APPRAISED:
        fields["appraised_at"] = _aware(events.appraised, 16)
    if fields:
        Cycle.objects.filter(pk=cycle.pk).update(**fields)
    # the plan's events of these steps, on the same days
    from friendlygov.plans.demo import redate_event

    actor = cycle.opened_by
    for registration in Registration.objects.filter(cycle=cycle):
        redate_event(
            actor=actor,
            unit=cycle.unit,
            source=f"assessments.registration:{registration.pk}",
            day=events.registered,
        )
    if step >= Step.SUBMITTED:
        redate_event(
            actor=actor, unit=cycle.unit, source=f"assessments.cycle:{cycle.pk}", day=events.submitted
        )


def load(context: Any) -> None:
    today = timezone.localdate()
    stage = programme_stage(today, working_calendar())
    year, events = stage.year, stage.events
    city, unit, users = context.city, context.unit, context.users
    reviewer, leader, coordinator = users["sonoivu"], users["tm.lanhdao"], users["tm.vhxh"]
    hcc, front, party = users["tm.hcc"], users["tm.mttq"], users["tm.bxdd"]

    hp = services.load_template(actor=reviewer, city=city, name="hai-phong-provisional")
    services.load_template(actor=reviewer, city=city, name="dong-nai-54-2025")
    services.load_template(actor=reviewer, city=city, name="bac-giang")

    # the city-run SIPAS of last year for two units
    last = year - 1
    for each, value in [(unit, "88.50"), (context.other_units[0], "91.20")]:
        services.save_city_figure(
            actor=reviewer,
            unit=each,
            year=last,
            kind="sipas",
            value=value,
            decision=f"Thông báo 45/TB-SNV của Sở Nội vụ (kết quả khảo sát SIPAS năm {last})",
        )

    # ---- the complete years, from the pilot year: registered, scored, appraised and recognised on time
    from friendlygov.plans import selectors as plan_selectors

    for done in stage.complete_years:
        target = "2" if done == PILOT_YEAR else plan_selectors.target_level_for(unit=unit, year=done) or "3"
        _complete_cycle(context, hp, done, year_events(done), target)

    # ---- this year: as far as the calendar has come (the deadlines are the plan's: 15/02, 12/11, 31/12)
    current = services.open_cycle(actor=reviewer, unit=unit, year=year, criteria_set=hp)
    if not stage.reached(Step.REGISTERED):
        _other_units(context, hp, year)
        return
    target = plan_selectors.target_level_for(unit=unit, year=year) or "3"
    level_name = f"mức độ {target}"
    services.register_target(
        actor=leader,
        cycle=current,
        target_level=target,
        note=f"Năm {year} phấn đấu đạt {level_name} theo kế hoạch.",
    )
    services.decide_registration(
        actor=reviewer, registration=Registration.objects.get(cycle=current), accept=True
    )
    _backdate(current, events, Step.REGISTERED)
    evidence_day = max(events.accepted, min(today - dt.timedelta(days=30), events.village_reviews))
    evidence_day = min(evidence_day, today)
    current.refresh_from_db()
    # the measured criteria (1.1.1–1.1.3, 4.1, 5.1–5.3) are accepted by the later step, once the year's
    # dossiers, feedback, villages' reviews and communication work are in (``finish``)
    services.attach_evidence(
        actor=hcc,
        cycle=current,
        criterion_code="1.1.1",
        upload=pdf_upload("so-lieu-tthc.pdf", "So lieu giai quyet TTHC"),
        effective_date=evidence_day,
        title="Báo cáo số liệu giải quyết thủ tục hành chính",
    )
    notice = services.attach_evidence(
        actor=hcc,
        cycle=current,
        criterion_code="1.1.4",
        upload=pdf_upload("niem-yet-tthc.pdf", "Anh chup khu vuc niem yet TTHC"),
        effective_date=evidence_day,
        title="Ảnh khu vực niêm yết thủ tục hành chính",
    )
    services.save_score(actor=hcc, cycle=current, criterion_code="1.1.4", value="có")
    # the same photo file also proves the service centre's layout (one file, several criteria)
    services.attach_evidence(actor=hcc, cycle=current, criterion_code="4.2", evidence=notice.evidence)
    services.save_score(actor=hcc, cycle=current, criterion_code="4.2", value="3", ticked=[0, 1, 3])
    services.attach_evidence(
        actor=coordinator,
        cycle=current,
        criterion_code="5.1",
        upload=pdf_upload("ke-hoach-tuyen-truyen.pdf", "Ke hoach tuyen truyen"),
        effective_date=evidence_day,
        title="Kế hoạch tuyên truyền mô hình Chính quyền thân thiện",
    )
    services.save_score(
        actor=coordinator,
        cycle=current,
        criterion_code="3.1",
        value="11",
        explanation="Theo kết quả kiểm tra công vụ gần nhất.",
    )
    services.save_score(actor=coordinator, cycle=current, criterion_code="2.3", value="4")
    services.attach_evidence(
        actor=coordinator,
        cycle=current,
        criterion_code="2.3",
        note="Biên bản hội nghị thôn (bản giấy lưu tại Phòng Văn hóa - Xã hội)",
    )
    services.save_score(
        actor=coordinator,
        cycle=current,
        criterion_code="2.4",
        value="4",
        explanation="Lãnh đạo xã tiếp dân đầy đủ, không có phản ánh.",
    )
    services.propose_score(
        actor=front,
        cycle=current,
        criterion_code="2.4",
        value="3",
        reason="Còn hai ý kiến cử tri về thời gian tiếp dân chưa thuận tiện.",
    )
    services.propose_score(
        actor=party,
        cycle=current,
        criterion_code="3.1",
        value="10",
        reason="Một công chức bị nhắc nhở về giờ giấc.",
    )
    # a plan task's evidence already in the system proves the communication criterion too
    from friendlygov.evidence.models import EvidenceFile

    plan_file = EvidenceFile.objects.filter(
        unit=unit, assessment_links__isnull=True, effective_date__year=year
    ).first()
    if plan_file is not None:
        services.attach_evidence(actor=coordinator, cycle=current, criterion_code="5.1", evidence=plan_file)
    _other_units(context, hp, year)


def finish(context: Any) -> None:
    """The later demo step (after the dossiers, feedback, surveys and operations steps): this year's measured
    figures accepted by their scorers, then — as far as the calendar has come — the submission, the city's
    appraisal and recognition, each on its day."""
    stage = programme_stage(timezone.localdate(), working_calendar())
    if not stage.reached(Step.REGISTERED):
        return
    cycle = Cycle.objects.get(unit=context.unit, year=stage.year)
    _accept_measured(context, cycle)
    if stage.reached(Step.SUBMITTED):
        _submit_this_year(context, cycle, stage.events, stage)


def _accept_measured(context: Any, cycle: Cycle) -> None:
    """Self-scoring through the year: each scorer accepts the measured figure of a criterion bound to a source
    when the system has one (the service centre its dossier rates, the culture office the rest)."""
    users = context.users
    for leaf in crit.parsed(cycle.criteria_set).leaves():
        if leaf.source and sources.read_source(leaf.source, unit=cycle.unit, year=cycle.year).available:
            actor = users["tm.hcc"] if leaf.code.startswith("1.") else users["tm.vhxh"]
            services.accept_measured(actor=actor, cycle=cycle, criterion_code=leaf.code)


def _submit_this_year(context: Any, cycle: Cycle, events: YearEvents, stage: ProgrammeStage) -> None:
    """The rest of the year once the calendar has passed the submission: the joint scorers' proposals
    settled, every criterion scored, the report sent; then the city's appraisal and recognition."""
    users = context.users
    coordinator, leader, reviewer = users["tm.vhxh"], users["tm.lanhdao"], users["sonoivu"]
    for proposal in JointProposal.objects.filter(cycle=cycle, status=JointProposal.Status.PENDING):
        services.decide_proposal(
            actor=coordinator,
            proposal=proposal,
            accept=proposal.criterion_code == "2.4",
            reason=""
            if proposal.criterion_code == "2.4"
            else "Đã xác minh: công chức đã khắc phục ngay trong tháng.",
        )
    _date_joint_scoring(cycle, events)
    # the year's bonus: the good practice the commune recognised (operations' good practices)
    _score(
        cycle,
        coordinator,
        "B",
        "2",
        explanation="Cách làm hay “Một lần đến — trọn việc” của Trung tâm Phục vụ hành chính công được UBND xã "
        "công nhận, áp dụng trong năm.",
    )
    scored = set(
        ScoreEntry.objects.filter(cycle=cycle).exclude(value="").values_list("criterion_code", flat=True)
    )
    for code, value in LAST_YEAR.items():
        if code not in scored:
            _score(
                cycle,
                coordinator,
                code,
                value,
                explanation="Số liệu tổng hợp đến tháng 10 của Phòng Văn hóa - Xã hội.",
            )
    services.submit_cycle(actor=leader, cycle=cycle, acknowledge_issues=True)
    _freeze_sipas(cycle, stage.year)
    cycle.refresh_from_db()
    _publish_par_index(context, stage.year, events)
    if stage.reached(Step.APPRAISED):
        _appraise(context, cycle, stage.year, events)
        cycle.refresh_from_db()
    final_level = (cycle.final_result.get("level") or {}).get("code") if cycle.final_result else None
    if stage.reached(Step.RECOGNISED) and final_level:
        services.recognise(
            actor=reviewer,
            cycle=cycle,
            decision_number=f"{3120 + 17 * (stage.year - PILOT_YEAR)}/QĐ-UBND",
            decision_date=events.recognised,
            signer="Phó Chủ tịch UBND thành phố",
            level_code=final_level,
            upload=pdf_upload(
                "quyet-dinh-cong-nhan.pdf", f"Quyet dinh cong nhan Chinh quyen than thien nam {stage.year}"
            ),
        )
        Recognition.objects.filter(cycle=cycle).update(recognised_at=_aware(events.recognised, 15))
    _backdate(cycle, events, stage.step)


def _other_units(context: Any, hp: Any, year: int) -> None:
    """The other units' registrations of this year in different states (the plan's deadlines), sent on the
    calendar's day. From the submission step on, the city has settled them all (the unit asked to change
    registers again at the level advised) and they follow the year like the rest of the city's units."""
    users, reviewer = context.users, context.users["sonoivu"]
    events = year_events(year)
    today = timezone.localdate()
    settled = today >= events.submitted
    others = list(context.other_units)
    states = [
        ("4", "accept", ""),
        ("2", "pending", ""),
        ("4", "changes", "Đề nghị đăng ký mức độ 3: năm trước đơn vị chưa đạt mức độ 2."),
        ("3", "accept", ""),
        ("3", "pending", ""),
    ]
    joined: list[tuple[Cycle, str]] = []
    for other, (level, state, reason) in zip(others, states, strict=False):
        cycle = services.open_cycle(
            actor=reviewer,
            unit=other,
            year=year,
            criteria_set=hp,
        )
        # units without a leader account in the demo register through the system administrator
        leader_of = users.get("gl.lanhdao") if other.slug == "gia-loc" else None
        services.register_target(actor=leader_of or users["admin"], cycle=cycle, target_level=level)
        registration = Registration.objects.get(cycle=cycle)
        if state == "accept" or (settled and state == "pending"):
            services.decide_registration(actor=reviewer, registration=registration, accept=True)
        elif state == "changes":
            services.decide_registration(
                actor=reviewer, registration=registration, accept=False, reason=reason
            )
            if settled:
                level = "3"
                services.register_target(actor=users["admin"], cycle=cycle, target_level=level)
                services.decide_registration(
                    actor=reviewer, registration=Registration.objects.get(cycle=cycle), accept=True
                )
        _date_registration(registration, events, state, settled)
        if other.slug == "gia-loc":
            gl = users.get("gl.vhxh")
            if gl is not None:
                cycle.refresh_from_db()
                for code in ("1.1.1", "1.1.4", "3.3", "5.4"):
                    _score(
                        cycle,
                        gl,
                        code,
                        LAST_YEAR.get(code, "có"),
                        explanation="Số liệu của Phòng Văn hóa - Xã hội xã Gia Lộc.",
                    )
        if settled:
            joined.append((cycle, level))
    _light_units(context, hp, year, joined)


def _date_registration(registration: Registration, events: YearEvents, state: str, settled: bool) -> None:
    """The registration sent on the calendar's day (once it has come) and decided a week later; a changed
    one sent again a few working days after the city's request; a pending one settled just before the
    submissions."""
    today = timezone.localdate()
    if today <= events.registered:
        return  # sent today
    calendar = working_calendar()
    registered, decided = events.registered, events.accepted
    if state == "changes" and settled:
        registered = calendar.add_working_days(events.accepted, 3)
        decided = calendar.add_working_days(events.accepted, 5)
    elif state == "pending":
        decided = calendar.add_working_days(events.submitted, -10)
    fields: dict[str, Any] = {"registered_at": _aware(registered)}
    if state != "pending" or settled:
        fields["decided_at"] = _aware(decided, 15)
    Registration.objects.filter(pk=registration.pk).update(**fields)


def _light_units(context: Any, hp: Any, year: int, joined: list[tuple[Cycle, str]]) -> None:
    """The rest of the city's units, where a real city's would be today (:mod:`.demo_city`)."""
    from friendlygov.assessments.demo_city import light_units

    light_units(context, hp, year, joined)
