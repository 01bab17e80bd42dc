#!/bin/bash
# Second run: steadier MLP/linreg numbers (longer JMH) and JAX matmul at TF32 default and fp32 HIGHEST.
cd "$(dirname "$0")"; OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
J=$PWD/jre/bin/java; JOPTS="--enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector"
nvidia-smi --query-gpu=name --format=csv,noheader | tee "$OUT/device.txt"
JCP="classes:bench.jar:$(ls lib/jackson*.jar | tr '\n' ':')"
echo "== jmh $(date -u +%T)"
timeout 150 $J -cp "$JCP" org.openjdk.jmh.Main 'LinregStepBench.jittedUpdate|MlpStepBench|MatmulBench' \
  -p impl=auto -p n=512,2048,4096 -f 1 -wi 3 -w 1 -i 5 -r 2 -jvmArgsAppend "$JOPTS -Xmx8g -Dstatelens.backend=cuda" \
  -rf json -rff "$OUT/statelens.json" > "$OUT/jmh.txt" 2>&1
echo "jmh rc=$?"; grep -E '^Benchmark|Bench\.|Error|Exception' "$OUT/jmh.txt" | head -20
echo "== jax $(date -u +%T)"
timeout 100 python3 jax_compare.py --statelens "$OUT/statelens.json" --out "$OUT/ratios.md" > "$OUT/jax.txt" 2>&1
echo "jax rc=$?"; tail -12 "$OUT/jax.txt"; echo "== done $(date -u +%T)"
