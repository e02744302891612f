#!/usr/bin/env bash
# pg.sh: a throwaway PostgreSQL cluster for tests and the quick start.
#
#   pg.sh start DIR   initdb into DIR/data (if not there), start the server on
#                     a free loopback port with its socket in DIR, create the
#                     database "dcp", write a libpq conninfo to DIR/conninfo
#   pg.sh stop DIR    stop the server (fast shutdown); data is kept
#   pg.sh kill DIR    immediate shutdown (as after a crash), for fault tests
#   pg.sh restart DIR start again on the same port after stop or kill
#   pg.sh destroy DIR stop and remove DIR
#
# PostgreSQL refuses to run as root, so when we are root the server runs as
# the "postgres" user and DIR is handed to it.
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop|kill|restart|destroy DIR}
dir=${2:?usage: pg.sh start|stop|kill|restart|destroy DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -x "$bindir/initdb" ] || { echo "pg.sh: postgresql server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

start_server() {
    local port
    port=$(cat "$dir/port")
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null
}

case "$cmd" in
start)
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; chmod 700 "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if as_pg "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "pg.sh: server already running in $dir" >&2
    else
        [ -f "$dir/port" ] || free_port > "$dir/port"
        if [ "$(id -u)" = 0 ]; then chown postgres: "$dir/port"; fi
        start_server
    fi
    port=$(cat "$dir/port")
    as_pg "$bindir/psql" -h "$dir" -p "$port" -U postgres -d postgres -qtAc \
        "SELECT 1 FROM pg_database WHERE datname = 'dcp'" | grep -q 1 ||
        as_pg "$bindir/createdb" -h "$dir" -p "$port" -U postgres dcp
    echo "host=$dir port=$port dbname=dcp user=postgres" > "$dir/conninfo"
    chmod 644 "$dir/conninfo"
    ;;
stop)
    [ -f "$dir/data/PG_VERSION" ] || exit 0
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
kill)
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    ;;
restart)
    start_server
    ;;
destroy)
    if [ -f "$dir/data/PG_VERSION" ]; then
        as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "pg.sh: unknown command $cmd" >&2; exit 2 ;;
esac
