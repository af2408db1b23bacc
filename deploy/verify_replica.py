"""The app against a real PostgreSQL streaming replica (run by deploy/verify-replica-pitr.sh).

With ``DATABASE_URL`` (the primary) and ``DATABASE_REPLICA_URL`` (a hot standby of it) set, checks what
docs/deployment.md §3 promises: the city's dashboards read the replica and write nothing there, a write
inside ``use_replica()`` still goes to the primary and reaches the replica within seconds, reads inside a
transaction on the primary stay on the primary, and the replica itself refuses writes. With
``--recovered`` it only checks that pages of a recovered (point-in-time) database open. Exits non-zero on
the first failed check.
"""

from __future__ import annotations

import argparse
import sys
import time


def check(condition: bool, message: str) -> None:
    print(("ok    " if condition else "FAILED ") + message)
    if not condition:
        sys.exit(1)


def replica_checks() -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connections, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from friendlygov.assessments import services
    from friendlygov.assessments.models import CityFigure
    from friendlygov.db_router import use_replica
    from friendlygov.org.models import Unit

    check("replica" in settings.DATABASES, "the settings add the replica database and the router")
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        check(cursor.fetchone()[0] is True, "the replica alias is a hot standby")
    reviewer = get_user_model().objects.get(username="sonoivu")
    client = Client()
    client.force_login(reviewer)
    for url in (
        "/thanh-pho/hai-phong/danh-gia/",
        "/thanh-pho/hai-phong/khao-sat/",
        "/thanh-pho/hai-phong/ho-so/",
        "/thanh-pho/hai-phong/danh-gia/?xuat=xlsx",
    ):
        with CaptureQueriesContext(connections["replica"]) as replica:
            status = client.get(url).status_code
        writes = [
            q["sql"] for q in replica.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")
        ]
        check(
            status == 200 and len(replica) > 0 and not writes,
            f"{url}: HTTP {status}, {len(replica)} reads on the replica, no write there",
        )
    unit = Unit.objects.get(slug="thanh-mien")
    with use_replica():  # a write inside use_replica() still goes to the primary
        started = time.perf_counter()
        figure = services.save_city_figure(
            actor=reviewer,
            unit=unit,
            year=2039,
            kind=CityFigure.Kind.PAR_INDEX,
            value="88.5",
            decision="Kiểm tra bản sao",
        )
    check(True, "a write inside use_replica() was saved (on the primary: the replica is read-only)")
    seen = None
    for _ in range(500):
        if CityFigure.objects.using("replica").filter(pk=figure.pk).exists():
            seen = time.perf_counter() - started
            break
        time.sleep(0.01)
    check(seen is not None, f"the write reached the replica after {(seen or 0) * 1000:.0f} ms")
    with transaction.atomic(), use_replica():
        CityFigure.objects.filter(pk=figure.pk).update(value="89.00")
        with CaptureQueriesContext(connections["replica"]) as replica:
            value = CityFigure.objects.get(pk=figure.pk).value
    check(str(value) == "89.00" and len(replica) == 0, "inside a transaction the read stays on the primary")
    CityFigure.objects.filter(pk=figure.pk).delete()
    try:
        with connections["replica"].cursor() as cursor:
            cursor.execute("UPDATE org_unit SET name = name")
        refused = False
    except Exception as error:  # psycopg: cannot execute UPDATE in a read-only transaction
        refused = "read-only" in str(error)
    check(refused, "the replica refuses a write sent to it directly")


def recovered_checks() -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="sonoivu"))
    for url in ("/thanh-pho/hai-phong/", "/thanh-pho/hai-phong/danh-gia/", "/don-vi/thanh-mien/"):
        status = client.get(url).status_code
        check(status == 200, f"recovered database: {url} HTTP {status}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recovered", action="store_true")
    args = parser.parse_args()
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "friendlygov.settings")
    django.setup()
    recovered_checks() if args.recovered else replica_checks()


if __name__ == "__main__":
    main()
