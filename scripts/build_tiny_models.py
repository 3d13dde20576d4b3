#!/usr/bin/env python3
"""Build tiny random-weight ar->en models in the formats `translator models import` accepts.

For tests of the importer and the engine, never for translation: the weights are random, so
the English is noise. Each model is a few hundred KiB and builds in about a second.

- `opus-mt`: an OPUS-MT / Tatoeba-Challenge release as Helsinki-NLP publishes it: `decoder.yml`,
  a Marian `.npz` (post-norm transformer, tied embeddings, `special:model.yml` inside),
  the joint vocabulary `.yml`, separate `source.spm` / `target.spm`, README.md, LICENSE;
  as a folder or a zip with the files at its top level. numpy + sentencepiece only.
- `ct2`: a CTranslate2 model folder (model.bin, config.json, vocabulary) beside its
  `source.spm` / `target.spm`, made from the OPUS-MT release with CTranslate2's own
  OpusMTConverter.
- `ct2-nllb`: a CTranslate2 folder shaped like a converted NLLB model (language tokens,
  `sentencepiece.bpe.model`), from numpy weights: the "convert elsewhere, import here" path.
- `hf-marian` and `hf-nllb`: Hugging Face checkpoints (MarianMTModel + MarianTokenizer,
  M2M100ForConditionalGeneration + NllbTokenizer), only where torch and transformers are
  installed (`pip install -e '.[convert]'`, in a throwaway virtualenv).

Usage: python scripts/build_tiny_models.py OUT [--formats opus-mt,ct2,hf-marian,hf-nllb] [--zip]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
LICENSE_TEXT = "Creative Commons Attribution 4.0 International (CC-BY 4.0)\n\nTiny random test model.\n"
FORMATS = ("opus-mt", "ct2", "ct2-nllb", "hf-marian", "hf-nllb")


def corpus() -> tuple[list[str], list[str]]:
    """Arabic and English lines from the repository itself (seeds, held-out templates)."""
    arabic: list[str] = []
    english: list[str] = []
    for seed in sorted((ROOT / "seeds").glob("*.ar.txt")):
        arabic += [line.strip() for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in (ROOT / "tests" / "data" / "heldout_templates.tsv").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            ar, en = line.split("\t", 1)
            arabic.append(ar.strip())
            english.append(en.strip())
    return arabic, english


def train_spm(lines: list[str], prefix: Path, vocab_size: int, model_type: str = "unigram") -> Path:
    """A small SentencePiece model (Marian's special ids: </s>=0... are set by the vocabulary)."""
    import sentencepiece as spm

    text = prefix.with_suffix(".txt")
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(prefix), vocab_size=vocab_size, model_type=model_type,
        character_coverage=1.0, hard_vocab_limit=False, num_threads=1, minloglevel=2,
        unk_id=1, bos_id=-1, eos_id=0, pad_id=-1,
    )
    return prefix.with_suffix(".model")


def spm_pieces(model: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size()) if not (sp.is_control(i) or sp.is_unknown(i))]


def marian_vocab(source_spm: Path, target_spm: Path) -> list[str]:
    """OPUS-MT's joint vocabulary: </s>, <unk>, then the pieces of both SentencePiece models."""
    return ["</s>", "<unk>", *dict.fromkeys(spm_pieces(source_spm) + spm_pieces(target_spm))]


