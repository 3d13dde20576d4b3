#!/usr/bin/env bash
# Runs the tests that decode with the demo model (pytest -m model) under each choice of CPU kernels that
# CTranslate2 and oneDNN make at run time, and prints which pass. Exact int8 output differs between them:
# oneDNN with VNNI (AVX512-VNNI/AVX-VNNI CPUs) and without (AVX2-only CPUs such as AMD EPYC Zen 2/3) most of all,
# so ONEDNN_MAX_CPU_ISA=AVX2 on a VNNI machine reproduces what an AVX2-only AMD gives.
# Usage: scripts/test_cpu_matrix.sh [extra pytest args]     (about 40 s per line on 2 cores)
set -u
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
status=0
run() {
    local label="$*"
    if env "$@" "$PY" -m pytest -q -p no:cacheprovider -m model "${EXTRA[@]}" >/tmp/cpu-matrix.log 2>&1; then
        printf 'pass  %-75s %s\n' "$label" "$(tail -1 /tmp/cpu-matrix.log)"
    else
        status=1
        printf 'FAIL  %-75s %s\n' "$label" "$(tail -1 /tmp/cpu-matrix.log)"
        grep -E '^FAILED' /tmp/cpu-matrix.log | sed 's/^/      /'
    fi
}
EXTRA=("$@")
run CPU_DEFAULT=1
for isa in GENERIC AVX2 AVX512; do
    for mkl in 0 1; do
        run CT2_FORCE_CPU_ISA=$isa CT2_USE_MKL=$mkl
        run CT2_FORCE_CPU_ISA=$isa CT2_USE_MKL=$mkl ONEDNN_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2
    done
done
run CT2_FORCE_CPU_ISA=GENERIC CT2_USE_MKL=0 ONEDNN_MAX_CPU_ISA=SSE41
exit $status
