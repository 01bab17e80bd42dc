#!/bin/bash
# One device call for everything the GPU machine is needed for (a lent task gets ~15 minutes of
# device time, ~2 of them to start): real JAX's reference values, then the whole engine suite on cuda.
#   1. unpacks gpusuite-pack/suite.tar.xz (bench/gpu/prepare-suite.sh builds it here) into gpusuite/
#   2. device-jax-reference.sh: jax_reference.py on JAX's CPU platform and JaxReferenceTest against it
#      -> $OUT/ref/ (jax-reference-cpu.json: bundle it over engine/src/test/resources/jaxref/)
#   3. device-suite.sh on cuda with what is left of REFERENCE_AND_SUITE seconds -> $OUT/
# Device call (run from the repository root):
#   run(command="OUT=$OUT bash bench/gpu/device-session.sh", carry=["gpusuite-pack"], timeout_s=580)
# Proven here on 2026-11-27 with the venv JAX 0.10.2 first on PATH and STATELENS_BACKEND=cpu JOBS=2
# REFERENCE_AND_SUITE=260: reference 45 s (all 185 cases match), then 1355 tests in 22 chunks, 0 failed.
# What to read in summary.txt's [gpu] lines, newest first (docs/gpu.md, "The next device session"):
#   session 20: GpuParityTest.specialLoopsAndF32ZetaMatchTheCpuBackend — expn/hyp1f1's loops as one kernel
#     each and f32 zeta in f32 steps: "[gpu] expi/exp1/expn/hyp1f1 edge values on the device: ...",
#     "[gpu] f32 zeta/polygamma edge pairs on the device: ...", and the first GPU timing of the loop
#     kernels, "[gpu] exp1 f32[65536] per call: loop kernels ... ms, host-driven loops ... ms"
#   session 17-19: GpuParityTest.complexCasesMatchTheCpuBackend (c64 window passes, cummax/cummin, FFT path)
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/device-session-out}; mkdir -p "$OUT/ref"
START=$(date +%s)
TOTAL=${REFERENCE_AND_SUITE:-540}
tar xJf gpusuite-pack/suite.tar.xz || { echo "could not unpack gpusuite-pack/suite.tar.xz" | tee "$OUT/device.txt"; exit 3; }
OUT="$OUT/ref" SUITE=gpusuite STATELENS_BACKEND=cpu timeout 200 bash bench/gpu/device-jax-reference.sh
echo "reference rc=$?"
LEFT=$(( TOTAL - ($(date +%s) - START) ))
[ "$LEFT" -lt 120 ] && LEFT=120
echo "== suite on ${STATELENS_BACKEND:-cuda} with ${LEFT}s"
OUT="$OUT" SUITE_TIMEOUT=$((LEFT - 15)) bash gpusuite/device-suite.sh
