#!/usr/bin/env bash
# stack.sh: runs a whole pipeline (PostgreSQL, loader, validator, collector
# configuration) in one folder, for the quick start, the end-to-end tests and
# for reproducing faults by hand.  Everything lives under DIR; processes are
# found through DIR/run/*.pid.
#
#   stack.sh up DIR [ISO3...]    create keys and configs (once), start
#                                PostgreSQL, loader and validator; register
#                                one collector key per country given
#   stack.sh down DIR            stop validator and loader (SIGTERM), then
#                                PostgreSQL
#   stack.sh destroy DIR         down, then remove DIR and its cluster
#                                (wherever it lives, see below)
#   stack.sh kill STAGE DIR      SIGKILL validator or loader (fault injection)
#   stack.sh start STAGE DIR     start validator or loader again
#   stack.sh pg-kill DIR         PostgreSQL immediate shutdown (as a crash)
#   stack.sh pg-start DIR        start PostgreSQL again
#   stack.sh register DIR ISO3...  add a collector key and config per country
#   stack.sh psql DIR [ARGS]     psql on the pipeline's database (as owner)
#   stack.sh analyst DIR [ARGS]  psql as the read-only analyst role
#   stack.sh collector DIR ISO3 ARGS...   run the collector of that country
#   stack.sh report DIR ARGS...  run the analysts' report as the analyst role
#                                (report html --year 2023 --out r.html)
#   stack.sh partner DIR add|rotate|revoke|list ARGS...   "validator partner"
#                                on DIR's registry, then SIGHUP its validator
#   stack.sh free-port           print a free loopback port, reserved for
#                                $DCP_PORT_OWNER (see "Ports" below)
#   stack.sh release-ports OWNER drop the reservations made for OWNER
#
# Where things live.  What people look at (keys, configurations, logs,
# outboxes, the passfile) stays in DIR.  The cluster (data directory and
# unix socket) must be reachable by the postgres user the server runs as
# when we are root; a home folder or a `mktemp -d` folder is not.  Then it
# goes to /var/lib/dcp-stack/<first 16 hex of sha256(DIR)>/ (owned by
# postgres, mode 700; /var/lib/dcp-stack itself root, 755) and DIR/pg is a
# symbolic link to it, so every command (and every test) finds it at DIR/pg
# as before.  /var/lib rather than /tmp: the quick start's pipeline is one
# to keep (fsync on), and /tmp is emptied at boot or by tmpfiles cleaning.
# The hash keeps two checkouts apart.  `stack.sh destroy DIR` removes it.
#
# Authentication.  The cluster has its own initdb with scram-sha-256 for
# every connection, unix socket and TCP alike (no trust, no peer): its
# superuser "postgres" (owner of the schema, runs the migrations), the
# loader's role loader_svc and the analysts' role analyst each have a
# random password, generated once and kept in the libpq passfile
# DIR/pgpass (mode 0600, owned by whoever ran "up").  stack.sh points
# PGPASSFILE at it for its own commands (psql, analyst, report, the
# migration) and the loader's configuration names it (passfile= in its
# "database" conninfo).  Without it, a connection is refused.
#
# Ports.  One allocator for the stack, tests/pg.sh and the tests: a random
# port below the kernel's ephemeral range (ip_local_port_range), so no
# outgoing connection can take it in the meantime, that binds now, and is
# reserved across processes by mkdir /tmp/dcp-ports/PORT (atomic) with the
# owner written in it.  Reservations older than 3 hours are stale and taken
# over; "release-ports" (the tests' cleanup, "destroy") drops them earlier.
#
# Environment: DCP_BUILD_DIR (default ./build), DCP_INSECURE=1 to run
# without CURVE (development only), DCP_PG_NO_FSYNC=1 to run PostgreSQL
# with fsync=off (tests/pg.sh --no-fsync: for tests that do not look at
# durability; never for the fault test, the benchmark or real data).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
build=${DCP_BUILD_DIR:-$src/build}

cmd=${1:?usage: stack.sh up|down|destroy|kill|start|pg-kill|pg-start|register|psql|analyst|collector|report|partner|free-port ...}
shift

die() { echo "stack.sh: $*" >&2; exit 1; }

abs_dir() { mkdir -p "$1"; (cd "$1" && pwd); }

port_base=/tmp/dcp-ports

