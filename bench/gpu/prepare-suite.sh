#!/usr/bin/env bash
# Builds gpusuite/ (git-ignored through .git/info/exclude): everything an offline GPU machine
# without a JDK needs to run the WHOLE engine test suite on one backend, in one carried path
# under the device tool's 64 MiB:
#   jre/        a jlinked, stripped Java 25 runtime (java.base, java.sql for the run store,
#               java.management, java.logging, jdk.unsupported, jdk.incubator.vector)
#   classes/ test-classes/   the engine's, from engine/$TARGET (built here unless SKIP_BUILD=1)
#   lib/        the engine's test-scope jars from ~/.m2 (sqlite-jdbc trimmed to its Linux x86_64
#               natives) and junit-platform-console-standalone (which bundles JUnit itself)
#   device-suite.sh          the script the device runs
# Then one device call: command "OUT=$OUT bash gpusuite-pack/run.sh", carry ["gpusuite-pack"] (the packed copy, see the end)
# (docs/gpu.md, "The whole engine suite on a GPU"). Prove it here first with
#   STATELENS_BACKEND=cpu OUT=/tmp/suite-out bash gpusuite/device-suite.sh
# Offline: every artifact comes from ~/.m2 (mvn -o); nothing is downloaded.
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=${TARGET:-target-gpu}
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
S=gpusuite
CONSOLE=org.junit.platform:junit-platform-console-standalone:1.13.4
MVN=(./mvnw -B -q -o "-Dsl.target=$TARGET")
mkdir -p .git/info && (grep -qx "/$S/" .git/info/exclude 2>/dev/null || echo "/$S/" >> .git/info/exclude)

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  "${MVN[@]}" -pl engine test-compile
fi
[ -d "engine/$TARGET/test-classes" ] || { echo "no engine/$TARGET/test-classes: build the engine (or unset SKIP_BUILD)" >&2; exit 1; }

rm -rf $S && mkdir -p $S/lib
if [ -x gpurun/jre/bin/java ] && gpurun/jre/bin/java --list-modules | grep -q '^java.sql'; then
  cp -r gpurun/jre $S/jre    # prepare-jlink.sh's runtime, when it already has java.sql
else
  "$J/bin/jlink" --add-modules java.base,java.sql,java.management,java.logging,jdk.unsupported,jdk.incubator.vector \
    --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output $S/jre
  strip --strip-unneeded $S/jre/lib/server/libjvm.so
fi
cp -r "engine/$TARGET/classes" "engine/$TARGET/test-classes" $S/

"${MVN[@]}" -pl engine dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$PWD/$S/lib"
"${MVN[@]}" -pl engine dependency:copy -Dartifact=$CONSOLE -DoutputDirectory="$PWD/$S/lib" -Dmdep.stripVersion=true
# the console launcher bundles JUnit Jupiter/Platform, opentest4j and apiguardian
rm -f $S/lib/junit-jupiter*.jar $S/lib/junit-platform-commons-*.jar $S/lib/junit-platform-engine-*.jar \
  $S/lib/opentest4j-*.jar $S/lib/apiguardian-*.jar
for jar in $S/lib/sqlite-jdbc-*.jar; do
  # 14 MiB of natives for every platform; the lent machines are Linux x86_64
  zip -q -d "$jar" 'org/sqlite/native/Windows/*' 'org/sqlite/native/Mac/*' 'org/sqlite/native/FreeBSD/*' \
    'org/sqlite/native/Linux-Android/*' 'org/sqlite/native/Linux-Musl/*' 'org/sqlite/native/Linux/[!x]*' \
    'org/sqlite/native/Linux/x86/*' >/dev/null || true
done
cp bench/gpu/device-suite.sh $S/
du -sh $S/* | sort -h
du -sh $S
# The carry limit (64 MiB) counts the working tree too, and gpusuite/ alone is ~56 MiB: carry it
# packed instead (~33 MB as .tar.xz; the device unpacks it in ~3 s). Device call:
#   run(command="OUT=$OUT bash gpusuite-pack/run.sh", carry=["gpusuite-pack"], timeout_s=540)
P=gpusuite-pack
(grep -qx "/$P/" .git/info/exclude 2>/dev/null || echo "/$P/" >> .git/info/exclude) 2>/dev/null || true
rm -rf $P && mkdir -p $P
tar cJf $P/suite.tar.xz $S
cat > $P/run.sh <<'RUN'
#!/bin/bash
# Unpacks gpusuite/ beside this script and runs the whole engine suite (device-suite.sh; same variables).
cd "$(dirname "$0")" && tar xJf suite.tar.xz || { echo "could not unpack suite.tar.xz"; exit 3; }
OUT=${OUT:-/tmp/suite-out} exec bash gpusuite/device-suite.sh
RUN
du -sh $P
