#!/usr/bin/env bash
# quickstart.sh: installs what is missing, builds, starts a local pipeline
# under ./var (PostgreSQL, loader, validator, with CURVE keys), submits the
# example responses through the collector and shows what landed.  Running it
# again reuses what is there.  Stop everything with: deploy/stack.sh down var
# (remove it all, database included: deploy/stack.sh destroy var).  Works
# from any folder root can write: when the postgres user cannot enter it,
# the cluster lives under /var/lib/dcp-stack/ (see deploy/stack.sh).  Its
# PostgreSQL takes passwords only; they are in var/pgpass (root's, 0600).
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
"$src/deploy/install-deps.sh"

echo "== build"
cmake -S "$src" -B "$src/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDCP_BUILD_TESTS=OFF >/dev/null
cmake --build "$src/build" -j "$(nproc)" >/dev/null

# Every example but the deliberately broken one; each is sent by the
# collector of its own reporting country (a key may only submit for its own).
examples=()
for f in "$src"/collector/examples/*.json; do
    [ "$(basename "$f")" = broken.json ] || examples+=("$f")
done
country_of() { sed -n 's/.*"reporting_country" *: *"\([A-Z]*\)".*/\1/p' "$1" | awk 'NR == 1'; }
countries=$(for f in "${examples[@]}"; do country_of "$f"; done | sort -u)

echo "== start PostgreSQL, loader and validator under var/"
unset DCP_PG_NO_FSYNC   # a pipeline to keep: PostgreSQL with fsync on
# shellcheck disable=SC2086
"$src/deploy/stack.sh" up "$src/var" $countries

echo "== submit the examples"
rc=0
for f in "${examples[@]}"; do
    "$src/deploy/stack.sh" collector "$src/var" "$(country_of "$f")" submit "$f" || rc=1
done

echo "== what landed in PostgreSQL"
"$src/deploy/stack.sh" analyst "$src/var" -c "
SELECT questionnaire, reporting_country AS country, reporting_year AS year,
       revision_no AS rev, review_state, completeness_pct AS complete_pct,
       stored_at::timestamp(0) AS stored_at
  FROM dcp.v_submissions_current ORDER BY 1, 2;" \
  -c "SELECT reporting_country AS country, reporting_year AS year, kg_total AS acetic_anhydride_kg,
       litres_reported, kg_methods FROM dcp.v_aa_seizures_kg ORDER BY 1, 2;" || rc=1

cat <<TXT
The pipeline is still running (logs in var/log/). Try:
  deploy/stack.sh collector var AFG check collector/examples/broken.json
  deploy/stack.sh collector var AFG status
  deploy/stack.sh psql var
The database takes passwords only; they are in var/pgpass (0600).
Stop everything with: deploy/stack.sh down var  (remove it all: deploy/stack.sh destroy var)
TXT
exit $rc
