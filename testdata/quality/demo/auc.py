#!/usr/bin/env python3
"""ROC AUC of a quality model on a labelled fastText-format file.

Usage: auc.py TEST_FILE PRED_FILE [POSITIVE_LABEL]

PRED_FILE is `predict-prob MODEL TEST_FILE` output (k=1, one `__label__X p` line
per test line, in order). The score is DCLM's: p when the top label is the
positive one (default __label__hq), else 1 - p. Ties count one half.
Standard library only.
"""

import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip())
    positive = sys.argv[3] if len(sys.argv) == 4 else "__label__hq"
    with open(sys.argv[1], encoding="utf-8") as f:
        gold = [line.split(" ", 1)[0] for line in f]
    scores = []
    with open(sys.argv[2], encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            fields = line.split()
            if len(fields) < 2:
                sys.exit(f"auc.py: {sys.argv[2]}:{n}: no prediction")
            p = float(fields[1])
            scores.append(p if fields[0] == positive else 1 - p)
    if len(scores) != len(gold):
        sys.exit(f"auc.py: {len(gold)} test lines but {len(scores)} predictions")
    pos = [s for s, g in zip(scores, gold) if g == positive]
    neg = [s for s, g in zip(scores, gold) if g != positive]
    if not pos or not neg:
        sys.exit("auc.py: need both classes")
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    print(f"{wins / (len(pos) * len(neg)):.3f}")


if __name__ == "__main__":
    main()
