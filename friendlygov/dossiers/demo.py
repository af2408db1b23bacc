"""Demo dossiers: a few hundred generated, deterministic rows for Thanh Miện (last year and this year up to
today) and fewer for the other units, as if imported from the procedure-handling system."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from friendlygov.core.calendar import working_calendar
from friendlygov.dossiers.models import Channel, Dossier, DossierImport
from friendlygov.dossiers.services import deadline_of

PROCEDURES: list[tuple[str, int]] = [  # (procedure, working days to the appointment)
    ("Đăng ký khai sinh", 1),
    ("Chứng thực bản sao từ bản chính", 0),
    ("Chứng thực chữ ký", 0),
    ("Xác nhận tình trạng hôn nhân", 3),
    ("Đăng ký kết hôn", 1),
    ("Đăng ký khai tử", 1),
    ("Đăng ký thường trú", 7),
    ("Cấp giấy chứng nhận quyền sử dụng đất lần đầu", 20),
    ("Đăng ký biến động đất đai", 10),
    ("Trợ cấp xã hội hằng tháng", 10),
]


def _generate(
    unit: Any, year: int, count: int, seed: str, *, online_share: float, digitised_share: float
) -> list[Dossier]:
    rng = random.Random(int(hashlib.sha256(seed.encode()).hexdigest()[:12], 16))
    calendar = working_calendar()
    today = timezone.localdate()
    first = dt.date(year, 1, 2)
    last = min(dt.date(year, 12, 30), today - dt.timedelta(days=1))
    if last < first:
        return []
    span = (last - first).days
    rows = []
    for index in range(count):
        day = calendar.last_working_day_on_or_before(first + dt.timedelta(days=rng.randint(0, span)))
        if day < first:
            day = calendar.add_working_days(first, 1)
        procedure, days = rng.choice(PROCEDURES)
        received = timezone.make_aware(
            dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.choice((0, 15, 30, 45))))
        )
        appointment = (
            timezone.make_aware(dt.datetime.combine(calendar.add_working_days(day, days), dt.time(17, 0)))
            if days
            else None
        )
        supplements = rng.choices((0, 1, 2), weights=(85, 12, 3))[0]
        waiting = Decimal(rng.choice((1, 2, 3))) if supplements else Decimal(0)
        outcome = rng.random()
        finished: dt.datetime | None
        if appointment is None:
            finished = received + dt.timedelta(hours=1)
        elif outcome < 0.86:
            finished = appointment - dt.timedelta(hours=rng.randint(1, 30))
            finished = max(finished, received + dt.timedelta(hours=1))
        elif outcome < 0.95:
            finished = appointment + dt.timedelta(days=float(waiting) + rng.randint(1, 6))
        else:
            finished = None
        if finished is not None and finished > timezone.now():
            finished = None
        rows.append(
            Dossier(
                unit=unit,
                receipt_no=f"000.00.{unit.pk:02d}.H31-{day:%y%m%d}-{index:04d}",
                procedure=procedure,
                received=received,
                appointment=appointment,
                finished=finished,
                supplement_requests=supplements,
                waiting_days=waiting,
                channel=Channel.ONLINE
                if rng.random() < online_share
                else (Channel.POST if rng.random() < 0.05 else Channel.DIRECT),
                digitised=rng.random() < digitised_share,
                electronic_result=rng.random() < 0.6,
                deadline=deadline_of(appointment, waiting),
            )
        )
    return rows


def load(context: Any) -> None:
    if context.unit is None:
        return
    this_year = timezone.localdate().year
    plans = [(context.unit, 260, 180, 0.42, 0.78)]
    for index, unit in enumerate(context.other_units):
        plans.append((unit, 90, 60, 0.3 + 0.15 * (index % 3), 0.6 + 0.1 * (index % 3)))
    importer = context.users.get("tm.hcc")
    for unit, last_count, this_count, online, digitised in plans:
        rows = _generate(
            unit,
            this_year - 1,
            last_count,
            f"{unit.slug}-{this_year - 1}",
            online_share=online,
            digitised_share=digitised,
        )
        rows += _generate(
            unit,
            this_year,
            this_count,
            f"{unit.slug}-{this_year}",
            online_share=online + 0.05,
            digitised_share=digitised + 0.05,
        )
        if not rows:
            continue
        batch = DossierImport.objects.create(
            unit=unit,
            filename="ho-so-tu-he-thong-mot-cua.xlsx",
            sha256="0" * 64,
            rows=len(rows),
            created=len(rows),
            imported_by=importer if unit == context.unit else None,
        )
        for row in rows:
            row.source = batch
        Dossier.objects.bulk_create(rows, batch_size=500)
