# Minimal safetensors writer/reader (no `safetensors` package here): F32, F16, BF16 and I64.
# Format: u64-LE header length, JSON header {name: {dtype, shape, data_offsets}}, raw LE bytes.
import json
import struct
import sys

import numpy as np
import torch

assert sys.byteorder == "little", "this writer assumes a little-endian machine"

# torch dtype -> (safetensors dtype name, bytes per element)
_DTYPES = {
    torch.float32: ("F32", 4),
    torch.float16: ("F16", 2),
    torch.bfloat16: ("BF16", 2),
    torch.int64: ("I64", 8),
}
_NAME_TO_TORCH = {v[0]: k for k, v in _DTYPES.items()}


def tensor_bytes(t: torch.Tensor) -> bytes:
    """Raw little-endian bytes of a contiguous CPU tensor."""
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        # numpy has no bfloat16: reinterpret the 16-bit patterns as int16.
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def encode(tensors: dict, metadata: dict | None = None) -> bytes:
    """Serialize {name: tensor} to safetensors bytes. Tensors are laid out in sorted name order."""
    header = {}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        if t.dtype not in _DTYPES:
            raise TypeError(f"{name}: unsupported dtype {t.dtype}")
        dtype, size = _DTYPES[t.dtype]
        data = tensor_bytes(t)
        assert len(data) == t.numel() * size
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    if metadata:
        header = {"__metadata__": {str(k): str(v) for k, v in metadata.items()}, **header}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    # Pad with spaces so the data section starts 8-byte aligned (8-byte length prefix + header).
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def save(path, tensors: dict, metadata: dict | None = None) -> int:
    """Write a safetensors file; returns the total tensor byte count (for index total_size)."""
    blob = encode(tensors, metadata)
    with open(path, "wb") as f:
        f.write(blob)
    return sum(t.numel() * _DTYPES[t.dtype][1] for t in tensors.values())


def load(path) -> dict:
    """Read a safetensors file back into {name: tensor} (used for self-checks)."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = bytearray(blob[base + begin : base + end])
        dtype = _NAME_TO_TORCH[info["dtype"]]
        if dtype == torch.bfloat16:
            t = torch.from_numpy(np.frombuffer(raw, dtype=np.int16).copy()).view(torch.bfloat16)
        else:
            np_dtype = {torch.float32: np.float32, torch.float16: np.float16, torch.int64: np.int64}[dtype]
            t = torch.from_numpy(np.frombuffer(raw, dtype=np_dtype).copy())
        out[name] = t.reshape(info["shape"])
    return out
