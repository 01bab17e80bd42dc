#!/usr/bin/env bash
# Builds gpurun/ (git-ignored through .git/info/exclude), everything a GPU machine WITHOUT a JDK
# needs in one carried path of ~54 MiB (the device tool takes 64 MiB with the working tree):
# a jlinked, stripped Java 25 runtime, the engine's classes and test classes, the JUnit console
# launcher, and a slim JMH jar (bench classes + engine + JMH only, ~6 MiB instead of 37).
# Then: run command "OUT=$OUT bash gpurun/device-jlink.sh", carry ["gpurun"] (see docs/gpu.md).
# Needs: ./mvnw -pl engine test-compile and ./mvnw -pl bench -am package -DskipTests done with
# -Dsl.target=$TARGET, and bench/gpu/run.sh prepare (for bench/gpu/build/lib).
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=${TARGET:-target-gpu}
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
G=gpurun
mkdir -p .git/info && (grep -qx "/$G/" .git/info/exclude 2>/dev/null || echo "/$G/" >> .git/info/exclude)
rm -rf $G && mkdir -p $G/lib
"$J/bin/jlink" --add-modules java.base,java.management,java.logging,jdk.unsupported,jdk.incubator.vector,java.xml \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output $G/jre
strip --strip-unneeded $G/jre/lib/server/libjvm.so   # 29 -> 24 MiB
cp -r engine/$TARGET/classes engine/$TARGET/test-classes $G/
cp bench/gpu/build/lib/junit-platform-console-standalone.jar $G/junit-platform-console-standalone-1.13.4.jar
cp bench/gpu/build/lib/{jackson,opentest4j,apiguardian}*.jar $G/lib/
ROOT=$PWD tmp=$(mktemp -d)
mkdir -p "$tmp/all" "$tmp/slim"
(cd "$tmp/all" && unzip -q "$ROOT/bench/$TARGET/benchmarks.jar" \
  && cp -r --parents dev/statelens/bench dev/statelens/engine dev/statelens/examples org/openjdk joptsimple \
       org/apache/commons/math3 META-INF/BenchmarkList META-INF/CompilerHints "$tmp/slim/")
printf 'Main-Class: org.openjdk.jmh.Main\n' > "$tmp/man.txt"
(cd "$tmp/slim" && "$J/bin/jar" cfm "$ROOT/$G/bench.jar" "$tmp/man.txt" .)
rm -rf "$tmp"
cp bench/gpu/device-jlink.sh bench/gpu/device-jlink-bench.sh bench/gpu/jax_compare.py $G/
du -sh $G
