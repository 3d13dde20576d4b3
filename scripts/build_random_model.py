#!/usr/bin/env python3
"""Build a random-weight Argos ar->en package of the real shape, for speed benchmarks only.

Shape of Argos' transformer-base ar->en model: 6 encoder + 6 decoder layers, d_model 512,
8 heads, feed-forward 2048, pre-norm, a shared 32k SentencePiece vocabulary, int8 weights.
Speed does not depend on the weights, so they are random; no torch is needed: the model is
written through `ctranslate2.specs` with numpy arrays.

The SentencePiece model is trained on the seeds and /work/shared/data/train (never on FLORES,
which is kept for evaluation). The end-of-sentence logit is pushed far down, so every sentence
decodes to exactly the decoding limit the caller sets (`max_decoding_length`): benchmark runs
are then comparable across configurations, whatever the random weights would have produced.

Usage: .venv/bin/python scripts/build_random_model.py [--out bench/out] [--vocab 32000]
Writes OUT/random-ar-en/ (installed package folder) and OUT/random-ar-en.argosmodel (zip).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT.parent / "shared" / "data" / "train"
SPECIALS = ["<blank>", "<unk>", "<s>", "</s>"]  # OpenNMT-py order, as Argos packages have it


def training_text(limit_lines: int = 200_000) -> list[str]:
    """Lines for SentencePiece: seeds plus the permissive training data (Arabic and English)."""
    lines: list[str] = []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        lines += [line.strip() for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
    for folder in sorted(TRAIN.iterdir()) if TRAIN.is_dir() else []:
        if "flores" in folder.name.lower():
            continue  # evaluation data: never train on it
        for name in ("ar.txt", "en.txt"):
            path = folder / name
            if path.is_file():
                lines += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[:limit_lines]


def train_sentencepiece(lines: list[str], vocab_size: int, prefix: Path) -> Path:
    """Train a unigram SentencePiece model; returns the .model path."""
    import sentencepiece as spm

    text = prefix.with_suffix(".txt")
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(prefix), vocab_size=vocab_size, model_type="unigram",
        character_coverage=0.9995, hard_vocab_limit=False, num_threads=2,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1, minloglevel=2,
    )
    return prefix.with_suffix(".model")


def vocabulary(sp_model: Path, size: int) -> list[str]:
    """The shared vocabulary: OpenNMT-py specials, the SentencePiece pieces, padded to `size`."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    vocab = SPECIALS + [p for p in pieces if p not in SPECIALS]
    vocab += [f"<extra_{i}>" for i in range(size - len(vocab))]  # keep the real matrix shapes
    return vocab[:size]


def build_spec(vocab: list[str], layers: int, d_model: int, heads: int, ffn: int, seed: int):  # type: ignore[no-untyped-def]
    """A TransformerSpec with random weights (normal, std 0.02) and unit layer norms."""
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    spec = transformer_spec.TransformerSpec.from_config((layers, layers), heads, pre_norm=True)
    v, d = len(vocab), d_model

    def w(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape, dtype=np.float32) * 0.02).astype(np.float32)

    def norm(layer) -> None:  # type: ignore[no-untyped-def]
        layer.gamma = np.ones(d, np.float32)
        layer.beta = np.zeros(d, np.float32)

    def linear(layer, rows: int, cols: int) -> None:  # type: ignore[no-untyped-def]
        layer.weight = w(rows, cols)
        layer.bias = np.zeros(rows, np.float32)

    def attention(att, cross: bool) -> None:  # type: ignore[no-untyped-def]
        norm(att.layer_norm)
        if cross:
            linear(att.linear[0], d, d)
            linear(att.linear[1], 2 * d, d)
            linear(att.linear[2], d, d)
        else:
            linear(att.linear[0], 3 * d, d)
            linear(att.linear[1], d, d)

    def feed_forward(layer) -> None:  # type: ignore[no-untyped-def]
        norm(layer.layer_norm)
        linear(layer.linear_0, ffn, d)
        linear(layer.linear_1, d, ffn)

    spec.encoder.embeddings[0].weight = w(v, d)
    norm(spec.encoder.layer_norm)
    for layer in spec.encoder.layer:
        attention(layer.self_attention, cross=False)
        feed_forward(layer.ffn)
    spec.decoder.embeddings.weight = w(v, d)
    norm(spec.decoder.layer_norm)
    for layer in spec.decoder.layer:
        attention(layer.self_attention, cross=False)
        attention(layer.attention, cross=True)
        feed_forward(layer.ffn)
    linear(spec.decoder.projection, v, d)
    spec.decoder.projection.bias[vocab.index("</s>")] = -1e4  # never stop: decode to the limit
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.config.add_source_bos = False
    spec.config.add_source_eos = False
    spec.config.bos_token = "<s>"
    spec.config.eos_token = "</s>"
    spec.config.unk_token = "<unk>"
    spec.config.decoder_start_token = "<s>"
    return spec


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--vocab", type=int, default=32000)
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--d-model", type=int, default=512)
    parser.add_argument("--heads", type=int, default=8)
    parser.add_argument("--ffn", type=int, default=2048)
    parser.add_argument("--quantization", default="int8")
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    package = args.out / "random-ar-en"
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / "random-ar-en"
        staging.mkdir()
        lines = training_text()
        print(f"training SentencePiece ({args.vocab} pieces max) on {len(lines)} lines …", file=sys.stderr)
        sp_model = train_sentencepiece(lines, args.vocab, Path(tmp) / "sp")
        shutil.copy(sp_model, staging / "sentencepiece.model")
        vocab = vocabulary(sp_model, args.vocab)
        print(f"building random {args.layers}+{args.layers}-layer model, d={args.d_model}, "
              f"heads={args.heads}, ffn={args.ffn}, vocab={len(vocab)}, {args.quantization} …", file=sys.stderr)
        spec = build_spec(vocab, args.layers, args.d_model, args.heads, args.ffn, args.seed)
        spec.validate()
        spec.optimize(quantization=args.quantization)
        (staging / "model").mkdir()
        spec.save(str(staging / "model"))
        metadata = {
            "package_version": "0.0-random",
            "argos_version": "1.9",
            "from_code": "ar", "from_name": "Arabic",
            "to_code": "en", "to_name": "English",
            "type": "translate",
            "benchmark_only": True,
            "description": "random weights of the Argos ar->en transformer-base shape; output is noise",
        }
        (staging / "metadata.json").write_text(json.dumps(metadata, indent=1) + "\n", encoding="utf-8")
        if package.exists():
            shutil.rmtree(package)
        args.out.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staging, package)
    archive = args.out / "random-ar-en.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for path in sorted(package.rglob("*")):
            zf.write(path, Path("random-ar-en") / path.relative_to(package))
    size = sum(p.stat().st_size for p in package.rglob("*") if p.is_file())
    print(f"wrote {package} ({size / 2**20:.0f} MiB) and {archive} in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
