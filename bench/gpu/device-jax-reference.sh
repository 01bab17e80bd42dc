#!/bin/bash
# StateLens against real JAX in one device call (docs/prng.md, "Checking against real JAX"):
#   1. bench/gpu/jax_reference.py writes jax-reference[-PLATFORM].json with the machine's JAX
#      (one file per platform in JAX_REF_PLATFORMS, default "cpu": StateLens follows JAX's CPU
#      backend; "cpu cuda" also records JAX's GPU values, where erf_inv's log1p may differ by an ulp)
#   2. JaxReferenceTest compares StateLens with each file, from gpusuite/ (bench/gpu/prepare-suite.sh
#      builds it here: jlinked Java, the engine's classes and test classes, JUnit's console)
# Run from the repository root. Device call:
#   run(command="OUT=$OUT bash bench/gpu/device-jax-reference.sh", carry=["gpusuite"], timeout_s=300)
# Writes to $OUT: jax-reference-PLATFORM.json, jax-reference-report-PLATFORM.txt (the verdict: one
# line per case, every mismatch with case, index and both values), jax-reference.log.
#   STATELENS_BACKEND  the StateLens backend compared (default cpu)
#   JAX_REFERENCE_IN   compare this file instead of running JAX (proves the Java half without JAX:
#                      JAX_REFERENCE_IN=engine/src/test/resources/jaxref/published-partitionable.json)
#   SUITE              the prepared folder (default gpusuite)
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/jax-reference-out}; mkdir -p "$OUT"
SUITE=${SUITE:-gpusuite}
export STATELENS_BACKEND=${STATELENS_BACKEND:-cpu}
LOG="$OUT/jax-reference.log"
J="$SUITE/jre/bin/java"
[ -x "$J" ] || J=java
[ -d "$SUITE/test-classes/dev/statelens/engine" ] \
  || { echo "no $SUITE/test-classes: run bench/gpu/prepare-suite.sh here and carry [\"$SUITE\"]" | tee "$LOG"; exit 2; }
SUITE=$(cd "$SUITE" && pwd)
CP="$SUITE/classes:$SUITE/test-classes:$(ls "$SUITE"/lib/*.jar | tr '\n' ':')"
{
  date -u
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo "no nvidia-smi"
  echo "StateLens backend $STATELENS_BACKEND; $("$J" -version 2>&1 | head -1)"
} > "$LOG"

if [ -n "${JAX_REFERENCE_IN:-}" ]; then
  cp "$JAX_REFERENCE_IN" "$OUT/jax-reference-given.json"
  PLATFORMS=given
else
  PLATFORMS=${JAX_REF_PLATFORMS:-cpu}
  for p in $PLATFORMS; do
    echo "== JAX on $p $(date -u +%T)" | tee -a "$LOG"
    JAX_PLATFORMS=$p PYTHONUNBUFFERED=1 timeout 240 python3 bench/gpu/jax_reference.py \
      -o "$OUT/jax-reference-$p.json" >> "$LOG" 2>&1 || { echo "jax_reference.py failed on $p" | tee -a "$LOG"; }
  done
fi

rc=0
for p in $PLATFORMS; do
  f="$OUT/jax-reference-$p.json"
  [ -f "$f" ] || { rc=2; continue; }
  echo "== StateLens ($STATELENS_BACKEND) vs $f $(date -u +%T)" | tee -a "$LOG"
  timeout 240 "$J" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -Xss4m -Xmx8g \
    "-Dstatelens.backend=$STATELENS_BACKEND" "-Dstatelens.jaxReference=$f" \
    "-Dstatelens.jaxReport=$OUT/jax-reference-report-$p.txt" \
    -cp "$CP" org.junit.platform.console.ConsoleLauncher execute --disable-banner --disable-ansi-colors \
    --details=summary --select-class dev.statelens.engine.JaxReferenceTest >> "$LOG" 2>&1
  r=$?
  [ $r -ne 0 ] && rc=$r
  head -2 "$OUT/jax-reference-report-$p.txt" 2>/dev/null | tee -a "$LOG"
  grep -E '^FAIL' "$OUT/jax-reference-report-$p.txt" 2>/dev/null | head -40
done
grep -E 'tests (successful|failed|aborted)' "$LOG"
echo "== done rc=$rc $(date -u +%T) (0: every case matches; 1: some differ, see the reports; 2: no JAX file)"
exit $rc
