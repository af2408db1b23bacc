"""The surveys part of the demo: the library, survey points of Thanh Miện (the service centre desk and two
villages), a few hundred answers over last year and this year (deterministic), a few flagged, answers for
the other units (for the city comparison) and the dossier counts. Dates are relative to today."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from friendlygov.org.models import Unit
from friendlygov.surveys import definitions, protection, services
from friendlygov.surveys.models import (
    Answer,
    DossierCount,
    OtherAnswer,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    SurveyLink,
)

SEED = 20260


def _weights(mood: float) -> list[float]:
    """Answer weights for 1..5; ``mood`` around 0.9 gives about 90% satisfied."""
    happy = mood
    rest = 1 - happy
    return [rest * 0.1, rest * 0.25, rest * 0.65, happy * 0.5, happy * 0.5]


def _responses(
    *,
    rng: random.Random,
    unit: Unit,
    questionnaire: Questionnaire,
    version: QuestionnaireVersion,
    links: list[SurveyLink],
    count: int,
    start: dt.date,
    end: dt.date,
    mood: float,
    receipt_prefix: str,
    flagged: int = 0,
) -> list[tuple[Response, dict[str, int], dict[str, tuple[str, list[str]]]]]:
    zone = timezone.get_default_timezone()
    now = timezone.now()
    items = definitions.item_codes(version.definition)
    questions = definitions.questions_of(version.definition)
    span = max((end - start).days, 0)
    # Some items are a little weaker than others (waiting seats, feedback handling).
    item_mood = {
        item: min(0.99, mood - (0.08 if item in ("TC.2", "PA.2") else 0) + rng.uniform(-0.03, 0.03))
        for item in items
    }
    rows = []
    for number in range(count):
        day = start + dt.timedelta(days=rng.randint(0, span))
        while day.weekday() >= 5 and span > 7:  # the centre works Monday to Friday
            day = start + dt.timedelta(days=rng.randint(0, span))
        moment = dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.randint(0, 59)), tzinfo=zone)
        moment = min(moment, now - dt.timedelta(minutes=number % 50 + 1))  # never in the future
        link = rng.choice(links) if links and (rng.random() < 0.8 or number < flagged) else None
        channel = (
            Response.Channel.ONLINE
            if link is not None
            else rng.choice([Response.Channel.PAPER, Response.Channel.PHONE])
        )
        scale: dict[str, int] = {}
        for item in items:
            if rng.random() < 0.04:
                continue  # skipped question
            scale[item] = rng.choices([1, 2, 3, 4, 5], weights=_weights(item_mood[item]))[0]
        other: dict[str, tuple[str, list[str]]] = {}
        for question in questions:
            if (
                question["type"] in ("single", "multiple", "needs")
                and question["choices"]
                and rng.random() < 0.6
            ):
                k = 1 if question["type"] == "single" else rng.randint(1, 2)
                other[question["code"]] = (
                    "",
                    rng.sample(question["choices"], k=min(k, len(question["choices"]))),
                )
            elif question["type"] == "text" and rng.random() < 0.08:
                other[question["code"]] = (
                    rng.choice(
                        [
                            "Cán bộ hướng dẫn nhiệt tình, cảm ơn Trung tâm.",
                            "Nên có thêm ghế ngồi chờ vào buổi sáng.",
                            "Mong được trả kết quả qua bưu điện.",
                            "Thủ tục nhanh hơn trước nhiều.",
                        ]
                    ),
                    [],
                )
        status = Response.Status.ACCEPTED
        reason = ""
        if number < flagged:
            status = Response.Status.FLAGGED
            reason = ["Ô ẩn chống gửi tự động đã bị điền", "Gửi quá nhanh (1.2 giây sau khi mở phiếu)"][
                number % 2
            ]
        asks_receipt = link is not None and link.receipt_mode != SurveyLink.ReceiptMode.OFF
        receipt = (
            f"{receipt_prefix}-{day:%y%m%d}-{number:04d}" if asks_receipt and rng.random() < 0.5 else None
        )
        response = Response(
            unit=unit,
            questionnaire=questionnaire,
            questionnaire_version=version,
            link=link,
            channel=channel,
            receipt_no=receipt,
            device_hash=protection.keyed_hash("device", f"demo-{unit.slug}-{number}") if link else "",
            duration_seconds=rng.randint(40, 400) if status == Response.Status.ACCEPTED else 1,
            submitted_at=moment,
            status=status,
            flag_reason=reason,
        )
        rows.append((response, scale, other))
    return rows


def _save(rows: list[tuple[Response, dict[str, int], dict[str, tuple[str, list[str]]]]]) -> None:
    created = Response.objects.bulk_create([row[0] for row in rows])
    Answer.objects.bulk_create(
        [
            Answer(response=response, item=item, value=value)
            for response, (_r, scale, _o) in zip(created, rows, strict=True)
            for item, value in scale.items()
        ],
        batch_size=2000,
    )
    OtherAnswer.objects.bulk_create(
        [
            OtherAnswer(response=response, question=code, text=text, choices=chosen)
            for response, (_r, _s, other) in zip(created, rows, strict=True)
            for code, (text, chosen) in other.items()
        ],
        batch_size=2000,
    )


def load(context: Any) -> None:
    services.ensure_library()
    rng = random.Random(SEED)
    today = timezone.localdate()
    year_start = dt.date(today.year, 1, 1)
    last_year = dt.date(today.year - 1, 1, 1)
    unit = context.unit
    sipas = Questionnaire.objects.get(unit__isnull=True, code="SIPAS-DV")
    model = Questionnaire.objects.get(unit__isnull=True, code="MH-CQTT")
    version = sipas.current_version()

    desk = SurveyLink.objects.create(
        unit=unit,
        questionnaire=sipas,
        body=context.bodies.get("PVHCC"),
        label="Bàn tiếp nhận — Trung tâm Phục vụ hành chính công",
        token="tm-hcc-ban-tiep-nhan",
        receipt_mode=SurveyLink.ReceiptMode.OPTIONAL,
    )
    village_links = [
        SurveyLink.objects.create(
            unit=unit,
            questionnaire=sipas,
            body=context.bodies.get(code),
            label=label,
            token=token,
            receipt_mode=SurveyLink.ReceiptMode.OFF,
        )
        for code, label, token in (
            ("TN", "Thôn Tháp Ngạn", "tm-thon-thap-ngan"),
            ("HB", "Thôn Hòa Bình", "tm-thon-hoa-binh"),
        )
    ]
    model_link = SurveyLink.objects.create(
        unit=unit,
        questionnaire=model,
        body=context.bodies.get("TN"),
        label="Thôn Tháp Ngạn — ý kiến về mô hình",
        token="tm-mo-hinh-thap-ngan",
        receipt_mode=SurveyLink.ReceiptMode.OFF,
    )
    links = [desk, desk, *village_links]  # the desk collects most answers

    rows = _responses(
        rng=rng,
        unit=unit,
        questionnaire=sipas,
        version=version,
        links=links,
        count=180,
        start=last_year,
        end=dt.date(today.year - 1, 12, 31),
        mood=0.86,
        receipt_prefix="TM",
    )
    rows += _responses(
        rng=rng,
        unit=unit,
        questionnaire=sipas,
        version=version,
        links=links,
        count=140,
        start=year_start,
        end=today,
        mood=0.91,
        receipt_prefix="TM",
        flagged=3,
    )
    model_version = model.current_version()
    rows += _responses(
        rng=rng,
        unit=unit,
        questionnaire=model,
        version=model_version,
        links=[model_link],
        count=40,
        start=max(year_start, today - dt.timedelta(days=120)),
        end=today,
        mood=0.88,
        receipt_prefix="MH",
    )
    for index, other in enumerate(context.other_units):
        mood = (0.84, 0.9, 0.8)[index % 3]
        rows += _responses(
            rng=rng,
            unit=other,
            questionnaire=sipas,
            version=version,
            links=[],
            count=60,
            start=last_year,
            end=today,
            mood=mood,
            receipt_prefix=other.slug[:4].upper(),
        )
    _save(rows)
    now = timezone.now()
    QuestionnaireVersion.objects.filter(pk__in=[version.pk, model_version.pk]).update(frozen_at=now)

    DossierCount.objects.create(
        unit=unit,
        start=last_year,
        end=dt.date(today.year - 1, 12, 31),
        transactions=3980,
        note=f"Báo cáo tình hình giải quyết thủ tục hành chính năm {today.year - 1} của Trung tâm Phục vụ hành chính công",
    )
    DossierCount.objects.create(
        unit=unit,
        start=year_start,
        end=dt.date(today.year, 12, 31),
        transactions=4200,
        note=f"Số hồ sơ dự kiến tiếp nhận năm {today.year} theo kế hoạch của Trung tâm Phục vụ hành chính công",
    )
    for other in context.other_units:
        DossierCount.objects.create(
            unit=other,
            start=year_start,
            end=dt.date(today.year, 12, 31),
            transactions=2500,
            note="Số hồ sơ dự kiến tiếp nhận cả năm theo báo cáo của đơn vị",
        )
    context.extra["survey_links"] = {"desk": desk, "villages": village_links}
