#!/usr/bin/env bash
# pg.sh: a throwaway PostgreSQL cluster for tests and the quick start.
#
#   pg.sh start DIR [--no-fsync] [--passfile FILE]
#                     copy a freshly initialised cluster into DIR/data (if not
#                     there), start the server on a free loopback port with
#                     its socket in DIR, create the database "dcp", write a
#                     libpq conninfo to DIR/conninfo (it holds no password)
#   pg.sh stop DIR    stop the server (fast shutdown); data is kept
#   pg.sh kill DIR    immediate shutdown (as after a crash), for fault tests
#   pg.sh restart DIR start again on the same port (and settings) after stop
#                     or kill
#   pg.sh destroy DIR stop and remove DIR
#   pg.sh template    make the initdb template now (tests/run.sh does, so
#                     that parallel tests do not all run initdb at once)
#
# --no-fsync runs the server with fsync=off (and full_page_writes=off): a
# crash of the machine may then lose or corrupt data, so it is only for
# clusters whose durability no test looks at (it saves a second or more per
# test on a slow disk).  A killed server loses nothing that way (its writes
# are in the kernel already), so synchronous_commit stays on: with it off,
# `pg.sh kill` could lose commits a client was told about.  The default stays durable (fsync=on): the quick
# start, the benchmark (which measures real commits) and the fault test
# (tests/e2e/faults.sh, which kills PostgreSQL and checks that nothing
# acknowledged is lost) must never run without it.  The choice is kept in
# DIR/fsync so that `restart` brings the server back the same way.
#
# initdb runs once per PostgreSQL version and user: its result is kept under
# /tmp as a template (made in a private folder, then renamed into place, so
# tests starting in parallel never see half of one) and each cluster is a
# copy of it, which takes a fraction of initdb's time.
#
# Authentication.  Without --passfile the cluster is a copy of the
# template, which trusts every connection (unix socket and loopback TCP): for
# the unit-test fixture only (ctest's pg_start), a throwaway cluster in a
# private folder whose port nobody else uses.  With --passfile FILE (what
# deploy/stack.sh, hence the quick start and the end-to-end tests, uses) the
# cluster gets its own initdb with --auth=scram-sha-256 and, as the password
# of the superuser "postgres", the one FILE (a libpq passfile) has for the
# user postgres: every connection, socket or TCP, then needs a password.
# FILE is read by the caller (root),
# handed to initdb through a copy that lives only as long as initdb runs,
# and pg.sh's own psql/createdb get the password from the environment.
#
# PostgreSQL refuses to run as root, so when we are root the server runs as
# the "postgres" user and DIR is handed to it.
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop|kill|restart|destroy DIR [--no-fsync] | template}
[ "$cmd" = template ] && set -- template /tmp
dir=${2:?usage: pg.sh start|stop|kill|restart|destroy DIR [--no-fsync] | template}
fsync=on
pwfile=""
shift 2
while [ $# -gt 0 ]; do
    [ "$cmd" = start ] || { echo "pg.sh: options go with start" >&2; exit 2; }
    case "$1" in
    --no-fsync) fsync=off ;;
    --passfile) pwfile=${2:?--passfile FILE}; shift ;;
    *) echo "pg.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
pw=""
if [ -n "$pwfile" ]; then
    pw=$(awk -F: '$4 == "postgres" { print $5; exit }' "$pwfile")
    [ -n "$pw" ] || { echo "pg.sh: no password for postgres in $pwfile" >&2; exit 2; }
fi
mkdir -p "$dir"
# The physical path: DIR may be a symbolic link (deploy/stack.sh links
# DIR/pg to a folder the postgres user can reach) and the server, running
# as postgres, must not go through folders it cannot traverse.
dir=$(cd "$dir" && pwd -P)

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -x "$bindir/initdb" ] || { echo "pg.sh: postgresql server binaries not found (apt-get install postgresql)" >&2; exit 1; }

# From /: the caller's folder may be one postgres cannot enter (a home or
# `mktemp -d` checkout), and psql, pg_ctl and initdb complain about that.
as_pg() {
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Ports come from deploy/stack.sh's allocator (below the ephemeral range,
# reserved across processes).
# A port taken for a cluster of its own (the unit tests' fixture) is
# released by "destroy".
stack="$(dirname "$0")/../deploy/stack.sh"
free_port() { DCP_PORT_OWNER=${DCP_PORT_OWNER:-$dir} "$stack" free-port; }

# scram_initdb: a cluster of its own whose every connection needs a
# password (see "Authentication" above).
scram_initdb() {
    local tmp
    tmp=$(as_pg mktemp "$dir/pwfile.XXXXXX")
    printf '%s\n' "$pw" | as_pg tee "$tmp" >/dev/null
    local nosync=""
    [ "$fsync" = on ] || nosync=--no-sync
    as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$tmp" $nosync \
        -E UTF8 --locale=C.UTF-8 >/dev/null || { as_pg rm -f "$tmp"; return 1; }
    as_pg rm -f "$tmp"
}

# Prints the template data folder for this server version, making it first
# if needed.  Several pg.sh may get here at once: each runs initdb in its own
# folder and renames it into place; the first rename wins and the others
# throw their copy away (a rename onto an existing non-empty folder fails).
template() {
    local version tpl tmp
    version=$("$bindir/postgres" --version | awk '{print $3}')
    tpl=/tmp/dcp-pg-template-$version-$(id -u)
    if [ ! -f "$tpl/PG_VERSION" ]; then
        tmp=$(as_pg mktemp -d "$tpl.XXXXXX")
        as_pg "$bindir/initdb" -D "$tmp" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
        as_pg mv -T "$tmp" "$tpl" 2>/dev/null || as_pg rm -rf "$tmp"
    fi
    echo "$tpl"
}

start_server() {
    local port settings
    port=$(cat "$dir/port")
    settings="-c fsync=on"
    if [ "$(cat "$dir/fsync" 2>/dev/null || echo on)" = off ]; then
        settings="-c fsync=off -c full_page_writes=off"
    fi
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $settings" start >/dev/null
}

case "$cmd" in
start)
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; chmod 700 "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        if [ -n "$pwfile" ]; then scram_initdb; else as_pg cp -a "$(template)" "$dir/data"; fi
    fi
    [ -z "$pw" ] || export PGPASSWORD="$pw"
    echo "$fsync" > "$dir/fsync"
    if as_pg "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "pg.sh: server already running in $dir" >&2
    else
        [ -f "$dir/port" ] || free_port > "$dir/port"
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
template)
    template >/dev/null
    ;;
destroy)
    if [ -f "$dir/data/PG_VERSION" ]; then
        as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    "$stack" release-ports "$dir"
    ;;
*)
    echo "pg.sh: unknown command $cmd" >&2; exit 2 ;;
esac
