#!/usr/bin/env bash
# make demo: a synthetic country, generated and run through the pipeline as far as it exists.
set -uo pipefail
out=${1:-demo-out}; children=${2:-2000}; seed=${3:-7}
endvac=.venv/bin/endvac
rm -rf "$out"; mkdir -p "$out"
echo "== synthetic country: $children children, seed $seed -> $out/synthetic"
$endvac synth "$out/synthetic" --children "$children" --seed "$seed" || exit 1
echo "== workspace $out/ws"
$endvac init "$out/ws" --country XFC --name "Federal Republic of Examplia (synthetic)" || exit 1
while read -r delivery; do
  [[ -z "$delivery" ]] && continue
  $endvac ingest "$out/ws" "$out/synthetic/$delivery" --no-publish \
    > "$out/ingest-${delivery//\//_}.log" 2>&1
  rc=$?
  case $rc in
    0) echo "ingest $delivery: loaded" ;;
    1) echo "ingest $delivery: loaded, some rows quarantined on purpose (exit 1)" ;;
    *) echo "ingest $delivery failed (exit $rc); see $out/ingest-${delivery//\//_}.log"; exit 1 ;;
  esac
done < "$out/synthetic/deliveries.txt"
echo "== summary"
$endvac status "$out/ws"
echo
echo "== indicators, 2025 (national; before linkage each agency record is a person)"
$endvac indicators "$out/ws" --period 2025 2>/dev/null || exit 1
echo
echo "== safeguard alerts as of 2025-12-31 (count, rule, status)"
$endvac alerts "$out/ws" --as-of 2025-12-31 --format csv 2>/dev/null | tail -n +2 | cut -d, -f1,2 \
  | sort | uniq -c || exit 1
echo "(before linkage, rules whose evidence sits with another agency report no_evidence)"
echo
echo "== record linkage: Splink on the protected identifiers (log: $out/link.log)"
$endvac link "$out/ws" --no-publish 2> "$out/link.log" || exit 1
echo "== linkage quality against the generator's ground truth"
$endvac link-evaluate "$out/ws" "$out/synthetic/truth/persons.csv" 2>/dev/null || exit 1
echo
echo "== after linkage: children counted once (JJ1-JJ3, 2025) and alerts with all the evidence"
$endvac indicators "$out/ws" --period 2025 --id JJ1,JJ2,JJ3 2>/dev/null || exit 1
$endvac alerts "$out/ws" --as-of 2025-12-31 --format csv 2>/dev/null | tail -n +2 | cut -d, -f1,2 \
  | sort | uniq -c || exit 1
echo
echo "== public release of 2025 (small counts suppressed jointly)"
$endvac release "$out/ws" --period 2024 > /dev/null 2>&1 || exit 1  # for the change
$endvac release "$out/ws" --period 2025 2>/dev/null > "$out/release-2025.log" || exit 1
tail -n 1 "$out/release-2025.log"
latest=$(ls -d "$out"/ws/published/release-* | sort -V | tail -n 1)
.venv/bin/python - "$latest" <<'PY' || exit 1
import json, sys
from pathlib import Path
import pyarrow.parquet as pq
folder = Path(sys.argv[1])
totals = {(r["id"], r["period"]): r for r in pq.read_table(folder / "total.parquet").to_pylist()}
meta = json.loads((folder / "release.json").read_text("utf-8"))
for cell in meta["headline"]:
    row = totals[(cell["id"], meta["period"])]
    said = (f"published: {row[cell['field']]}" if cell["published"] else
            f"withheld ({cell['suppressed']}, {cell['code']}): {cell['reason']}")
    print(f"headline {cell['id']} national {cell['field']}: {said}")
PY
echo "release tables: $out/ws/published/ (Parquet, release.json; docs/release.md)"
echo
echo "== snapshot for the web app and the situation-analysis report of 2025"
sed -i "s|regions_geojson: null|regions_geojson: $(realpath "$out/synthetic/regions.geojson")|" \
  "$out/ws/endvac.yaml"
$endvac publish "$out/ws" 2>&1 | tail -n 1 || exit 1
echo
echo "== national prevention strategy (sample): import and coordination checks"
$endvac strategy import "$out/ws" "$out/synthetic/strategy.yaml" || exit 1
$endvac strategy check "$out/ws" --format csv 2>/dev/null | grep -v "^training coverage" || exit 1
echo "(training coverage: $endvac strategy check $out/ws --format csv; docs/strategy.md)"
echo
echo "== situation-analysis report of 2025 (with the strategy chapter)"
$endvac report "$out/ws" --period 2025 --out "$out/report-2025.html" --pdf 2>/dev/null || exit 1
$endvac report "$out/ws" --period 2025 --out "$out/report-2025-public.html" --public 2>/dev/null \
  || exit 1
echo "(restricted report with PDF, and the public report from the release; docs/report.md)"
echo
echo "== the web app: served for a moment and read as an analyst"
.venv/bin/python scripts/demo_web.py "$out/ws" "$out" || exit 1
echo
echo "Breakdowns and equity ratios: $endvac indicators $out/ws --period 2025 --by sex --compare-to sex=m"
echo "Safeguard rates: $endvac indicators $out/ws --period 2025 --safeguards"
echo "Alerts of one rule: $endvac alerts $out/ws --as-of 2025-12-31 --rule pretrial_too_long"
echo "Quarantined rows: $endvac quarantine $out/ws   (ground truth: $out/synthetic/truth/)"
