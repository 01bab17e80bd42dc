#!/usr/bin/env bash
# GPU check and benchmark for the cuda (or rocm) backend, for a session that is lent a GPU.
#
#   bench/gpu/run.sh prepare        on the dev machine (Maven Central reachable): builds the
#                                   engine, its tests and the JMH jar, and copies the test
#                                   classpath into bench/gpu/build/ (the GPU machine is offline)
#   bench/gpu/run.sh prepare-jre    (optional) a trimmed Java 25 runtime for a GPU machine without one
#   bench/gpu/run.sh device [OUT]   on the GPU machine (java 25 + python3 with JAX 0.11 there):
#                                   1. GpuParityTest on cuda: every primitive and the examples'
#                                      graphs against the CPU backend (FULL=1 also runs the whole
#                                      engine test-suite with STATELENS_BACKEND=cuda: slow, as every
#                                      distinct eager op is compiled by NVRTC once),
#                                   2. JMH: linreg step, MLP step, matmul on cuda,
#                                   3. the same workloads in JAX (jax_compare.py) and a ratio table.
#
# With the device tool: run "prepare" here, then run "device" with
#   carry = engine/target-gpu/classes, engine/target-gpu/test-classes, bench/target-gpu/benchmarks.jar, bench/gpu/build/lib
# (about 58 MiB; the limit is 64)
# and a timeout that leaves time to rerun. BACKEND=rocm runs the same on an AMD GPU.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=${JAVA:-$JAVA_HOME/bin/java}
[ -x "$JAVA" ] || JAVA=java
BACKEND=${BACKEND:-cuda}
TARGET=target-gpu
LIB=bench/gpu/build/lib
JUNIT_CONSOLE=org.junit.platform:junit-platform-console-standalone:1.13.4

case "${1:-}" in
  prepare)
    ./mvnw -B -q -Dsl.target=$TARGET -pl bench -am package -DskipTests
    ./mvnw -B -q -Dsl.target=$TARGET -pl engine test-compile
    rm -rf "$LIB" && mkdir -p "$LIB"
    ./mvnw -B -q -Dsl.target=$TARGET -pl engine dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$PWD/$LIB"
    ./mvnw -B -q -Dsl.target=$TARGET -pl engine dependency:copy -Dartifact=$JUNIT_CONSOLE -DoutputDirectory="$PWD/$LIB" -Dmdep.stripVersion=true
    # the console launcher bundles JUnit; the separate jars would only duplicate it
    rm -f "$LIB"/junit-jupiter*.jar "$LIB"/junit-platform-commons-*.jar "$LIB"/junit-platform-engine-*.jar
    du -shc engine/$TARGET/classes engine/$TARGET/test-classes bench/$TARGET/benchmarks.jar "$LIB"
    echo "carry these four paths (the device tool takes at most 64 MiB in all)"
    ;;
  prepare-jre)
    # for a GPU machine without JDK 25: a trimmed runtime (~48 MiB) to carry instead of the JMH jar
    # and sqlite (then only the tests run: carry bench/gpu/build/jre, engine/target-gpu/classes,
    # engine/target-gpu/test-classes and bench/gpu/build/lib without sqlite-jdbc; JAVA=bench/gpu/build/jre/bin/java)
    rm -rf bench/gpu/build/jre
    "$JAVA_HOME/bin/jlink" --add-modules java.base,java.sql,java.logging,jdk.unsupported,jdk.incubator.vector \
      --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output bench/gpu/build/jre
    rm -f "$LIB"/sqlite-jdbc-*.jar
    du -sh bench/gpu/build/jre "$LIB"
    ;;
  device)
    OUT=${2:-${OUT:-bench/gpu/out}}
    mkdir -p "$OUT"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | tee "$OUT/device.txt" || true
    JOPTS=(--enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector "-Dstatelens.backend=$BACKEND")
    CP="engine/$TARGET/classes:engine/$TARGET/test-classes:$(ls $LIB/*.jar | grep -v console-standalone | tr '\n' ':')"

    echo "== 1a. GPU parity with the CPU backend ($BACKEND)"
    "$JAVA" "${JOPTS[@]}" -jar "$LIB/junit-platform-console-standalone.jar" execute \
      --class-path "$CP" --select-class dev.statelens.engine.backend.gpu.GpuParityTest --details=tree \
      --disable-banner --reports-dir "$OUT/junit-parity" 2>&1 | tee "$OUT/parity.txt" | tail -60 || true
    if [ "${FULL:-0}" = 1 ]; then
      echo "== 1b. the whole engine test-suite with STATELENS_BACKEND=$BACKEND"
      "$JAVA" "${JOPTS[@]}" -jar "$LIB/junit-platform-console-standalone.jar" execute \
        --class-path "$CP" --select-package dev.statelens.engine --details=summary --disable-banner \
        --reports-dir "$OUT/junit" 2>&1 | tee "$OUT/tests.txt" | tail -40 || true
    fi
    if [ ! -f bench/$TARGET/benchmarks.jar ]; then
      echo "no bench/$TARGET/benchmarks.jar: skipping the benchmarks"
      exit 0
    fi

    echo "== 2. JMH on $BACKEND"
    "$JAVA" -jar bench/$TARGET/benchmarks.jar 'LinregStepBench.jittedUpdate|MlpStepBench|MatmulBench' \
      -p impl=auto -p n=512,2048,4096 -f 1 -wi 3 -w 1 -i 5 -r 1 \
      -jvmArgsAppend "${JOPTS[*]}" -rf json -rff "$OUT/statelens.json" 2>&1 | tail -15

    echo "== 3. JAX on the same GPU, and the ratio table"
    python3 bench/gpu/jax_compare.py --statelens "$OUT/statelens.json" --out "$OUT/ratios.md"
    ;;
  *)
    sed -n 2,19p "$0"
    exit 2
    ;;
esac
