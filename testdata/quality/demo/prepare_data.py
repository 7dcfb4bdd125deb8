#!/usr/bin/env python3
"""Prepare the demo quality classifier's training and test files (fastText format).

Usage: prepare_data.py SHARED_DATA OUT_DIR [--fold N] [--extra-hq brown] [--extra-cc wet]

Writes OUT_DIR/train.txt and OUT_DIR/test.txt, one document a line:
`__label__hq <text>` or `__label__cc <text>`, the text prepared as DCLM prepares
its fastText training and scoring text: " ".join(text.strip().splitlines()).

The core is quality/dclm_human_majority_data.jsonl (499 DCLM-pool pages with
human labels: 1 -> __label__hq, 0 -> __label__cc). A page goes to test.txt iff
the first 8 bytes of the SHA-256 of its UTF-8 text, as a big-endian integer,
are congruent to FOLD modulo 5 (default fold 0: about a fifth of the pages);
the others go to train.txt. Only human-labelled pages are ever tested.

Extras (training only):
  --extra-hq brown  the Brown corpus documents (text/brown_corpus_plain.jsonl.gz)
  --extra-cc wet    the raw Common Crawl WET pages in wet/ (conversion records)
Lines are written in a fixed order (human pages in file order, then extras)
and shuffled with a fixed seed, so the output is the same on every run.
Standard library only; deterministic.
"""

import argparse
import gzip
import hashlib
import json
import os
import random
import sys


def dclm_text(text):
    """DCLM's classify_fasttext_hq_prob text: lines stripped of the whole, joined by spaces."""
    return " ".join(text.strip().splitlines())


def fold_of(text):
    h = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big") % 5


def read_human(shared):
    path = os.path.join(shared, "quality", "dclm_human_majority_data.jsonl")
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            row = json.loads(line)
            label = {1: "hq", 0: "cc"}.get(row["label"])
            if label is None:
                sys.exit(f"prepare_data.py: {path}:{n}: label {row['label']!r} is neither 0 nor 1")
            yield label, row["text"]


def read_brown(shared):
    path = os.path.join(shared, "text", "brown_corpus_plain.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)["text"]


def read_wet(shared):
    """Bodies of the WARC-Type: conversion records of every WET file in wet/."""
    folder = os.path.join(shared, "wet")
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        opener = gzip.open if name.endswith(".gz") else open
        try:
            with opener(path, "rb") as f:
                data = f.read()
        except (OSError, EOFError):  # the corrupt/truncated sample: skip it
            continue
        for rec in data.split(b"WARC/1.0\r\n")[1:]:
            head, sep, body = rec.partition(b"\r\n\r\n")
            if not sep or b"WARC-Type: conversion" not in head:
                continue
            text = body.decode("utf-8", errors="replace").strip()
            if text:
                yield text


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shared")
    ap.add_argument("out")
    ap.add_argument("--fold", type=int, default=0)
    ap.add_argument("--extra-hq", default="", help="comma-separated: brown")
    ap.add_argument("--extra-cc", default="", help="comma-separated: wet")
    a = ap.parse_args()

    train, test = [], []
    for label, text in read_human(a.shared):
        line = f"__label__{label} {dclm_text(text)}"
        (test if fold_of(text) == a.fold else train).append(line)
    extra_hq = [x for x in a.extra_hq.split(",") if x]
    extra_cc = [x for x in a.extra_cc.split(",") if x]
    for x in extra_hq:
        if x != "brown":
            sys.exit(f"prepare_data.py: unknown --extra-hq {x!r}")
        train += [f"__label__hq {dclm_text(t)}" for t in read_brown(a.shared)]
    for x in extra_cc:
        if x != "wet":
            sys.exit(f"prepare_data.py: unknown --extra-cc {x!r}")
        train += [f"__label__cc {dclm_text(t)}" for t in read_wet(a.shared)]
    random.Random(42).shuffle(train)

    os.makedirs(a.out, exist_ok=True)
    for name, lines in (("train.txt", train), ("test.txt", test)):
        with open(os.path.join(a.out, name), "w", encoding="utf-8", newline="\n") as f:
            for line in lines:
                f.write(line + "\n")
    print(f"prepare_data.py: {len(train)} training lines, {len(test)} test lines in {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
