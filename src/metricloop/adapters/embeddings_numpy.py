"""A BERT sentence encoder in plain numpy, for the bundled all-MiniLM-L6-v2 (no torch).

Importing sentence-transformers costs 5–6 s of a cold `metricloop ask` (torch, scikit-learn, transformers'
loaders) plus ~1 s of torch's interpreter shutdown; the model itself is 6 small layers. This runs the same
forward pass — WordPiece via `tokenizers` (tokenizer.json), weights via `safetensors.numpy`, mean pooling
over the attention mask, L2 normalisation, as the model's modules.json says — in about 0.3 s of import.
Outputs agree with sentence-transformers to ~1e-6 (tests/adapters/test_embeddings.py); every step runs in float32,
as torch runs it.
"""
from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

MAX_TOKENS = 256  # sentence_bert_config.json's max_seq_length
BATCH = 64


def _one_blas_thread():  # a context manager
    """Small matrices: BLAS threads only contend (10x slower on a busy 2-core machine), as torch's would."""
    try:
        from threadpoolctl import threadpool_limits  # local: optional, and only the model path needs it
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    out = x - x.mean(-1, keepdims=True)
    var = np.square(out).mean(-1, keepdims=True)
    out /= np.sqrt(var + eps)  # (in place, in the formula's order: the same numbers, fewer temporaries)
    out *= weight
    out += bias
    return out


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to ~1.5e-7 (Abramowitz & Stegun 7.1.26): below float32's resolution, and no scipy import. Computed in
    place, in the formula's own order (t·(c0 + t·(c1 + …))): the intermediate layer's activations are the largest
    arrays of the pass, and a temporary per operation made GELU 2.4x slower (the same numbers, bit for bit;
    bench_embed: 5.95 s -> 5.25 s for 1,076 catalog texts)."""
    a = np.abs(x)
    t = a * 0.3275911
    t += 1.0
    np.divide(1.0, t, out=t)
    poly = t * 1.061405429
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += c
        poly *= t
    np.multiply(a, a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a
    np.subtract(1.0, poly, out=poly)
    poly *= np.sign(x)
    return poly


_SQRT2 = np.float32(np.sqrt(2.0))  # (a float64 scalar would make every later layer float64: twice the time)


def _gelu(x: np.ndarray) -> np.ndarray:
    out = _erf(x / _SQRT2)
    out += 1.0
    out *= 0.5 * x
    return out


class NumpyBert:
    """Mean-pooled, normalised BERT sentence embeddings from a sentence-transformers folder."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file  # local: only the model path needs them
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        weights = load_file(str(folder / "model.safetensors"))
        # dense layers stored transposed and contiguous: a 2-D x @ W runs in BLAS, a strided W.T does not
        self.w = {k: np.ascontiguousarray(v.T) if k.endswith("dense.weight") or k.endswith(("query.weight",
                  "key.weight", "value.weight")) else v for k, v in weights.items()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text, in the order given."""
        if not texts:
            return np.zeros((0, self.w["pooler.dense.bias"].shape[0]), np.float32)
        # texts of like length batched together: a batch is padded to its longest text, so a catalog's short labels
        # batched with its long descriptions would run every label at a description's length (as sentence-transformers
        # sorts by length too)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with _one_blas_thread():
            out = np.concatenate([self._batch([texts[j] for j in order[i : i + BATCH]])
                                  for i in range(0, len(order), BATCH)])
        rows = np.empty_like(out)
        rows[order] = out
        return rows

    def _batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
             + w["embeddings.token_type_embeddings.weight"][types])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        bias = (1.0 - mask)[:, None, None, :] * np.finfo(np.float32).min  # padded keys get no attention
        for i in range(self.layers):
            x = self._layer(x, bias, f"encoder.layer.{i}.")
        summed = (x * mask[..., None]).sum(1)
        pooled = summed / np.clip(mask.sum(1, keepdims=True), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def _layer(self, x: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        w = self.w
        b, n, d = x.shape
        h = self.heads

        def dense(v: np.ndarray, name: str) -> np.ndarray:
            flat = v.reshape(-1, v.shape[-1]) @ w[name + ".weight"] + w[name + ".bias"]
            return flat.reshape(*v.shape[:-1], -1)

        def split(v: np.ndarray) -> np.ndarray:
            return v.reshape(b, n, h, d // h).transpose(0, 2, 1, 3)

        q = split(dense(x, p + "attention.self.query"))
        k = split(dense(x, p + "attention.self.key"))
        v = split(dense(x, p + "attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2)
        scores /= np.float32(np.sqrt(d // h))
        scores += bias
        scores -= scores.max(-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(-1, keepdims=True)
        attn = scores @ v
        attn = attn.transpose(0, 2, 1, 3).reshape(b, n, d)
        x = _layer_norm(dense(attn, p + "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"],
                        w[p + "attention.output.LayerNorm.bias"], self.eps)
        inner = _gelu(dense(x, p + "intermediate.dense"))
        return _layer_norm(dense(inner, p + "output.dense") + x, w[p + "output.LayerNorm.weight"],
                           w[p + "output.LayerNorm.bias"], self.eps)


def supported(folder: Path) -> bool:
    """A plain BERT sentence-transformers folder with mean pooling (what this encoder reproduces)."""
    try:
        config = json.loads((folder / "config.json").read_text())
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError):
        return False
    return (config.get("model_type") == "bert" and config.get("hidden_act") == "gelu"
            and config.get("position_embedding_type", "absolute") == "absolute"
            and pooling.get("pooling_mode_mean_tokens") is True
            and not any(pooling.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens",
                                                 "pooling_mode_mean_sqrt_len_tokens"))
            and (folder / "model.safetensors").exists() and (folder / "tokenizer.json").exists())
