#!/usr/bin/env bash
# Checks on one machine what docs/deployment.md §3 and §6 describe, with real PostgreSQL servers:
#   1. a streaming replica (pg_basebackup -R, a replication slot, a read-only role) that the app's
#      dashboards read through DATABASE_REPLICA_URL while every write goes to the primary
#      (deploy/verify_replica.py);
#   2. a point-in-time recovery: WAL archived by archive_command, a base backup, a row written before the
#      target time and one after; the copy recovered to that time holds the first, not the second, and
#      the app serves its pages from it.
# Root on Debian/Ubuntu with PostgreSQL installed and its "main" cluster running (as .ci/run sets it up,
# with the role friendlygov/friendlygov), from the repository root after `make install`. Creates the
# database friendlygov_verify and the clusters fgreplica (port 5433) and fgpitr (5434), turns WAL
# archiving on in the main cluster for the run, and undoes all of it at the end, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

PGV=$(pg_lsclusters -h | awk '$2 == "main" { print $1; exit }')
[ -n "$PGV" ] || { echo "no PostgreSQL cluster named main"; exit 1; }
DB=friendlygov_verify
ARCHIVE=/var/lib/postgresql/fg-wal-archive
WORK=$(mktemp -d -t friendlygov-verify-XXXXXX)
chown postgres "$WORK"
PY=.venv/bin/python
as_pg() { runuser -u postgres -- "$@"; }
sql() { as_pg env PGOPTIONS='-c client_min_messages=warning' psql -qAt -d "${2:-postgres}" -c "$1"; }

cleanup() {
    set +e
    for cluster in fgpitr fgreplica; do
        pg_lsclusters -h | awk '{ print $2 }' | grep -qx "$cluster" && pg_dropcluster --stop "$PGV" "$cluster"
    done
    sql "SELECT pg_drop_replication_slot('fgreplica') FROM pg_replication_slots WHERE slot_name = 'fgreplica'" >/dev/null
    sql "ALTER SYSTEM RESET archive_mode" && sql "ALTER SYSTEM RESET archive_command"
    pg_ctlcluster "$PGV" main restart
    sql "DROP DATABASE IF EXISTS $DB"
    sql "DROP ROLE IF EXISTS fg_replicator" && sql "DROP ROLE IF EXISTS fg_readonly"
    rm -rf "$ARCHIVE" "$WORK"
}
trap cleanup EXIT

echo "== the primary: WAL archiving on, a database with the demo data"
install -d -o postgres -m 700 "$ARCHIVE"
sql "ALTER SYSTEM SET archive_mode = on"
sql "ALTER SYSTEM SET archive_command = 'test ! -f $ARCHIVE/%f && cp %p $ARCHIVE/%f'"
pg_ctlcluster "$PGV" main restart
sql "DROP DATABASE IF EXISTS $DB" && sql "CREATE DATABASE $DB OWNER friendlygov"
export DJANGO_SETTINGS_MODULE=friendlygov.settings FRIENDLYGOV_VAR_DIR="$WORK/var" FRIENDLYGOV_DEBUG=0 FRIENDLYGOV_LOG_LEVEL=ERROR
export DATABASE_URL="postgres://friendlygov:friendlygov@127.0.0.1:5432/$DB"
unset DATABASE_REPLICA_URL
.venv/bin/friendlygov setup >/dev/null
.venv/bin/friendlygov manage collectstatic --noinput >/dev/null

echo "== a streaming replica (docs/deployment.md §3)"
sql "CREATE ROLE fg_replicator WITH REPLICATION LOGIN PASSWORD 'fg_replicator'"
sql "SELECT pg_create_physical_replication_slot('fgreplica')" >/dev/null
sql "CREATE ROLE fg_readonly LOGIN PASSWORD 'fg_readonly'"
sql "GRANT CONNECT ON DATABASE $DB TO fg_readonly"
sql "GRANT USAGE ON SCHEMA public TO fg_readonly; GRANT SELECT ON ALL TABLES IN SCHEMA public TO fg_readonly" "$DB"
pg_createcluster "$PGV" fgreplica -p 5433 >/dev/null
REPLICA_DIR=$(pg_lsclusters -h | awk '$2 == "fgreplica" { print $6 }')
rm -rf "${REPLICA_DIR:?}"/*
as_pg env PGPASSWORD=fg_replicator pg_basebackup -h 127.0.0.1 -p 5432 -U fg_replicator \
    -D "$REPLICA_DIR" -X stream -S fgreplica -R --checkpoint=fast
sed -i '/^archive_mode\|^archive_command/d' "$REPLICA_DIR/postgresql.auto.conf"
pg_ctlcluster "$PGV" fgreplica start
for _ in $(seq 1 50); do
    [ "$(sql "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -ge 1 ] && break
    sleep 0.2
done
DATABASE_REPLICA_URL="postgres://fg_readonly:fg_readonly@127.0.0.1:5433/$DB" "$PY" deploy/verify_replica.py

echo "== point-in-time recovery (docs/deployment.md §6)"
as_pg pg_basebackup -D "$WORK/base" -Ft -z -X fetch --checkpoint=fast
CITY=$(sql "SELECT id FROM org_unit WHERE slug = 'hai-phong'" "$DB")
UNIT=$(sql "SELECT id FROM org_unit WHERE slug = 'thanh-mien'" "$DB")
insert() {
    sql "INSERT INTO assessments_cityfigure (year, kind, value, decision, entered_at, version, city_id, unit_id)
         VALUES ($1, 'par_index', 80, '$2', now(), 1, $CITY, $UNIT)" "$DB"
}
insert 2040 "PITR before the target"
sleep 2
TARGET=$(sql "SELECT now()")
sleep 2
insert 2041 "PITR after the target (a wrong import)"
sql "SELECT pg_switch_wal()" >/dev/null
for _ in $(seq 1 50); do  # the segment holding the second row is archived
    [ "$(sql "SELECT last_archived_wal >= pg_walfile_name(pg_current_wal_lsn() - 1) FROM pg_stat_archiver")" = t ] && break
    sleep 0.2
done
pg_createcluster "$PGV" fgpitr -p 5434 >/dev/null
PITR_DIR=$(pg_lsclusters -h | awk '$2 == "fgpitr" { print $6 }')
rm -rf "${PITR_DIR:?}"/*
as_pg tar -xzf "$WORK/base/base.tar.gz" -C "$PITR_DIR"
sed -i '/^archive_mode\|^archive_command/d' "$PITR_DIR/postgresql.auto.conf"
cat >>"/etc/postgresql/$PGV/fgpitr/postgresql.conf" <<EOF
restore_command = 'cp $ARCHIVE/%f %p'
recovery_target_time = '$TARGET'
recovery_target_action = 'promote'
EOF
as_pg touch "$PITR_DIR/recovery.signal"
pg_ctlcluster "$PGV" fgpitr start
for _ in $(seq 1 50); do
    [ "$(as_pg psql -p 5434 -qAt -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
    sleep 0.2
done
ROWS=$(as_pg psql -p 5434 -qAt -d "$DB" -c "SELECT string_agg(decision, ' | ' ORDER BY year) FROM assessments_cityfigure WHERE decision LIKE 'PITR%'")
echo "recovered to $TARGET: $ROWS"
[ "$ROWS" = "PITR before the target" ] || { echo "FAILED point-in-time recovery"; exit 1; }
DATABASE_URL="postgres://friendlygov:friendlygov@127.0.0.1:5434/$DB" "$PY" deploy/verify_replica.py --recovered
echo "verify-replica-pitr: all checks passed"