def write_marian_vocab(vocab: list[str], path: Path) -> None:
    """Marian's YAML vocabulary (`"piece": id` lines, as CTranslate2's load_vocab reads them)."""
    lines = [f"{json.dumps(token, ensure_ascii=False)}: {i}" for i, token in enumerate(vocab)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def marian_weights(vocab_size: int, d: int, ffn: int, layers: int, heads: int, seed: int) -> dict[str, np.ndarray]:
    """Random weights under Marian's names for a post-norm transformer with tied embeddings."""
    rng = np.random.default_rng(seed)

    def w(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.1).astype(np.float32)

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape, np.float32)

    def attention(prefix: str) -> dict[str, np.ndarray]:
        out = {}
        for part in ("q", "k", "v", "o"):
            out[f"{prefix}_W{part}"] = w(d, d)
            out[f"{prefix}_b{part}"] = zeros(1, d)
        out[f"{prefix}_Wo_ln_scale"] = np.ones((1, d), np.float32)
        out[f"{prefix}_Wo_ln_bias"] = zeros(1, d)
        return out

    def feed_forward(prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_W1": w(d, ffn), f"{prefix}_b1": zeros(1, ffn), f"{prefix}_W2": w(ffn, d),
                f"{prefix}_b2": zeros(1, d), f"{prefix}_ffn_ln_scale": np.ones((1, d), np.float32),
                f"{prefix}_ffn_ln_bias": zeros(1, d)}

    weights = {"Wemb": w(vocab_size, d), "decoder_ff_logit_out_b": zeros(1, vocab_size)}
    for i in range(1, layers + 1):
        weights |= attention(f"encoder_l{i}_self") | feed_forward(f"encoder_l{i}_ffn")
        weights |= attention(f"decoder_l{i}_self") | attention(f"decoder_l{i}_context")
        weights |= feed_forward(f"decoder_l{i}_ffn")
    config = {
        "type": "transformer", "enc-depth": layers, "dec-depth": layers, "dim-emb": d,
        "transformer-heads": heads, "transformer-dim-ffn": ffn, "transformer-ffn-activation": "swish",
        "transformer-decoder-autoreg": "self-attention", "transformer-no-projection": False,
        "transformer-preprocess": "", "transformer-postprocess": "dan", "transformer-postprocess-top": "",
        "transformer-postprocess-emb": "d", "transformer-guided-alignment-layer": "last",
        "tied-embeddings-all": True,
    }
    import yaml

    weights["special:model.yml"] = np.frombuffer(yaml.safe_dump(config).encode() + b"\0", dtype=np.int8)
    return weights


def build_opus_mt(out: Path, *, as_zip: bool = False, source_langs: str = "ara", target_langs: str = "eng",
                  d: int = 32, layers: int = 1, seed: int = 0, vocab_size: int = 0,
                  language_tokens: bool = True) -> Path:
    """An OPUS-MT release folder `out/` (or `out.zip` when as_zip) with random weights.

    d/layers/vocab_size=512/6/32000 give OPUS-MT's transformer-base shape (for timing conversions).
    """
    arabic, english = corpus()
    with tempfile.TemporaryDirectory() as tmp:
        src = train_spm(arabic, Path(tmp) / "source", 300)
        tgt = train_spm(english, Path(tmp) / "target", 200)
        folder = Path(tmp) / "release"
        folder.mkdir()
        shutil.copy(src, folder / "source.spm")
        shutil.copy(tgt, folder / "target.spm")
        vocab = marian_vocab(src, tgt)
        if language_tokens and len(target_langs.split()) > 1:  # multi-target releases: >>id<< picks the target
            vocab += [f">>{code}<<" for code in target_langs.split()]
        vocab += [f"<extra_{i}>" for i in range(vocab_size - len(vocab))]  # real matrix shapes, when asked
        stem = "opus.spm300-spm200"
        write_marian_vocab(vocab, folder / f"{stem}.vocab.yml")
        npz = f"{stem}.transformer-align.model1.npz.best-perplexity.npz"
        np.savez(folder / npz, **marian_weights(len(vocab), d, 4 * d, layers, 8 if d >= 256 else 2, seed))  # type: ignore[arg-type]
        (folder / "decoder.yml").write_text(
            f"models:\n  - {npz}\nvocabs:\n  - {stem}.vocab.yml\n  - {stem}.vocab.yml\n"
            "beam-size: 6\nnormalize: 0.6\nword-penalty: 0\nmini-batch: 1\nmaxi-batch: 1\n", encoding="utf-8")
        (folder / "README.md").write_text(
            "# opus-tiny-random.zip\n\n* dataset: opus\n* model: transformer-align\n"
            f"* source language(s): {source_langs}\n* target language(s): {target_langs}\n"
            "* pre-processing: normalization + SentencePiece (spm300,spm200)\n"
            "* random weights for tests: the output is noise\n", encoding="utf-8")
        (folder / "LICENSE").write_text(LICENSE_TEXT, encoding="utf-8")
        (folder / "preprocess.sh").write_text("#!/bin/sh\nspm_encode --model $2\n", encoding="utf-8")
        if as_zip:
            out = out.with_suffix(".zip")
            out.unlink(missing_ok=True)
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
                for path in sorted(folder.iterdir()):
                    zf.write(path, path.name)
            return out
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(folder, out)
    return out


