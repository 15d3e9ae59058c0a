#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL + PostGIS cluster in a temp folder on a free
# port, for CI and local test runs against a real server.
#   start: prints the DATABASE_URL on stdout (cluster folder in $PG_CLUSTER_DIR or a new temp dir)
#   stop <dir>: stops the cluster and removes its folder
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] || { echo "PostgreSQL server binaries not found: apt-get install postgresql-15-postgis-3" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    dir=${PG_CLUSTER_DIR:-$(mktemp -d /tmp/pingan-pg.XXXXXX)}
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    as_pg "$BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB -c shared_buffers=512MB -c max_connections=200" start >/dev/null
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres pingan
    echo "$dir" > "$dir/.dir"
    echo "postgres://postgres@127.0.0.1:$port/pingan"
    ;;
  stop)
    dir=${2:?cluster folder}
    as_pg "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start | stop <dir>" >&2; exit 2 ;;
esac
