"""A tiny pre-norm Transformer in PyTorch, written out as a CTranslate2 TransformerSpec.

Used by scripts/build_test_model.py (run it in a throwaway virtualenv with torch; torch never
enters the project's own environment). The PyTorch layout mirrors what CTranslate2 computes for
`TransformerSpec.from_config(..., pre_norm=True)`: embeddings scaled by sqrt(d_model), CT2's own
sinusoidal position encodings (sin half then cos half, OpenNMT style), pre-norm layers, a final
layer norm, tied embeddings/projection, ReLU FFN, no source EOS, decoder start token `<s>`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

EPS = 1e-6


def sinusoid(length: int, depth: int) -> torch.Tensor:
    """CTranslate2's SinusoidalPositionEncoder: [sin(p*t_i) ..., cos(p*t_i) ...] with p counted
    from 1 (OpenNMT-tf convention), t_i = exp(-i*log(10000)/(depth/2 - 1)). Matching it exactly
    lets the package rely on CT2's built-in encodings (no stored table, no length limit)."""
    half = depth // 2
    increment = math.log(10000.0) / (half - 1)
    inv = torch.exp(torch.arange(half, dtype=torch.float32) * -increment)
    scaled = torch.arange(1, length + 1, dtype=torch.float32)[:, None] * inv[None, :]
    return torch.cat([torch.sin(scaled), torch.cos(scaled)], dim=1)


class Attention(nn.Module):
    def __init__(self, d: int, heads: int, dropout: float) -> None:
        super().__init__()
        self.heads = heads
        self.norm = nn.LayerNorm(d, eps=EPS)
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.out = nn.Linear(d, d)
        self.dropout = dropout

    def forward(self, x: torch.Tensor, memory: torch.Tensor | None, mask: torch.Tensor | None,
                causal: bool = False) -> torch.Tensor:
        b, t, d = x.shape
        h = self.norm(x)
        src = h if memory is None else memory
        q = self.q(h).view(b, t, self.heads, -1).transpose(1, 2)
        k = self.k(src).view(b, src.shape[1], self.heads, -1).transpose(1, 2)
        v = self.v(src).view(b, src.shape[1], self.heads, -1).transpose(1, 2)
        if causal:
            causal_mask = torch.ones(t, t, dtype=torch.bool, device=x.device).tril()
            mask = causal_mask[None, None] if mask is None else (mask & causal_mask[None, None])
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask,
                                           dropout_p=self.dropout if self.training else 0.0)
        return x + F.dropout(self.out(y.transpose(1, 2).reshape(b, t, d)), self.dropout, self.training)


class FeedForward(nn.Module):
    def __init__(self, d: int, ffn: int, dropout: float) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(d, eps=EPS)
        self.lin0 = nn.Linear(d, ffn)
        self.lin1 = nn.Linear(ffn, d)
        self.dropout = dropout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.dropout(F.relu(self.lin0(self.norm(x))), self.dropout, self.training)
        return x + F.dropout(self.lin1(h), self.dropout, self.training)


class EncoderLayer(nn.Module):
    def __init__(self, d: int, heads: int, ffn: int, dropout: float) -> None:
        super().__init__()
        self.self_attn = Attention(d, heads, dropout)
        self.ffn = FeedForward(d, ffn, dropout)

    def forward(self, x, mask):
        return self.ffn(self.self_attn(x, None, mask))


class DecoderLayer(nn.Module):
    def __init__(self, d: int, heads: int, ffn: int, dropout: float) -> None:
        super().__init__()
        self.self_attn = Attention(d, heads, dropout)
        self.cross_attn = Attention(d, heads, dropout)
        self.ffn = FeedForward(d, ffn, dropout)

    def forward(self, x, memory, src_mask):
        x = self.self_attn(x, None, None, causal=True)
        x = self.cross_attn(x, memory, src_mask)
        return self.ffn(x)