def build_ct2(out: Path, *, seed: int = 0) -> Path:
    """A CTranslate2 model folder with source.spm/target.spm beside it (via OpusMTConverter)."""
    from ctranslate2.converters import OpusMTConverter

    with tempfile.TemporaryDirectory() as tmp:
        release = build_opus_mt(Path(tmp) / "release", seed=seed)
        if out.exists():
            shutil.rmtree(out)
        OpusMTConverter(str(release)).convert(str(out), quantization="int8")
        for name in ("source.spm", "target.spm", "LICENSE"):
            shutil.copy(release / name, out / name)
    return out


def build_ct2_nllb(out: Path, *, seed: int = 0) -> Path:
    """A CTranslate2 folder shaped like a converted NLLB model (fairseq specials, language tokens,
    `sentencepiece.bpe.model`), built from numpy weights: the NLLB path without torch."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from build_random_model import build_spec

    arabic, english = corpus()
    with tempfile.TemporaryDirectory() as tmp:
        sp = train_spm(arabic + english, Path(tmp) / "nllb", 400, model_type="bpe")
        vocab = ["<s>", "<pad>", "</s>", "<unk>", *dict.fromkeys(spm_pieces(sp)), "arb_Arab", "eng_Latn", "fra_Latn"]
        spec = build_spec(vocab, 1, 32, 2, 64, seed)
        spec.config.decoder_start_token = "</s>"  # as TransformersConverter writes NLLB's config
        for token in ("<s>", "<pad>", "<unk>", "arb_Arab", "eng_Latn", "fra_Latn"):  # English pieces only
            spec.decoder.projection.bias[vocab.index(token)] = -1e4
        spec.validate()
        spec.optimize(quantization="int8")
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        spec.save(str(out))
        shutil.copy(sp, out / "sentencepiece.bpe.model")
    (out / "README.md").write_text("---\nlicense: cc-by-nc-4.0\n---\n# tiny random NLLB-shaped CTranslate2 model\n",
                                   encoding="utf-8")
    return out


def build_hf_marian(out: Path, *, seed: int = 0) -> Path:
    """A Hugging Face MarianMT checkpoint with random weights (needs torch + transformers)."""
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    torch.manual_seed(seed)
    arabic, english = corpus()
    with tempfile.TemporaryDirectory() as tmp:
        src = train_spm(arabic, Path(tmp) / "source", 300)
        tgt = train_spm(english, Path(tmp) / "target", 200)
        vocab = marian_vocab(src, tgt) + ["<pad>"]
        vocab_file = Path(tmp) / "vocab.json"
        vocab_file.write_text(json.dumps({t: i for i, t in enumerate(vocab)}, ensure_ascii=False), encoding="utf-8")
        tokenizer = MarianTokenizer(source_spm=str(src), target_spm=str(tgt), vocab=str(vocab_file),
                                    source_lang="ar", target_lang="en")
        config = MarianConfig(
            vocab_size=len(vocab), d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
            decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=256,
            pad_token_id=len(vocab) - 1, eos_token_id=0, decoder_start_token_id=len(vocab) - 1,
            activation_function="swish",
        )
        model = MarianMTModel(config)
        if out.exists():
            shutil.rmtree(out)
        model.save_pretrained(out)
        tokenizer.save_pretrained(out)
    (out / "LICENSE").write_text(LICENSE_TEXT, encoding="utf-8")
    (out / "README.md").write_text("---\nlicense: cc-by-4.0\nlanguage:\n- ar\n- en\n---\n# tiny random Marian\n",
                                   encoding="utf-8")
    return out


def build_hf_nllb(out: Path, *, seed: int = 0) -> Path:
    """A Hugging Face NLLB-style (M2M100) checkpoint with random weights and NLLB's language tokens."""
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    torch.manual_seed(seed)
    arabic, english = corpus()
    with tempfile.TemporaryDirectory() as tmp:
        sp = train_spm(arabic + english, Path(tmp) / "nllb", 400, model_type="bpe")
        tokenizer = nllb_tokenizer(NllbTokenizer, sp)
        size = len(tokenizer)
        config = M2M100Config(
            vocab_size=size, d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
            decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=256,
            pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
            bos_token_id=tokenizer.bos_token_id, decoder_start_token_id=tokenizer.eos_token_id,
            scale_embedding=True,
        )
        model = M2M100ForConditionalGeneration(config)
        if out.exists():
            shutil.rmtree(out)
        model.save_pretrained(out)
        tokenizer.save_pretrained(out)
        shutil.copy(sp, out / "sentencepiece.bpe.model")  # as the published NLLB checkpoints ship it
    (out / "README.md").write_text("---\nlicense: cc-by-nc-4.0\n---\n# tiny random NLLB-shaped model\n",
                                   encoding="utf-8")
    return out


