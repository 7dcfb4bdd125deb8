#!/usr/bin/env python3
"""Regenerates rust_tokens.jsonl.zst: the BFF tokens (DCLM's tokenize:
split_word_bounds minus whitespace-only segments) of every text of
web_docs.jsonl.zst and tokenizer_inputs.jsonl.zst, computed by Rust's
unicode-segmentation (rust_tokenize/, built with cargo against Debian's
librust-unicode-segmentation-dev). Usage: gen_rust_tokens.py PATH/TO/rust_tokenize-binary
"""
import hashlib, json, subprocess, sys

tool = sys.argv[1]
out = []
for name, full in (("web_docs.jsonl.zst", False), ("tokenizer_inputs.jsonl.zst", True)):
    raw = subprocess.run(["zstdcat", name], capture_output=True, check=True).stdout.decode()
    docs = [json.loads(l) for l in raw.split("\n") if l]
    assert all("\0" not in d["text"] for d in docs)
    inp = b"\0".join(d["text"].encode() for d in docs)
    res = subprocess.run([tool], input=inp, capture_output=True, check=True).stdout
    parts = res.split(b"\x1e")[:-1]
    assert len(parts) == len(docs)
    for d, p in zip(docs, parts):
        toks = p.split(b"\x1f") if p else []
        rec = {"id": d["id"], "n": len(toks), "sha256": hashlib.sha256(b"\x1f".join(toks)).hexdigest()}
        if full:
            rec["tokens"] = [t.decode() for t in toks]
        out.append(rec)
with open("rust_tokens.jsonl", "w") as f:
    for r in out:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
subprocess.run(["zstd", "-q", "-19", "-f", "--rm", "rust_tokens.jsonl"], check=True)