free_port() {
    local lo min max port i owner=${DCP_PORT_OWNER:--}
    read -r lo _ < /proc/sys/net/ipv4/ip_local_port_range || lo=32768
    max=$((lo - 1)) min=20000
    [ "$max" -gt $((min + 1000)) ] || min=10000
    [ "$max" -gt $((min + 1000)) ] || die "ephemeral port range starts too low ($lo)"
    [ -d "$port_base" ] || mkdir -m 1777 "$port_base" 2>/dev/null || [ -d "$port_base" ]
    for ((i = 0; i < 500; i++)); do
        port=$(( ((RANDOM << 15) | RANDOM) % (max - min + 1) + min ))
        if ! mkdir "$port_base/$port" 2>/dev/null; then
            # stale: its owner never released it
            [ -n "$(find "$port_base/$port" -maxdepth 0 -mmin +180 2>/dev/null)" ] || continue
            rm -rf "$port_base/$port"
            mkdir "$port_base/$port" 2>/dev/null || continue
        fi
        if python3 -c 'import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null; then
            echo "$owner" > "$port_base/$port/owner"
            echo "$port"
            return 0
        fi
        rm -rf "$port_base/$port"
    done
    die "no free port found"
}

release_ports() {
    local f
    for f in "$port_base"/*/owner; do
        [ -f "$f" ] && [ "$(cat "$f" 2>/dev/null)" = "$1" ] && rm -rf "$(dirname "$f")"
    done
    return 0
}

# pg_home DIR: when the postgres user cannot reach DIR, makes DIR/pg a link
# to a private folder it can reach (see "Where things live" above).
pg_home() {
    local dir=$1 base=/var/lib/dcp-stack key
    [ -e "$dir/pg" ] || [ -L "$dir/pg" ] && return 0
    [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$dir" || return 0
    key=$(printf '%s' "$dir" | sha256sum | cut -c1-16)
    mkdir -p "$base"
    chmod 755 "$base"
    mkdir -p "$base/$key"
    ln -s "$base/$key" "$dir/pg"
}

# secrets DIR: the passfile, made once (a second "up" reuses it); hex
# passwords need no escaping in a passfile or a conninfo.
secrets() {
    local f=$1/pgpass role
    [ -f "$f" ] && return 0
    (
        umask 077
        for role in postgres loader_svc analyst; do
            echo "*:*:*:$role:$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
        done > "$f.tmp"
    )
    mv "$f.tmp" "$f"
}

secret_of() { awk -F: -v r="$2" '$4 == r { print $5 }' "$1/pgpass"; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

setup() {
    local dir=$1
    mkdir -p "$dir"/{keys,etc,run,log,collectors}
    chmod 700 "$dir/keys"
    [ -f "$dir/ports" ] || echo "validator=$(free_port) loader=$(free_port) validator_metrics=$(free_port) loader_metrics=$(free_port)" > "$dir/ports"
    [ -f "$dir/keys/validator.key" ] || "$build/collector" keygen "$dir/keys/validator.key" >/dev/null
    [ -f "$dir/keys/loader.key" ] || "$build/collector" keygen "$dir/keys/loader.key" >/dev/null
    [ -f "$dir/etc/partners.txt" ] || echo "# <public key> <ISO3> <name>: collectors allowed to submit" > "$dir/etc/partners.txt"
    echo "$(awk '/public-key/ {print $3}' "$dir/keys/validator.key.pub") - validator" > "$dir/etc/validators.txt"
}

ports() { . <(tr ' ' '\n' < "$1/ports"); }

# Applies the schema as the database owner, then makes the login roles the
# services use: the loader runs as loader_svc (member of dcp_loader: insert
# and read its own tables, no DDL), analysts as analyst (dcp_analyst: read
# the views and reference tables only).
migrate_and_roles() {
    local dir=$1 admin
    admin=$(cat "$dir/pg/conninfo")
    "$build/loader" --database="$admin" --log_level=warn --metrics= migrate >/dev/null
    psql "$admin" -X -q -v ON_ERROR_STOP=1 -v lpw="$(secret_of "$dir" loader_svc)" \
        -v apw="$(secret_of "$dir" analyst)" <<'SQL'
SET client_min_messages = warning;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'loader_svc') THEN
        CREATE ROLE loader_svc LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'analyst') THEN
        CREATE ROLE analyst LOGIN;
    END IF;
END $$;
GRANT dcp_loader TO loader_svc;
GRANT dcp_analyst TO analyst;
ALTER ROLE loader_svc PASSWORD :'lpw';
ALTER ROLE analyst PASSWORD :'apw';
SQL
}

write_configs() {
    local dir=$1 insecure=false
    [ "${DCP_INSECURE:-0}" = 1 ] && insecure=true
    ports "$dir"
    cat > "$dir/etc/validator.conf" <<CONF
# validator configuration (see validator --help)
bind = tcp://127.0.0.1:$validator
loaders = tcp://127.0.0.1:$loader
key_file = $dir/keys/validator.key
partners = $dir/etc/partners.txt
loader_public_key = $dir/keys/loader.key.pub
insecure = $insecure
metrics = 127.0.0.1:$validator_metrics
CONF
    cat > "$dir/etc/loader.conf" <<CONF
# loader configuration (see loader --help)
bind = tcp://127.0.0.1:$loader
database = $(sed 's/user=postgres/user=loader_svc/' "$dir/pg/conninfo") passfile=$dir/pgpass
# the schema is migrated by its owner: stack.sh runs "loader migrate" first
migrate = false
key_file = $dir/keys/loader.key
validators = $dir/etc/validators.txt
insecure = $insecure
metrics = 127.0.0.1:$loader_metrics
CONF
}

# A running validator reads partners.txt again on SIGHUP; wait until it has
# (its log says so), so that the new key may connect as soon as we return.
# A registry it refuses (the test key "C00" of operations.sh is no ISO3
# code) leaves the previous one in force, as before: that is logged too.
reload_validator() {
    local dir=$1 log="$1/log/validator.log" mark i
    pid_alive "$dir/run/validator.pid" || return 0
    mark=$(wc -l < "$log")
    kill -HUP "$(cat "$dir/run/validator.pid")" 2>/dev/null || return 0
    for ((i = 0; i < 200; i++)); do   # 10 s
        log_has "$log" '(loaded|could not (re)?load) partner registry' "$mark" && return 0
        sleep 0.05
    done
    die "validator did not reload its partner registry (log $log)"
}

register_collector() {
    local dir=$1 cc=$2 insecure=false
    [ "${DCP_INSECURE:-0}" = 1 ] && insecure=true
    ports "$dir"
    local key="$dir/keys/collector-$cc.key"
    if [ ! -f "$key" ]; then
        "$build/collector" keygen "$key" >/dev/null
        echo "$(awk '/public-key/ {print $3}' "$key.pub") $cc focal point $cc" >> "$dir/etc/partners.txt"
        reload_validator "$dir"
    fi
    mkdir -p "$dir/collectors/$cc"
    cat > "$dir/etc/collector-$cc.conf" <<CONF
# collector configuration for the focal point of $cc (see collector --help)
endpoint = tcp://127.0.0.1:$validator
key_file = $key
validator_public_key = $dir/keys/validator.key.pub
outbox = $dir/collectors/$cc/outbox
inbox = $dir/collectors/$cc/inbox
insecure = $insecure
CONF
}

# log_has FILE REGEX [AFTER]: whether a line of FILE past line AFTER
# (default 0) matches REGEX (awk, extended).  awk reads the file itself: not
# `tail | grep -q`, which under pipefail fails when grep stops reading early
# and tail dies of SIGPIPE (a stage restarted under load logs a lot).
log_has() {
    awk -v n="${3:-0}" -v re="$2" 'NR > n && $0 ~ re { found = 1; exit }
                                   END { exit !found }' "$1" 2>/dev/null
}

start_stage() {
    local stage=$1 dir=$2
    pid_alive "$dir/run/$stage.pid" && return 0
    local log="$dir/log/$stage.log"
    : >> "$log"
    local mark
    mark=$(wc -l < "$log")
    setsid "$build/$stage" --config "$dir/etc/$stage.conf" >> "$log" 2>&1 < /dev/null &
    echo $! > "$dir/run/$stage.pid"
    for ((i = 0; i < 600; i++)); do   # 30 s
        log_has "$log" "msg=\"$stage ready\"" "$mark" && return 0
        kill -0 "$(cat "$dir/run/$stage.pid")" 2>/dev/null || { tail -n 20 "$log" >&2; die "$stage exited at start (log $log)"; }
        sleep 0.05
    done
    die "$stage did not become ready (log $log)"
}

stop_stage() {
    local stage=$1 dir=$2 sig=${3:-TERM}
    pid_alive "$dir/run/$stage.pid" || { rm -f "$dir/run/$stage.pid"; return 0; }
    local pid
    pid=$(cat "$dir/run/$stage.pid")
    kill -"$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$dir/run/$stage.pid"
}

case "$cmd" in
up)
    dir=$(abs_dir "${1:?usage: stack.sh up DIR [ISO3...]}"); shift
    export PGPASSFILE="$dir/pgpass"
    [ -x "$build/loader" ] || die "build the project first (cmake --build build)"
    export DCP_PORT_OWNER=${DCP_PORT_OWNER:-$dir}
    setup "$dir"
    secrets "$dir"
    pg_home "$dir"
    pg_opts=(--passfile "$dir/pgpass")
    [ "${DCP_PG_NO_FSYNC:-0}" = 1 ] && pg_opts+=(--no-fsync)
    "$src/tests/pg.sh" start "$dir/pg" "${pg_opts[@]}"
    migrate_and_roles "$dir"
    write_configs "$dir"
    for cc in "$@"; do register_collector "$dir" "$cc"; done
    start_stage loader "$dir"
    start_stage validator "$dir"
    ;;
down)
    dir=$(abs_dir "${1:?usage: stack.sh down DIR}")
    export PGPASSFILE="$dir/pgpass"
    # Both at once: each takes a second or two to stop, and nothing is lost
    # if the loader goes first (the collectors resend what got no receipt).
    stop_stage validator "$dir" & v=$!
    stop_stage loader "$dir"
    wait "$v" || true
    "$src/tests/pg.sh" stop "$dir/pg"
    ;;
destroy)
    dir=$(abs_dir "${1:?usage: stack.sh destroy DIR}")
    export PGPASSFILE="$dir/pgpass"
    "$0" down "$dir" || true
    if [ -d "$dir/pg" ]; then "$src/tests/pg.sh" destroy "$dir/pg"; fi
    release_ports "$dir"
    rm -rf "$dir"
    ;;
free-port)
    free_port
    ;;
release-ports)
    release_ports "${1:?usage: stack.sh release-ports OWNER}"
    ;;
kill)
    stage=${1:?stage}; dir=$(abs_dir "${2:?dir}")
    export PGPASSFILE="$dir/pgpass"
    stop_stage "$stage" "$dir" KILL
    ;;
start)
    stage=${1:?stage}; dir=$(abs_dir "${2:?dir}")
    export PGPASSFILE="$dir/pgpass"
    start_stage "$stage" "$dir"
    ;;
pg-kill)
    dir=$(abs_dir "${1:?dir}")
    export PGPASSFILE="$dir/pgpass"
    "$src/tests/pg.sh" kill "$dir/pg"
    ;;
pg-start)
    dir=$(abs_dir "${1:?dir}")
    export PGPASSFILE="$dir/pgpass"
    "$src/tests/pg.sh" restart "$dir/pg"
    ;;
register)
    dir=$(abs_dir "${1:?dir}"); shift
    export PGPASSFILE="$dir/pgpass"
    for cc in "$@"; do register_collector "$dir" "$cc"; done
    ;;
psql)
    dir=$(abs_dir "${1:?dir}"); shift
    export PGPASSFILE="$dir/pgpass"
    psql "$(cat "$dir/pg/conninfo")" -X -v ON_ERROR_STOP=1 "$@"
    ;;
analyst)
    dir=$(abs_dir "${1:?dir}"); shift
    export PGPASSFILE="$dir/pgpass"
    psql "$(sed 's/user=postgres/user=analyst/' "$dir/pg/conninfo")" -X -v ON_ERROR_STOP=1 "$@"
    ;;
collector)
    dir=$(abs_dir "${1:?dir}"); cc=${2:?ISO3}; shift 2
    export PGPASSFILE="$dir/pgpass"
    [ -f "$dir/etc/collector-$cc.conf" ] || die "no collector registered for $cc (stack.sh register $dir $cc)"
    exec "$build/collector" --config "$dir/etc/collector-$cc.conf" "$@"
    ;;
partner)
    dir=$(abs_dir "${1:?usage: stack.sh partner DIR add|rotate|revoke|list ARGS...}"); shift
    export PGPASSFILE="$dir/pgpass"
    exec "$build/validator" --config "$dir/etc/validator.conf" partner \
        --pid-file "$dir/run/validator.pid" "$@"
    ;;
report)
    dir=$(abs_dir "${1:?dir}"); shift
    export PGPASSFILE="$dir/pgpass"
    exec "$build/report" --database="$(sed 's/user=postgres/user=analyst/' "$dir/pg/conninfo")" "$@"
    ;;
*)
    die "unknown command $cmd"
    ;;
esac