def nllb_tokenizer(cls, sp: Path):  # type: ignore[no-untyped-def]
    """NllbTokenizer over a SentencePiece BPE model: fairseq's ids (<s> <pad> </s> <unk>, then the pieces)."""
    try:
        from tokenizers.models import BPE
        from transformers.convert_slow_tokenizer import SentencePieceExtractor

        extracted = SentencePieceExtractor(str(sp)).extract(BPE)
    except (ImportError, TypeError):  # transformers 4: the slow tokenizer reads the file itself
        return cls(vocab_file=str(sp), src_lang="arb_Arab", tgt_lang="eng_Latn")
    vocab = {token: i for i, token in enumerate(["<s>", "<pad>", "</s>", "<unk>"])}
    for token, _ in sorted(extracted["vocab"].items(), key=lambda item: item[1]):
        vocab.setdefault(token, len(vocab))
    return cls(vocab=vocab, merges=extracted["merges"], src_lang="arb_Arab", tgt_lang="eng_Latn")


BUILDERS = {"opus-mt": build_opus_mt, "ct2": build_ct2, "ct2-nllb": build_ct2_nllb, "hf-marian": build_hf_marian, "hf-nllb": build_hf_nllb}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the models into")
    parser.add_argument("--formats", default="opus-mt,ct2", help=f"comma-separated, of: {', '.join(FORMATS)}")
    parser.add_argument("--zip", action="store_true", help="write the OPUS-MT release as a zip")
    parser.add_argument("--base", action="store_true",
                        help="OPUS-MT at transformer-base shape (6+6 layers, d 512, 32k vocabulary) for timings")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.formats.split(","):
        if name not in BUILDERS:
            parser.error(f"unknown format {name!r}")
        target = args.out / f"tiny-{name}"
        if name == "opus-mt":
            shape = {"d": 512, "layers": 6, "vocab_size": 32000} if args.base else {}
            path = build_opus_mt(target, as_zip=args.zip, **shape)  # type: ignore[arg-type]
        else:
            path = BUILDERS[name](target)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
