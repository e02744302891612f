#!/usr/bin/env bash
# End to end (no pipeline needed): every program reports all its
# configuration mistakes in one run, with "did you mean"; --check-config
# validates without starting anything; the shipped example configurations
# pass it; --help shows each default once.
. "$(dirname "$0")/lib/common.sh"

# The examples in deploy/etc are what operators copy: they must be valid.
for p in collector validator loader; do
    check "deploy/etc/$p.conf passes --check-config" \
        "$BUILD/$p" --config "$SRC/deploy/etc/$p.conf" --check-config
done

# Two mistakes in the file, one in the environment, one flag: all reported.
printf 'log_levle = debug\nhwm = lots\nbind = tcp://127.0.0.1:1\n' > "$E2E_DIR/bad.conf"
out=$(DCP_VALIDATOR_HEARTBEAT=5 "$BUILD/validator" --config "$E2E_DIR/bad.conf" --insecre \
      --check-config 2>&1) && rc=0 || rc=$?
echo "$out"
check "a bad configuration exits 2" [ "$rc" = 2 ]
check "unknown key with file, line and suggestion" \
    grep -q 'bad.conf:1: unknown key "log_levle" (did you mean "log_level"?)' <<<"$out"
check "bad value in the same run" grep -q 'bad.conf:2: key "hwm": expected a non-negative integer' <<<"$out"
check "unknown environment variable with suggestion" \
    grep -q 'unknown environment variable DCP_VALIDATOR_HEARTBEAT (did you mean "DCP_VALIDATOR_HEARTBEAT_MS"?)' <<<"$out"
check "unknown flag with suggestion" grep -q 'unknown option --insecre (did you mean "--insecure"?)' <<<"$out"
check "the count of errors" grep -q '4 configuration errors' <<<"$out"

# --check-config prints the effective values, passwords masked, and starts
# nothing (no port is bound, no database is reached).
out=$("$BUILD/loader" --config /dev/null --check-config \
      --database='host=nowhere.invalid password=hunter2 user=x' --writers=3) && rc=0 || rc=$?
check "--check-config exits 0 on a valid configuration" [ "$rc" = 0 ]
check "effective values are printed" grep -qx 'writers = 3' <<<"$out"
check "the password is masked" grep -qx 'database = host=nowhere.invalid password=\*\*\*\*\*\*\*\* user=x' <<<"$out"
check "the password is not printed" bash -c '! grep -q hunter2 <<<"$1"' _ "$out"
out=$("$BUILD/collector" --config /dev/null --log_level=loud --check-config 2>&1) && rc=0 || rc=$?
check "a bad log level fails --check-config" [ "$rc" = 2 ]

# --help: each default once.
out=$("$BUILD/validator" --help)
check "validator --help names the id's default once" grep -qx '  --id=TEXT (default host:pid)' <<<"$out"
check "no doubled default" bash -c '! grep -q "(default.*(default" <<<"$1"' _ "$out"
check "validator --help lists the partner commands" grep -q 'rotate OLD NEW' <<<"$out"

finish
