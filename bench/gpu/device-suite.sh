#!/bin/bash
# The whole engine test suite on one backend, in one device call (issue 7: "the same tests as the
# CPU backend run on any available GPU backend"). Runs from gpusuite/ (built by prepare-suite.sh).
#   STATELENS_BACKEND   cuda (default), rocm, auto or cpu (cpu proves the script and the carry here)
#   OUT                 where results go (the device tool's $OUT)
#   SUITE_TIMEOUT       seconds for the whole JUnit run (default 420, so a 600 s call can finish)
#   SELECT              JUnit selector (default: --select-package dev.statelens.engine)
#   EXTRA_JVM           more JVM options, e.g. -Dstatelens.cuda.tf32=true
# Writes $OUT/device.txt, suite.txt (the JUnit tree), summary.txt (counts, failures, skips with
# their reasons) and junit/ (XML reports).
cd "$(dirname "$0")"
OUT=${OUT:-/tmp/suite-out}; mkdir -p "$OUT"
export STATELENS_BACKEND=${STATELENS_BACKEND:-cuda}
J=$PWD/jre/bin/java
[ -x "$J" ] || J=java
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "no nvidia-smi"
  echo "cores $(nproc); backend $STATELENS_BACKEND; $("$J" -version 2>&1 | head -1)"
} > "$OUT/device.txt"
cat "$OUT/device.txt"
CP="$PWD/classes:$PWD/test-classes:$(ls "$PWD"/lib/*.jar | tr '\n' ':')"
# -Dstatelens.backend as well as the variable: tests read the property (CpuBackendOnly), child JVMs the variable
JOPTS=(--enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -Xmx16g
  "-Dstatelens.backend=$STATELENS_BACKEND" ${EXTRA_JVM:-})
# shellcheck disable=SC2206
SEL=(${SELECT:---select-package dev.statelens.engine})
echo "== suite on $STATELENS_BACKEND $(date -u +%T)"
# one test may not take the run with it: JUnit's default timeout fails it after 120 s.
# -cp on the JVM (not the launcher's --class-path), absolute: child-JVM tests reuse java.class.path, some from another directory
timeout "${SUITE_TIMEOUT:-420}" "$J" "${JOPTS[@]}" -cp "$CP" org.junit.platform.console.ConsoleLauncher execute \
  --disable-banner --disable-ansi-colors --details=tree "${SEL[@]}" \
  --exclude-classname '.*EmulatedKernelsTest|.*GpuRuntimeEmulatedTest' \
  --config junit.jupiter.execution.timeout.default=120s \
  --reports-dir "$OUT/junit" > "$OUT/suite.txt" 2>&1
rc=$?
echo "== suite rc=$rc $(date -u +%T) (124: SUITE_TIMEOUT reached; 1: some test failed)"
{
  echo "backend $STATELENS_BACKEND, rc $rc"
  grep -E '^\[ +[0-9]+ (tests|containers) (found|successful|failed|skipped|aborted)' "$OUT/suite.txt"
  echo "-- failed:"
  grep -E '✘' "$OUT/suite.txt" | head -80
  echo "-- skipped or aborted by an assumption (with reasons):"
  grep -E '↷|■' "$OUT/suite.txt" | head -80
  echo "-- GPU launch counts and parity lines:"
  grep -E '^\[gpu\]' "$OUT/suite.txt" | head -40
} > "$OUT/summary.txt"
cat "$OUT/summary.txt"
exit $rc
