"""Provides cpu_kernels: the CPU and the kernels CTranslate2 picks on it at run time (for manifests)."""

from __future__ import annotations

import os
from pathlib import Path

_CPU_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx_vnni")


def cpu_kernels(cpuinfo: Path = Path("/proc/cpuinfo")) -> dict[str, str]:
    """The CPU and the kernels CTranslate2 runs on it, as CTranslate2 and oneDNN choose them at run time.

    Their int8 results differ in the last bits (oneDNN with and without VNNI most of all) and beam search can turn
    that into other words, so the same model and input may give slightly different English on another CPU. Batch
    manifests record this to explain such a difference. The rules mirror CTranslate2's: CT2_FORCE_CPU_ISA else the
    best of AVX512/AVX2/AVX; Intel MKL when CT2_USE_MKL says so, else on GenuineIntel only; oneDNN capped by
    ONEDNN_MAX_CPU_ISA.
    """
    fields: dict[str, str] = {}
    try:
        with cpuinfo.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                key = key.strip()
                if key in ("vendor_id", "model name", "flags") and key not in fields:
                    fields[key] = value.strip()
                if not line.strip() and fields:
                    break
    except OSError:
        pass
    flags = set(fields.get("flags", "").split())
    vendor = fields.get("vendor_id", "")
    best = ("AVX512" if {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"} <= flags
            else "AVX2" if "avx2" in flags else "AVX" if "avx" in flags else "GENERIC")
    use_mkl = os.environ.get("CT2_USE_MKL", "")
    try:
        import ctranslate2

        version = str(ctranslate2.__version__)
    except ImportError:  # pragma: no cover - a broken install
        version = "?"
    return {
        "cpu": fields.get("model name", "unknown"),
        "vendor": vendor or "unknown",
        "flags": " ".join(f for f in _CPU_FLAGS if f in flags),
        "isa": os.environ.get("CT2_FORCE_CPU_ISA", "") or best,
        "mkl": str(use_mkl.lower() in ("1", "true", "on") if use_mkl else vendor == "GenuineIntel").lower(),
        "onednn_max_isa": os.environ.get("ONEDNN_MAX_CPU_ISA", "") or os.environ.get("DNNL_MAX_CPU_ISA", "") or "all",
        "ctranslate2": version,
    }
