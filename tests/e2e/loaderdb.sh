#!/usr/bin/env bash
# The loader before it has a database, as an operator sees it: not ready
# (no "loader ready" line, /readyz 503 with the reason) until it has
# connected and migrated; a server that refuses it (no such role: with the
# stack's password authentication the server says only that the password
# was refused) is an error with the server's message intact, logged once
# rather than at every attempt, and the loader stays up and carries on by
# itself once the role exists; a server that is not there is a warning, libpq's message escaped
# as one logfmt value; a connection string libpq cannot parse stops it at
# start (exit 2).
. "$(dirname "$0")/lib/common.sh"
export DCP_INSECURE=1

"$STACK" up "$E2E_DIR" >/dev/null
readyz() {  # readyz PORT: the body and the status on one line
    local out
    out=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$1/readyz")
    echo "${out//$'\n'/}"
}
wait_for() {  # wait_for SECONDS command...
    local t=$1
    shift
    for ((w = 0; w < t * 10; w++)); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}
# start_loader NAME DATABASE: a second loader of the stack on its own ports
start_loader() {
    local name=$1 metrics=$2
    sed -e "s#^bind = .*#bind = tcp://127.0.0.1:$(free_port)#" \
        -e "s#^metrics = .*#metrics = 127.0.0.1:$metrics#" \
        -e "s#^database = .*#database = $3#" "$E2E_DIR/etc/loader.conf" > "$E2E_DIR/etc/$name.conf"
    echo "reconnect_refused_max_ms = 1000" >> "$E2E_DIR/etc/$name.conf"
    setsid "$BUILD/loader" --config "$E2E_DIR/etc/$name.conf" >> "$E2E_DIR/log/$name.log" 2>&1 < /dev/null &
    echo $! > "$E2E_DIR/run/$name.pid"
}
pgdir="$E2E_DIR/pg"
pgport=$(cat "$pgdir/port")

# --- a role that does not exist ---------------------------------------------
# Its password is in the passfile already, so the refusal is the server's.
echo "*:*:*:nosuch:nosuch-pw" >> "$PGPASSFILE"
m1=$(free_port)
start_loader nosuch "$m1" "host=$pgdir port=$pgport dbname=dcp user=nosuch"
log="$E2E_DIR/log/nosuch.log"
refused() { grep -q 'level=error .*password authentication failed for user \\"nosuch\\".* sqlstate=28P01' "$log"; }
check "a refusal is an error, with the server's message and SQLSTATE" wait_for 10 refused
sleep 3  # attempts go on, at most a second apart here
check "logged once, not at every attempt" [ "$(grep -c 'level=error' "$log")" = 1 ]
check "/readyz says why, in the server's words" \
    grep -q '^database: .*FATAL:  password authentication failed for user "nosuch".* 503$' <<<"$(readyz "$m1")"
check "not announced ready" bash -c "! grep -q 'msg=\"loader ready\"' '$log'"
check "still running" kill -0 "$(cat "$E2E_DIR/run/nosuch.pid")"
"$STACK" psql "$E2E_DIR" -q -c "CREATE ROLE nosuch LOGIN PASSWORD 'nosuch-pw'; GRANT dcp_loader TO nosuch" >/dev/null
ready() { grep -q ' 200$' <<<"$(readyz "$m1")"; }
check "ready by itself once the role exists" wait_for 10 ready
check "then says so" grep -q 'msg="database reachable again"' "$log"
check "and announces it once" [ "$(grep -c 'msg="loader ready"' "$log")" = 1 ]

# --- no server there ----------------------------------------------------------
m2=$(free_port)
start_loader noserver "$m2" "host=127.0.0.1 port=$(free_port) dbname=dcp user=loader_svc"
log="$E2E_DIR/log/noserver.log"
absent() { grep -q 'level=warn .*msg="could not connect to database"' "$log"; }
check "an absent server is a warning" wait_for 10 absent
check "libpq's message is one logfmt value, lines escaped" \
    grep -q 'Connection refused\\n\\tIs the server running on that host' "$log"
check "/readyz says why" grep -q '^database: connection to server at "127.0.0.1".* 503$' <<<"$(readyz "$m2")"
check "every line of the loaders' logs is logfmt" \
    bash -c "! grep -hv '^ts=' '$E2E_DIR/log/nosuch.log' '$log'"

# --- a connection string libpq cannot parse -----------------------------------
out=$("$BUILD/loader" --config "$E2E_DIR/etc/loader.conf" --database="host=x dbnmae=dcp" 2>&1) && rc=0 || rc=$?
check "an unparsable connection string stops the loader (exit 2)" [ "$rc" = 2 ]
check "and says what libpq found" grep -q 'invalid connection option "dbnmae"' <<<"$out"
finish
