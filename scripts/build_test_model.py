#!/usr/bin/env python3
"""Build the small REAL Argos ar->en demo/test model: translator/data/demo-ar-en.argosmodel.

What it makes: SentencePiece (unigram, shared ar+en vocabulary, byte fallback) and a tiny pre-norm
Transformer trained briefly on synthetic Arabic news-template pairs (scripts/test_model_data.py),
written out with CTranslate2's spec API (int8) and zipped as an Argos package (metadata.json,
model/, sentencepiece.model, README). No minisbd: the product splits sentences itself. It also
writes tests/data/heldout_templates.tsv: template sentences with held-out names never trained on.

How to run (torch lives in a throwaway virtualenv OUTSIDE the repo, never in .venv):

    python3 -m venv /tmp/torchvenv
    /tmp/torchvenv/bin/pip install torch==2.13.0          # local CPU wheel; install it first
    /tmp/torchvenv/bin/pip install ctranslate2==4.8.5 sentencepiece==0.2.3 numpy sacrebleu
    cd /work/main && /tmp/torchvenv/bin/python scripts/build_test_model.py            # CPU (1 thread, <= 15 min)
    /tmp/torchvenv/bin/python scripts/build_test_model.py --device cuda              # optional GPU

Training is time-boxed (--max-minutes, default 15): it runs --steps steps with a linear-decay
learning rate; if the clock runs out first, the schedule follows the clock instead and the build
says so. Deterministic for a given --seed, --steps and device when the steps finish in time.
Prints training time and held-out BLEU at the end.
Never trains on /work/shared/data/flores200-dev. See docs/test-model.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import test_model_data as data  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "translator" / "data" / "demo-ar-en.argosmodel"
DEFAULT_HELDOUT = ROOT / "tests" / "data" / "heldout_templates.tsv"
PACKAGE_DIR = "translate-ar_en-demo"
METADATA = {
    "package_version": "0.1",
    "argos_version": "1.9",
    "from_code": "ar",
    "from_name": "Arabic",
    "to_code": "en",
    "to_name": "English",
    "type": "translate",
    "demo": True,
    "name": "Arabic-English demo (synthetic templates)",
    "description": "tiny demo model trained on synthetic templates — not for real work",
    "links": [],
}


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--heldout-out", type=Path, default=DEFAULT_HELDOUT)
    p.add_argument("--device", default="cpu", help="torch device for training: cpu or cuda")
    p.add_argument("--threads", type=int, default=1,
                   help="torch CPU threads (1 was faster than 2 on the busy 2-core build machine: "
                        "steadier, and flush-denormal only reaches the main thread)")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--pairs", type=int, default=150_000, help="synthetic training pairs")
    p.add_argument("--vocab", type=int, default=3000)
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--batch-tokens", type=int, default=2000, help="target tokens per batch")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--warmup", type=int, default=150)
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--ffn", type=int, default=512)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--enc-layers", type=int, default=2)
    p.add_argument("--dec-layers", type=int, default=2)
    p.add_argument("--no-bf16", dest="bf16", action="store_false",
                   help="train in float32 (default: bfloat16 autocast, ~1.7x faster on AVX512-BF16 CPUs)")
    p.add_argument("--max-minutes", type=float, default=15.0,
                   help="time box for training; when reached first, the LR schedule follows the clock")
    p.add_argument("--work", type=Path, default=None, help="keep intermediate files here")
    p.add_argument("--heldout-only", action="store_true",
                   help="only regenerate the held-out file (same data, no training)")
    return p.parse_args()


# --- data ------------------------------------------------------------------------------------

def make_data(args, rng: random.Random):
    seed_filter = data.seed_filter_from_repo()
    train_pools, held_pools, excluded = data.build_pools(seed_filter, rng)
    print(f"names: people {len(train_pools.people)} train / {len(held_pools.people)} held out, "
          f"places {len(train_pools.places)} / {len(held_pools.places)}, latin {len(train_pools.latin)} / "
          f"{len(held_pools.latin)}; excluded (seed names) {len(excluded)}")
    # SentencePiece text has no rare-character names, so those reach the model as byte pieces.
    sp_gen = data.Generator(train_pools, random.Random(rng.random()), rare=0.0)
    sp_pairs = [sp_gen.pair() for _ in range(60_000)]
    gen = data.Generator(train_pools, random.Random(rng.random()), rare=0.04)
    pairs = list(dict.fromkeys(gen.pair() for _ in range(args.pairs)))
    held_gen = data.Generator(held_pools, random.Random(rng.random()), rare=0.0)
    train_set = set(pairs)
    held = [p for p in dict.fromkeys(held_gen.pair() for _ in range(600)) if p not in train_set][:500]
    return sp_pairs, pairs, held, held_pools, excluded


def heldout_file_pairs(held_pools, rng: random.Random, train_ar: set[str], n: int = 50) -> list[tuple[str, str]]:
    """~50 full sentences (no fragments) with held-out names: 2/3 code-switched (Latin names, as
    glossary enforcement feeds them), 1/3 Arabic-script names the model must transliterate."""
    sentence_templates = [t for t in data.TEMPLATES if t[1].endswith(".")]
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    i = 0
    while len(out) < n:
        switch = 0.0 if i % 3 == 2 else 1.0
        gen = data.Generator(held_pools, rng, code_switch=switch)
        ar_t, en_t = sentence_templates[i % len(sentence_templates)]
        ar, en = gen._fill(ar_t, en_t, {})
        en = en[:1].upper() + en[1:]
        i += 1
        if ar not in seen and ar not in train_ar and len(ar) < 140:
            seen.add(ar)
            out.append((ar, en))
    return out


def train_sentencepiece(sp_pairs, work: Path, vocab: int, seed: int):
    import sentencepiece as spm

    corpus = work / "sp_corpus.txt"
    lines = [s for pair in sp_pairs for s in pair]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    prefix = work / "sentencepiece"
    # Relative paths: the model stores its trainer arguments, and the build must not depend on
    # the work directory's name.
    cwd = os.getcwd()
    os.chdir(work)
    try:
        spm.SentencePieceTrainer.train(
            input=corpus.name, model_prefix=prefix.name, vocab_size=vocab, model_type="unigram",
            character_coverage=1.0, byte_fallback=True, unk_id=0, bos_id=1, eos_id=2, pad_id=3,
            pad_piece="<pad>", num_threads=2, shuffle_input_sentence=False,
            seed_sentencepiece_size=200_000, minloglevel=2)
    finally:
        os.chdir(cwd)
    sp = spm.SentencePieceProcessor(model_file=str(prefix) + ".model")
    vocab_list = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    return sp, Path(str(prefix) + ".model"), vocab_list


def batches(examples, batch_tokens: int, rng: random.Random):
    """Endless stream of batches (lists of (src, tgt) id lists) from length buckets.

    Lengths are padded to multiples of 8 and each bucket has a fixed number of rows, so only a
    few tensor shapes ever occur (oneDNN/bf16 kernels are created per shape; reuse is fast).
    """
    while True:
        order = list(range(len(examples)))
        rng.shuffle(order)
        buckets: dict[int, list[int]] = {}
        for i in order:
            src, tgt = examples[i]
            buckets.setdefault(padded_len(max(len(src), len(tgt) + 1)), []).append(i)
        group: list[list[int]] = []
        for length, idx in sorted(buckets.items()):
            rows = max(1, batch_tokens // length)
            group.extend(idx[k:k + rows] for k in range(0, len(idx), rows))
        rng.shuffle(group)
        for idx in group:
            yield [examples[i] for i in idx]


def padded_len(n: int) -> int:
    return (n + 7) // 8 * 8


# --- training --------------------------------------------------------------------------------

def train_model(args, examples, vocab_size: int, pad: int, bos: int, eos: int):
    import torch
    import torch.nn.functional as F
    from test_model_torch import TinyTransformer

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)  # early Adam/grad denormals made the first steps ~5x slower on CPU
    device = torch.device(args.device)
    model = TinyTransformer(vocab_size, d=args.d_model, heads=args.heads, ffn=args.ffn,
                            enc_layers=args.enc_layers, dec_layers=args.dec_layers, pad_id=pad).to(device)
    params = sum(p.numel() for p in model.parameters())
    print(f"model: {params / 1e6:.2f} M parameters, d={args.d_model} ffn={args.ffn} heads={args.heads} "
          f"layers={args.enc_layers}+{args.dec_layers}, vocab {vocab_size}")
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.0)

    cap = args.max_minutes * 60

    def progress(step: int, elapsed: float) -> float:
        # Fixed steps make the build deterministic; on a slow or busy machine the time cap takes
        # over, so the learning rate still decays to its end within the time box.
        return max(step / args.steps, elapsed / cap)

    def lr_at(step: int, elapsed: float) -> float:
        if step < args.warmup:
            return args.lr * (step + 1) / args.warmup
        warm = args.warmup / args.steps
        frac = (progress(step, elapsed) - warm) / (1 - warm)
        return args.lr * max(0.05, 1.0 - frac)

    stream = batches(examples, args.batch_tokens, random.Random(args.seed))
    start = time.time()
    model.train()
    loss_avg = None
    step = 0
    time_capped = False
    for step in range(args.steps):
        if progress(step, time.time() - start) >= 1.0:
            time_capped = True
            break
        batch = next(stream)
        src_len = tgt_len = padded_len(max(max(len(s), len(t) + 1) for s, t in batch))
        src = torch.full((len(batch), src_len), pad, dtype=torch.long)
        tgt_in = torch.full((len(batch), tgt_len), pad, dtype=torch.long)
        tgt_out = torch.full((len(batch), tgt_len), pad, dtype=torch.long)
        for row, (s, t) in enumerate(batch):
            src[row, : len(s)] = torch.tensor(s)
            tgt_in[row, : len(t) + 1] = torch.tensor([bos] + t)
            tgt_out[row, : len(t) + 1] = torch.tensor(t + [eos])
        src, tgt_in, tgt_out = src.to(device), tgt_in.to(device), tgt_out.to(device)
        for group in opt.param_groups:
            group["lr"] = lr_at(step, time.time() - start)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=args.bf16):
            logits = model(src, tgt_in)
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), tgt_out.reshape(-1),
                               ignore_index=pad, label_smoothing=0.1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        loss_avg = loss.item() if loss_avg is None else 0.95 * loss_avg + 0.05 * loss.item()
        elapsed = time.time() - start
        if step % 100 == 0 or step == args.steps - 1:
            print(f"step {step:5d}  loss {loss_avg:.3f}  lr {lr_at(step, elapsed):.2e}  "
                  f"{elapsed / 60:.1f} min", flush=True)
    train_seconds = time.time() - start
    steps_done = step if time_capped else args.steps
    if time_capped:
        print(f"time cap ({args.max_minutes} min) reached after {steps_done} steps: the schedule "
              "followed the clock, so this build is not bit-for-bit reproducible")
    model.to("cpu").eval()
    torch.save(model.state_dict(), args.work_dir / "model.pt")
    return model, train_seconds, steps_done


# --- package ---------------------------------------------------------------------------------

README = """Arabic->English DEMO model (synthetic templates) — not for real work.

