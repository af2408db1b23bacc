"""Generator step ``dossiers``: administrative procedure dossiers."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from bench.citygen.common import FIRST_YEAR, Context, aware, bulk, log, shares


def step_dossiers(ctx: Context) -> None:
    from friendlygov.dossiers.demo import PROCEDURES
    from friendlygov.dossiers.models import Channel, Dossier, DossierImport, DossierSettings
    from friendlygov.dossiers.services import deadline_of

    rng = ctx.rng("dossiers")
    wd = ctx.workdays
    as_of = ctx.as_of
    now = aware(as_of, 7)
    days = wd.between(dt.date(FIRST_YEAR, 1, 2), as_of - dt.timedelta(days=1))
    counts = shares(ctx.size.dossiers, [u.weight for u in ctx.units])
    imports = bulk(
        ctx,
        DossierImport,
        [
            DossierImport(unit=info.unit, filename=f"ho-so-mot-cua-{year}.xlsx", sha256=hashlib.sha256(f"{info.unit.pk}-{year}".encode()).hexdigest(),
                          imported_by=info.users["hcc"])
            for info in ctx.units
            for year in ctx.years
        ],
    )  # fmt: skip
    import_of = {(i.unit_id, int(i.filename[-9:-5])): i for i in imports}
    bulk(ctx, DossierSettings, [DossierSettings(unit=info.unit) for info in ctx.units])
    per_import: dict[int, int] = {}
    for chunk_start in range(0, len(ctx.units), 5):
        rows = []
        for info in ctx.units[chunk_start : chunk_start + 5]:
            late_share = 1 - info.on_time
            for index in range(counts[info.index]):
                day = rng.choice(days)
                procedure, length = rng.choice(PROCEDURES)
                received = aware(day, rng.randint(7, 16), rng.choice((0, 15, 30, 45)))
                appointment = aware(wd.add(day, length), 17) if length else None
                late = rng.random() < late_share
                supplements = 2 if late and rng.random() < 0.1 else rng.choices((0, 1), weights=(88, 12))[0]
                waiting = Decimal(rng.choice((1, 2, 3))) if supplements else Decimal(0)
                deadline = deadline_of(appointment, waiting)
                finished: dt.datetime | None
                if deadline is None:
                    finished = received + dt.timedelta(hours=1)
                elif late and supplements < 2:
                    finished = deadline + dt.timedelta(days=rng.randint(1, 6))
                else:
                    finished = max(
                        received + dt.timedelta(hours=1), deadline - dt.timedelta(hours=rng.randint(1, 40))
                    )
                if finished > now:
                    finished = None
                source = import_of[(info.unit.pk, day.year)]
                per_import[source.pk] = per_import.get(source.pk, 0) + 1
                rows.append(
                    Dossier(
                        unit=info.unit, receipt_no=f"000.00.{info.index:03d}.H31-{day:%y%m%d}-{index:05d}", procedure=procedure,
                        received=received, appointment=appointment, finished=finished, supplement_requests=supplements,
                        waiting_days=waiting,
                        channel=Channel.ONLINE if rng.random() < info.online_share
                        else (Channel.POST if rng.random() < 0.05 else Channel.DIRECT),
                        digitised=rng.random() < info.digitised_share, electronic_result=rng.random() < 0.6,
                        deadline=deadline, source=source,
                    )
                )  # fmt: skip
        bulk(ctx, Dossier, rows)
        log(
            f"    dossiers: {min(chunk_start + 5, len(ctx.units))}/{len(ctx.units)} units, {ctx.counts.get('dossiers.Dossier', 0):,} dossiers"
        )
    for pk, n in per_import.items():
        DossierImport.objects.filter(pk=pk).update(rows=n, created=n)
