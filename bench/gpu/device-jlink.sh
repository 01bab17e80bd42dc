#!/bin/bash
# One device run (gpu2, issue 7): backend tests on the GPU, then JMH on cuda vs JAX. Outputs in $OUT.
cd "$(dirname "$0")"
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
J=$PWD/jre/bin/java
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; nproc; python3 -c 'import jax; print("jax", jax.__version__, jax.devices())'; } > "$OUT/device.txt" 2>&1
cat "$OUT/device.txt"
JOPTS="--enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector"
CP="classes:test-classes:$(ls lib/*.jar | tr '\n' ':')"
echo "== tests $(date -u +%T)"
timeout 130 $J $JOPTS -jar junit-platform-console-standalone-1.13.4.jar execute --disable-banner --disable-ansi-colors \
  --details=tree -cp "$CP" --select-package dev.statelens.engine.backend.gpu --select-package dev.statelens.engine.backend.cuda \
  --exclude-classname '.*EmulatedKernelsTest' > "$OUT/tests.txt" 2>&1
echo "tests rc=$?"; grep -v 'WARNING: Using incubator' "$OUT/tests.txt" | grep -E '✘|✔|↷|tests (successful|failed|skipped|found)|Expected|expected|mismatch' | head -60
echo "== jmh $(date -u +%T)"
JCP="classes:bench.jar:$(ls lib/jackson*.jar | tr '\n' ':')"
timeout 150 $J -cp "$JCP" org.openjdk.jmh.Main 'LinregStepBench.jittedUpdate|MlpStepBench|MatmulBench' \
  -p impl=auto -p n=512,2048,4096 -f 1 -wi 2 -w 1 -i 3 -r 1 -jvmArgsAppend "$JOPTS -Xmx8g -Dstatelens.backend=cuda" \
  -rf json -rff "$OUT/statelens.json" > "$OUT/jmh.txt" 2>&1
echo "jmh rc=$?"; grep -E 'matmul:|^Benchmark|Bench\.|Error|Exception|^\[gpu\]' "$OUT/jmh.txt" | head -30
echo "== jmh matmul, generated kernel (no cuBLAS) $(date -u +%T)"
timeout 50 $J -cp "$JCP" org.openjdk.jmh.Main 'MatmulBench' -p impl=auto -p n=2048,4096 -f 1 -wi 2 -w 1 -i 3 -r 1 \
  -jvmArgsAppend "$JOPTS -Xmx8g -Dstatelens.backend=cuda -Dstatelens.gpu.blas=false" > "$OUT/jmh-noblas.txt" 2>&1
echo "rc=$?"; grep -E 'Bench\.|Error|Exception' "$OUT/jmh-noblas.txt" | head
echo "== jmh matmul, cuBLAS with TF32 (JAX's default f32 precision) $(date -u +%T)"
timeout 50 $J -cp "$JCP" org.openjdk.jmh.Main 'MatmulBench' -p impl=auto -p n=2048,4096 -f 1 -wi 2 -w 1 -i 3 -r 1 \
  -jvmArgsAppend "$JOPTS -Xmx8g -Dstatelens.backend=cuda -Dstatelens.cuda.tf32=true" > "$OUT/jmh-tf32.txt" 2>&1
echo "rc=$?"; grep -E 'Bench\.|Error|Exception' "$OUT/jmh-tf32.txt" | head
echo "== jax $(date -u +%T)"
timeout 90 python3 jax_compare.py --statelens "$OUT/statelens.json" --out "$OUT/ratios.md" > "$OUT/jax.txt" 2>&1
echo "jax rc=$?"; tail -20 "$OUT/jax.txt"
echo "== done $(date -u +%T)"
