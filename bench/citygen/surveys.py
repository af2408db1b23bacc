"""Generator step ``surveys``: questionnaires and survey answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bench.citygen.common import FIRST_YEAR, WIDE_BATCH, Context, aware, bulk, log, shares


def step_surveys(ctx: Context) -> None:
    from django.utils import timezone

    from friendlygov.surveys import definitions, protection, services
    from friendlygov.surveys.models import (
        Answer,
        OtherAnswer,
        Questionnaire,
        QuestionnaireVersion,
        Response,
        SurveyLink,
    )

    rng = ctx.rng("surveys")
    services.ensure_library()
    sipas = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    version = sipas.current_version()
    items = definitions.item_codes(version.definition)
    questions = [q for q in definitions.questions_of(version.definition) if q["type"] in ("single", "needs")]
    links = []
    for info in ctx.units:
        unit, slug = info.unit, info.unit.slug
        links.append(SurveyLink(unit=unit, questionnaire=sipas, body=info.bodies["PVHCC"],
                                label="Bàn tiếp nhận — Trung tâm Phục vụ hành chính công", token=f"{slug}-ban-tiep-nhan"[:32],
                                receipt_mode=SurveyLink.ReceiptMode.OPTIONAL))  # fmt: skip
        links.append(SurveyLink(unit=unit, questionnaire=sipas, body=info.bodies["PVHCC"], label="Kiosk tại Trung tâm",
                                token=f"{slug}-kiosk"[:32], channel=SurveyLink.Channel.KIOSK,
                                receipt_mode=SurveyLink.ReceiptMode.OFF))  # fmt: skip
        for village in info.villages[:2]:
            links.append(SurveyLink(unit=unit, questionnaire=sipas, body=village, label=village.name,
                                    token=f"{slug[:24]}-{village.code.lower()}", receipt_mode=SurveyLink.ReceiptMode.OFF))  # fmt: skip
    links = bulk(ctx, SurveyLink, links)
    links_of: dict[int, list[Any]] = {}
    link: Any
    for each in links:
        links_of.setdefault(each.unit_id, []).append(each)

    days = ctx.workdays.between(dt.date(FIRST_YEAR, 1, 5), ctx.as_of - dt.timedelta(days=1))
    counts = shares(ctx.size.responses, [u.weight for u in ctx.units])
    first_year = days[0].year
    for chunk_start in range(0, len(ctx.units), 10):
        chunk = ctx.units[chunk_start : chunk_start + 10]
        responses: list[Any] = []
        plans: list[tuple[dict[str, int], list[tuple[str, list[str]]]]] = []
        for info in chunk:
            unit_links = links_of[info.unit.pk]
            desk, kiosk = unit_links[0], unit_links[1]
            mood_of_item = {item: info.sipas_mood + rng.uniform(-0.015, 0.015) for item in items}
            for number in range(counts[info.index]):
                day = rng.choice(days)
                moment = aware(day, rng.randint(7, 16), rng.randint(0, 59))
                roll = rng.random()
                link = (
                    desk
                    if roll < 0.45
                    else kiosk
                    if roll < 0.65
                    else rng.choice(unit_links)
                    if roll < 0.8
                    else None
                )
                channel = (
                    Response.Channel.KIOSK if link is kiosk else Response.Channel.ONLINE if link is not None
                    else rng.choice([Response.Channel.PAPER, Response.Channel.PAPER, Response.Channel.PHONE])
                )  # fmt: skip
                status, reason = Response.Status.ACCEPTED, ""
                flag = rng.random()
                if flag < 0.012:
                    status, reason = Response.Status.FLAGGED, "Gửi quá nhanh (1.4 giây sau khi mở phiếu)"
                elif flag < 0.016:
                    status, reason = Response.Status.REJECTED, "Thiết bị này đã gửi phiếu trong 24 giờ qua"
                receipt = (
                    f"{info.unit.code}-{day:%y%m%d}-{number:05d}"
                    if link is desk and rng.random() < 0.5
                    else None
                )
                responses.append(
                    Response(
                        unit=info.unit, questionnaire=sipas, questionnaire_version=version, link=link, channel=channel,
                        receipt_no=receipt,
                        device_hash=protection.keyed_hash("device", f"bench-{info.unit.pk}-{number}") if link else "",
                        duration_seconds=rng.randint(40, 400) if status == Response.Status.ACCEPTED else 1,
                        submitted_at=moment, status=status, flag_reason=reason,
                        entered_by=None if link else info.users["hcc"],
                    )
                )  # fmt: skip
                drift = (day.year - first_year) * 0.002
                scale: dict[str, int] = {}
                for item in items:
                    if rng.random() < 0.03:
                        continue
                    if rng.random() < min(0.97, mood_of_item[item] + drift):
                        scale[item] = 5 if rng.random() < 0.45 else 4
                    else:
                        r = rng.random()
                        scale[item] = 3 if r < 0.65 else 2 if r < 0.9 else 1
                other = []
                if questions and rng.random() < 0.35:
                    question = rng.choice(questions)
                    other.append((question["code"], [rng.choice(question["choices"])]))
                plans.append((scale, other))
        responses = bulk(ctx, Response, responses, WIDE_BATCH)
        answers = []
        others = []
        for response, (scale, other) in zip(responses, plans, strict=True):
            rid = response.pk
            for item, value in scale.items():
                answers.append(Answer(response_id=rid, item=item, value=value))
            for code, chosen in other:
                others.append(OtherAnswer(response_id=rid, question=code, text="", choices=chosen))
        bulk(ctx, Answer, answers, 5000)
        bulk(ctx, OtherAnswer, others)
        log(
            f"    surveys: {min(chunk_start + 10, len(ctx.units))}/{len(ctx.units)} units, {ctx.counts.get('surveys.Answer', 0):,} answers"
        )
    QuestionnaireVersion.objects.filter(pk=version.pk).update(frozen_at=timezone.now())
