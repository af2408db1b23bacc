"""Generator step ``operations``: the operations area's records of every unit."""

from __future__ import annotations

import datetime as dt

from bench.citygen.common import FIRST_YEAR, WIDE_BATCH, Context, _chunks, bulk, evidence_row, log, person


def step_operations(ctx: Context) -> None:
    from friendlygov.evidence.models import EvidenceFile
    from friendlygov.operations import models as ops

    rng = ctx.rng("operations")
    as_of = ctx.as_of
    kinds = [k for k, _label in ops.CommunicationKind.choices]
    for chunk in _chunks(ctx.units, 20):
        activities, files, file_targets = [], [], []
        items, reviews, review_plans, households = [], [], [], []
        lines, nominations, meetings, decisions, practices, shortfalls, conferences, signatures = (
            [] for _ in range(8)
        )
        program_reviews = []
        for info in chunk:
            unit, coordinator = info.unit, info.users["vhxh"]
            tasks = ctx.plan_tasks.get(unit.pk, {})
            for year in ctx.years:
                last_day = min(dt.date(year, 12, 31), as_of - dt.timedelta(days=1))
                span = (last_day - dt.date(year, 1, 1)).days
                for n in range(8):
                    held = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, span))
                    activities.append(
                        ops.CommunicationActivity(
                            unit=unit, created_by=coordinator, kind=kinds[n % len(kinds)],
                            title=f"Tuyên truyền mô hình “Chính quyền thân thiện” — đợt {n + 1} năm {year}", held_on=held,
                            place="Hội trường UBND" if n % 2 else "Nhà văn hóa thôn", body=info.bodies["VHXH"],
                            audience="Cán bộ, công chức và Nhân dân", reach=rng.randint(50, 3000),
                            cost=rng.choice((0, 500_000, 1_200_000, 3_500_000)), task=tasks.get("1"), criterion_code="5.1",
                        )
                    )  # fmt: skip
                for position, text in enumerate(("Không có phản ánh có căn cứ về thái độ của cán bộ thôn",
                                                 "Thôn thực hiện công khai, dân chủ theo quy chế",
                                                 "Trên 90% hộ được tuyên truyền “4 xin, 4 luôn, 5 không”")):  # fmt: skip
                    items.append(ops.VillageReviewItem(unit=unit, created_by=coordinator, year=year, text=text,
                                                       criterion_code="5.2", position=position))  # fmt: skip
                finished = year < as_of.year
                for village in info.villages:
                    achieved = rng.random() < 0.85
                    reviews.append(
                        ops.VillageReview(
                            unit=unit, created_by=coordinator, village=village, year=year,
                            title_result=(ops.VillageReview.Title.ACHIEVED if achieved else ops.VillageReview.Title.NOT_ACHIEVED)
                            if finished else ops.VillageReview.Title.PENDING,
                            households_total=rng.randint(150, 600), reviewed_on=dt.date(year, 12, 10) if finished else None,
                        )
                    )  # fmt: skip
                    review_plans.append((len(items) - 3, finished, achieved))
                    for h in range(5):
                        head = person(rng)
                        households.append(
                            ops.HouseholdTitle(unit=unit, created_by=coordinator, village=village, year=year, head_name=head,
                                               address=f"Xóm {h + 1}", key=f"{head.lower()}|xóm {h + 1}|{h}",
                                               is_cultural=rng.random() < 0.9, source="gia-dinh-van-hoa.xlsx")
                        )  # fmt: skip
                for position, (title, estimated) in enumerate((("Làm pano, khẩu hiệu “4 xin, 4 luôn, 5 không”", 25_000_000),
                                                               ("Hội nghị quán triệt, tập huấn", 8_000_000),
                                                               ("Liên hoan văn nghệ quần chúng", 10_000_000),
                                                               ("Khen thưởng tập thể, cá nhân tiêu biểu", 6_000_000))):  # fmt: skip
                    lines.append(ops.BudgetLine(unit=unit, created_by=info.users["hcc"], year=year, title=title,
                                                source=ops.BudgetSource.STATE_COMMUNE, estimated=estimated,
                                                approved=estimated * 4 // 5, position=position, task=tasks.get("8")))  # fmt: skip
                nominations.append(
                    ops.Nomination(unit=unit, created_by=coordinator, year=year,
                                   nominee_kind=ops.Nomination.NomineeKind.COLLECTIVE, nominee_name="Trung tâm Phục vụ hành chính công",
                                   body=info.bodies["PVHCC"], proposed_by_body=info.bodies["VHXH"],
                                   achievements="Giải quyết hồ sơ đúng hạn; không có phản ánh về thái độ phục vụ.",
                                   proposed_form=ops.RewardForm.GIAY_KHEN,
                                   status=ops.Nomination.Status.AWARDED if finished else ops.Nomination.Status.PROPOSED)
                )  # fmt: skip
                if finished:
                    decisions.append(ops.RewardDecision(unit=unit, created_by=coordinator, year=year, number=f"{200 + info.index}/QĐ-UBND",
                                                        signed_on=dt.date(year, 12, 26), signer="Chủ tịch UBND",
                                                        reward_form=ops.RewardForm.GIAY_KHEN))  # fmt: skip
                    meetings.append(ops.CouncilMeeting(unit=unit, created_by=coordinator, year=year, held_on=dt.date(year, 12, 18),
                                                       place="Phòng họp UBND", chair=info.users["lanhdao"].full_name))  # fmt: skip
                practices.append(ops.GoodPractice(unit=unit, created_by=coordinator, year=year,
                                                  title="“Một lần đến — trọn việc” ở Trung tâm Phục vụ hành chính công",
                                                  summary="Công chức hướng dẫn tại cửa, hẹn trả kết quả qua Zalo.",
                                                  body=info.bodies["PVHCC"], is_published=finished))  # fmt: skip
                if rng.random() < 0.5:
                    shortfalls.append(ops.Shortfall(unit=unit, created_by=coordinator, year=year, body=rng.choice(info.villages),
                                                    reason="Chậm cập nhật bảng tin văn hóa thôn.", noted_on=dt.date(year, 10, 5),
                                                    status=ops.Shortfall.Status.RESOLVED if finished else ops.Shortfall.Status.OPEN))  # fmt: skip
                conferences.append(ops.Conference(unit=unit, created_by=coordinator, title=f"Hội nghị tổng kết công tác năm {year}",
                                                  held_on=dt.date(year, 12, 20), place="Hội trường UBND",
                                                  attendees="Các phòng, ban, đơn vị; trưởng thôn; Ủy ban MTTQ và các đoàn thể",
                                                  status=ops.Conference.Status.HELD if finished else ops.Conference.Status.SCHEDULED))  # fmt: skip
                for n, kind in enumerate((ops.SignatureRequest.DocumentKind.REPORT, ops.SignatureRequest.DocumentKind.PLAN,
                                          ops.SignatureRequest.DocumentKind.SUBMISSION)):  # fmt: skip
                    signed = finished or n > 0
                    signatures.append(ops.SignatureRequest(unit=unit, created_by=coordinator, title=f"Văn bản trình ký số {n + 1} năm {year}",
                                                           document_kind=kind, requested_by=coordinator,
                                                           status=ops.SignatureRequest.Status.SIGNED if signed else ops.SignatureRequest.Status.WAITING,
                                                           signed_on=dt.date(year, 3 + n * 3, 10) if signed else None,
                                                           decided_by=info.users["lanhdao"] if signed else None))  # fmt: skip
            for review_kind, year, first in (("midterm", 2027, FIRST_YEAR), ("final", 2030, FIRST_YEAR)):
                if year <= as_of.year:
                    completed = year < as_of.year
                    program_reviews.append(ops.ProgrammeReview(
                        unit=unit, created_by=coordinator, kind=review_kind, year=year, from_year=first,
                        title=f"{'Sơ kết' if review_kind == 'midterm' else 'Tổng kết'} thực hiện mô hình “Chính quyền thân thiện”",
                        status=ops.ProgrammeReview.Status.COMPLETED if completed else ops.ProgrammeReview.Status.DRAFT))  # fmt: skip
        activities = bulk(ctx, ops.CommunicationActivity, activities, WIDE_BATCH)
        by_unit = {info.unit.pk: info for info in chunk}
        for index, activity in enumerate(activities):
            if index % 2 == 0:
                files.append(evidence_row(ctx, info=by_unit[activity.unit_id], key="photo", title=activity.title,
                                          day=activity.held_on, body=activity.body, user=activity.created_by))  # fmt: skip
                file_targets.append(activity)
        files = bulk(ctx, EvidenceFile, files)
        bulk(ctx, ops.ActivityFile, [ops.ActivityFile(activity=a, evidence=f, added_by=a.created_by)
                                     for a, f in zip(file_targets, files, strict=True)])  # fmt: skip
        items = bulk(ctx, ops.VillageReviewItem, items)
        reviews = bulk(ctx, ops.VillageReview, reviews)
        results = []
        for review, (first_item, finished, achieved) in zip(reviews, review_plans, strict=True):
            for offset in range(3):
                met = None if not finished else (achieved or offset > 0)
                results.append(
                    ops.VillageReviewResult(review=review, item=items[first_item + offset], met=met)
                )
        bulk(ctx, ops.VillageReviewResult, results)
        bulk(ctx, ops.HouseholdTitle, households)
        bulk(ctx, ops.BudgetLine, lines)
        bulk(ctx, ops.Nomination, nominations)
        bulk(ctx, ops.RewardDecision, decisions)
        bulk(ctx, ops.CouncilMeeting, meetings)
        bulk(ctx, ops.GoodPractice, practices)
        bulk(ctx, ops.Shortfall, shortfalls)
        bulk(ctx, ops.Conference, conferences)
        bulk(ctx, ops.SignatureRequest, signatures)
        bulk(ctx, ops.ProgrammeReview, program_reviews)
        log(f"    operations: {ctx.counts.get('operations.CommunicationActivity', 0):,} activities")