class TinyTransformer(nn.Module):
    def __init__(self, vocab: int, d: int = 256, heads: int = 4, ffn: int = 1024,
                 enc_layers: int = 3, dec_layers: int = 3, dropout: float = 0.1, pad_id: int = 3) -> None:
        super().__init__()
        self.d, self.heads, self.ffn_dim = d, heads, ffn
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d)
        nn.init.normal_(self.embed.weight, std=d ** -0.5)
        self.register_buffer("pos", sinusoid(1024, d), persistent=False)
        self.encoder = nn.ModuleList(EncoderLayer(d, heads, ffn, dropout) for _ in range(enc_layers))
        self.decoder = nn.ModuleList(DecoderLayer(d, heads, ffn, dropout) for _ in range(dec_layers))
        self.enc_norm = nn.LayerNorm(d, eps=EPS)
        self.dec_norm = nn.LayerNorm(d, eps=EPS)
        self.out_bias = nn.Parameter(torch.zeros(vocab))
        self.dropout = dropout

    def _embed(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.embed(ids) * math.sqrt(self.d) + self.pos[: ids.shape[1]][None]
        return F.dropout(x, self.dropout, self.training)

    def encode(self, src: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mask = (src != self.pad_id)[:, None, None, :]
        x = self._embed(src)
        for layer in self.encoder:
            x = layer(x, mask)
        return self.enc_norm(x), mask

    def decode(self, tgt_in: torch.Tensor, memory: torch.Tensor, src_mask: torch.Tensor) -> torch.Tensor:
        x = self._embed(tgt_in)
        for layer in self.decoder:
            x = layer(x, memory, src_mask)
        return F.linear(self.dec_norm(x), self.embed.weight, self.out_bias)

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        memory, mask = self.encode(src)
        return self.decode(tgt_in, memory, mask)

    @torch.no_grad()
    def greedy(self, src: torch.Tensor, bos: int, eos: int, max_len: int = 128) -> list[list[int]]:
        self.eval()
        memory, mask = self.encode(src)
        ys = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
        done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
        for _ in range(max_len):
            nxt = self.decode(ys, memory, mask)[:, -1].argmax(-1)
            ys = torch.cat([ys, nxt[:, None]], dim=1)
            done |= nxt == eos
            if done.all():
                break
        out = []
        for row in ys[:, 1:].tolist():
            out.append(row[: row.index(eos)] if eos in row else row)
        return out


def _np(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().float().numpy().copy()


def _norm(spec, ln: nn.LayerNorm) -> None:
    spec.gamma = _np(ln.weight)
    spec.beta = _np(ln.bias)


def _lin(spec, *linears: nn.Linear) -> None:
    spec.weight = np.concatenate([_np(l.weight) for l in linears], axis=0)
    spec.bias = np.concatenate([_np(l.bias) for l in linears], axis=0)


def export_ctranslate2(model: TinyTransformer, vocab: list[str], out_dir: Path,
                       quantization: str = "int8") -> None:
    """Write the model as a CTranslate2 directory (model.bin, config.json, shared vocabulary)."""
    import ctranslate2
    from ctranslate2.specs import transformer_spec

    spec = transformer_spec.TransformerSpec.from_config(
        (len(model.encoder), len(model.decoder)), model.heads, pre_norm=True)
    emb = _np(model.embed.weight)
    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = emb
    for layer_spec, layer in zip(enc.layer, model.encoder):
        sa = layer.self_attn
        _norm(layer_spec.self_attention.layer_norm, sa.norm)
        _lin(layer_spec.self_attention.linear[0], sa.q, sa.k, sa.v)
        _lin(layer_spec.self_attention.linear[1], sa.out)
        _norm(layer_spec.ffn.layer_norm, layer.ffn.norm)
        _lin(layer_spec.ffn.linear_0, layer.ffn.lin0)
        _lin(layer_spec.ffn.linear_1, layer.ffn.lin1)
    _norm(enc.layer_norm, model.enc_norm)
    dec.embeddings.weight = emb
    for layer_spec, layer in zip(dec.layer, model.decoder):
        sa, ca = layer.self_attn, layer.cross_attn
        _norm(layer_spec.self_attention.layer_norm, sa.norm)
        _lin(layer_spec.self_attention.linear[0], sa.q, sa.k, sa.v)
        _lin(layer_spec.self_attention.linear[1], sa.out)
        _norm(layer_spec.attention.layer_norm, ca.norm)
        _lin(layer_spec.attention.linear[0], ca.q)
        _lin(layer_spec.attention.linear[1], ca.k, ca.v)
        _lin(layer_spec.attention.linear[2], ca.out)
        _norm(layer_spec.ffn.layer_norm, layer.ffn.norm)
        _lin(layer_spec.ffn.linear_0, layer.ffn.lin0)
        _lin(layer_spec.ffn.linear_1, layer.ffn.lin1)
    _norm(dec.layer_norm, model.dec_norm)
    dec.projection.weight = emb
    dec.projection.bias = _np(model.out_bias)

    spec.config.unk_token = "<unk>"
    spec.config.bos_token = "<s>"
    spec.config.eos_token = "</s>"
    spec.config.decoder_start_token = "<s>"
    spec.config.add_source_bos = False
    spec.config.add_source_eos = False
    spec.config.layer_norm_epsilon = EPS
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=quantization)
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))
    assert ctranslate2.contains_model(str(out_dir))