Built by scripts/build_test_model.py of the translator project: a tiny Transformer trained for
minutes on synthetic Arabic news-template sentences ("وقال X إن ..." -> "X said that ...") filled
with names from ArWikiCats (MIT), including code-switched Latin-script names that it copies.
It translates those templates well and almost nothing else. Used as a test fixture and demo.
"""


def zip_package(pkg_dir: Path, out: Path) -> None:
    """Deterministic zip: sorted members, fixed timestamps, one top-level folder."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(pkg_dir.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(f"{PACKAGE_DIR}/{path.relative_to(pkg_dir).as_posix()}",
                                       date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())
    tmp.replace(out)


def write_heldout(path: Path, pairs: list[tuple[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{ar}\t{en}\n" for ar, en in pairs), encoding="utf-8")


def translate_ct2(model_dir: Path, sp, sentences: list[str], beam: int = 4) -> list[str]:
    """Translate exactly as translator.mt.engine.ArgosEngine does (plain pieces, no extra tokens)."""
    import ctranslate2

    tr = ctranslate2.Translator(str(model_dir), device="cpu", inter_threads=1, intra_threads=2)
    tokens = [sp.encode(s, out_type=str) for s in sentences]
    res = tr.translate_batch(tokens, max_batch_size=1024, batch_type="tokens", beam_size=beam,
                             length_penalty=0.2, replace_unknowns=True)
    return [sp.decode_pieces(r.hypotheses[0]).replace("▁", " ").strip() for r in res]


def main() -> int:
    args = parse_args()
    import sacrebleu

    t0 = time.time()
    rng = random.Random(args.seed)
    work = args.work or Path(tempfile.mkdtemp(prefix="demo-model-"))
    work.mkdir(parents=True, exist_ok=True)
    args.work_dir = work
    sp_pairs, pairs, held, held_pools, excluded = make_data(args, rng)
    (work / "excluded_seed_names.txt").write_text("\n".join(excluded) + "\n", encoding="utf-8")
    train_ar = {ar for ar, _ in pairs}
    heldout_tsv = heldout_file_pairs(held_pools, random.Random(args.seed + 1), train_ar)
    print(f"data: {len(pairs)} training pairs, {len(held)} held-out eval pairs, "
          f"{len(heldout_tsv)} held-out file pairs ({time.time() - t0:.0f}s)")
    if args.heldout_only:
        write_heldout(args.heldout_out, heldout_tsv)
        print(f"held-out file: {args.heldout_out}")
        return 0

    sp, sp_path, vocab = train_sentencepiece(sp_pairs, work, args.vocab, args.seed)
    pad, bos, eos = sp.pad_id(), sp.bos_id(), sp.eos_id()
    examples = []
    for ar, en in pairs:
        s, t = sp.encode(ar), sp.encode(en)
        if len(s) <= 120 and len(t) <= 120:
            examples.append((s, t))
    avg = sum(len(s) + len(t) for s, t in examples) / len(examples)
    print(f"sentencepiece: {len(vocab)} pieces; {len(examples)} examples, {avg:.1f} tokens/pair")

    model, train_seconds, steps = train_model(args, examples, len(vocab), pad, bos, eos)

    pkg = work / "package"
    if pkg.exists():
        shutil.rmtree(pkg)
    from test_model_torch import export_ctranslate2

    export_ctranslate2(model, vocab, pkg / "model")
    shutil.copy(sp_path, pkg / "sentencepiece.model")
    (pkg / "metadata.json").write_text(json.dumps(METADATA, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    (pkg / "README").write_text(README, encoding="utf-8")

    # The converted model must agree with the PyTorch model (greedy) on plain pieces.
    import torch

    sample = held[:16]
    src = [sp.encode(ar) for ar, _ in sample]
    width = max(map(len, src))
    src_t = torch.full((len(src), width), pad, dtype=torch.long)
    for i, s in enumerate(src):
        src_t[i, : len(s)] = torch.tensor(s)
    torch_out = [sp.decode(ids) for ids in model.greedy(src_t, bos, eos)]
    ct2_out = translate_ct2(pkg / "model", sp, [ar for ar, _ in sample], beam=1)
    agree = sum(a == b for a, b in zip(torch_out, ct2_out))
    print(f"torch vs CTranslate2 int8 greedy agreement: {agree}/{len(sample)}")

    hyp = translate_ct2(pkg / "model", sp, [ar for ar, _ in held])
    bleu = sacrebleu.corpus_bleu(hyp, [[en for _, en in held]])
    chrf = sacrebleu.corpus_chrf(hyp, [[en for _, en in held]])
    exact = sum(h == en for h, (_, en) in zip(hyp, held))
    file_hyp = translate_ct2(pkg / "model", sp, [ar for ar, _ in heldout_tsv])
    file_bleu = sacrebleu.corpus_bleu(file_hyp, [[en for _, en in heldout_tsv]])
    for (ar, en), h in list(zip(held, hyp))[:8]:
        print(f"  {ar}\n    ref {en}\n    hyp {h}")

    zip_package(pkg, args.out)
    write_heldout(args.heldout_out, heldout_tsv)
    size = args.out.stat().st_size
    print(f"package: {args.out} ({size / 1e6:.2f} MB); held-out file: {args.heldout_out}")
    print(f"training time: {train_seconds / 60:.1f} min ({steps} steps, {args.threads} threads, "
          f"{args.device}); total build {(time.time() - t0) / 60:.1f} min")
    print(f"held-out eval ({len(held)} pairs): BLEU {bleu.score:.1f}  chrF {chrf.score:.1f}  "
          f"exact {exact}/{len(held)}")
    print(f"held-out file ({len(heldout_tsv)} pairs): BLEU {file_bleu.score:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
