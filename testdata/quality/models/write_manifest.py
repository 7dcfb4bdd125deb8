#!/usr/bin/env python3
"""Write manifest.json for make_models.sh from its records file.

Usage: write_manifest.py MODELS_DIR RECORDS_TSV FASTTEXT_VERSION SHARED_DATA_DIR

manifest.json (paths relative to MODELS_DIR):
  fasttext_version, data[] {file, sha256, bytes, lines (count of "\n")},
  models[] {name, file, sha256, bytes, kind (bin|ftz), train {data, flags[]} or
            quantize {from, data, flags[]}, args {from `fasttext dump FILE args`},
            nwords, nlabels (from `fasttext dump FILE dict`),
            predictions[] {command (predict-prob|predict), input, k, threshold (null =
            fastText's default 0.0), file, sha256, lines}},
  lid_reference[] (only when FULL=1) {name, train, test, flags[], common_flags[],
            n, precision_at_1, recall_at_1, train_seconds, threads, model_bytes, nproc}.
"""
import hashlib
import json
import os
import subprocess
import sys


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def lines(path):
    with open(path, "rb") as f:
        return f.read().count(b"\n")


def dump(model, what):
    r = subprocess.run([os.environ.get("FASTTEXT", "fasttext"), "dump", model, what], capture_output=True)
    if r.returncode != 0:
        return None
    return r.stdout.decode("utf-8", "replace")


def main():
    here, records, version, shared = sys.argv[1:5]
    models, order, lid = {}, [], []
    with open(records, encoding="utf-8") as f:
        for row in f:
            p = row.rstrip("\n").split("\t")
            if p[0] == "model":
                _, name, file, datafile, flags = p
                models[file] = {"name": name, "file": file, "kind": "bin",
                                "train": {"data": "data/" + datafile, "flags": flags.split()}}
                order.append(file)
            elif p[0] == "quant":
                _, name, file, frm, datafile, flags = p
                models[file] = {"name": name, "file": file, "kind": "ftz",
                                "quantize": {"from": frm + ".bin", "data": "data/" + datafile,
                                             "flags": flags.split()}}
                order.append(file)
            elif p[0] == "pred":
                _, file, inp, mode, k, th, out = p
                models[file].setdefault("predictions", []).append({
                    "command": mode, "input": "data/" + inp, "k": int(k),
                    "threshold": float(th) if th else None, "file": out,
                    "sha256": sha(os.path.join(here, out)), "lines": lines(os.path.join(here, out))})
            elif p[0] == "lid":
                _, key, flags, secs, size, res, nproc = p[:7]
                t = res.split()
                kv = dict(zip(t[0::2], t[1::2]))
                lid.append({
                    "name": key, "train": "../shared/data/fasttext/lid_train.txt",
                    "test": "../shared/data/fasttext/lid_test.txt",
                    "flags": flags.split(), "common_flags": ["-thread", "1", "-seed", "1"],
                    "n": int(kv["N"]), "precision_at_1": float(kv["P@1"]),
                    "recall_at_1": float(kv["R@1"]), "train_seconds": round(float(secs), 2),
                    "threads": 1, "model_bytes": int(size), "nproc": int(nproc),
                    "command": "fasttext supervised -input lid_train.txt -output M -thread 1 -seed 1 "
                               + flags + " && fasttext test M.bin lid_test.txt 1"})
    out_models = []
    for file in order:
        m = models[file]
        path = os.path.join(here, file)
        m["sha256"], m["bytes"] = sha(path), os.path.getsize(path)
        args = {}
        for line in (dump(path, "args") or "").splitlines():
            k, _, v = line.partition(" ")
            args[k] = int(v) if v.lstrip("-").isdigit() else (float(v) if k in ("t",) else v)
        m["args"] = args
        d = dump(path, "dict")
        if d is not None:
            ent = d.splitlines()[1:]
            m["nwords"] = sum(1 for e in ent if e.endswith(" word"))
            m["nlabels"] = sum(1 for e in ent if e.endswith(" label"))
        if "train" in m:
            m["train"]["flags"] = m["train"]["flags"] + ["-thread", "1", "-seed", "1"]
        else:
            m["quantize"]["flags"] = m["quantize"]["flags"] + ["-thread", "1"]
        out_models.append(m)
    data = []
    for name in sorted(os.listdir(os.path.join(here, "data"))):
        p = os.path.join(here, "data", name)
        data.append({"file": "data/" + name, "sha256": sha(p), "bytes": os.path.getsize(p), "lines": lines(p)})
    man = {
        "generator": "testdata/quality/models/make_models.sh",
        "fasttext_version": version,
        "note": "predict-prob prints '<label> <p>' pairs, p = exp(log(p + 1e-5)) printed with 6 "
                "significant digits; one output line per input line (a last line without a "
                "newline still counts), except that the CLI also ends a line at a literal "
                "'</s>' token (data/inputs_eos.txt: 2 input lines, 6 output lines); an "
                "empty line still holds the '</s>' word and gets a prediction. "
                "threshold null = none given (fastText's default 0.0).",
        "data": data,
        "models": out_models,
    }
    old = os.path.join(here, "manifest.json")
    if not lid and os.path.exists(old):  # FULL=0: keep the last recorded reference run
        with open(old, encoding="utf-8") as f:
            lid = json.load(f).get("lid_reference", [])
    if lid:
        man["lid_reference"] = lid
    with open(os.path.join(here, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(man, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
