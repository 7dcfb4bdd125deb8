#!/usr/bin/env python3
"""Writes golden.jsonl, one line per input URL: what DCLM's url_substring_filter computes for real and
tricky URLs, so the Go port can be checked against Python's own re and
urllib. Run from this directory with Python >= 3.11:

    python3 gen_golden.py ../../filters/urlfilter/data > golden.jsonl

The trie-to-regex construction follows the retrie library's Trie.pattern
(written out here because retrie is not installed); the filter logic follows
mlfoundations/dclm baselines/mappers/filters/metadata_filters.py.
"""
import json
import random
import re
import sys
from urllib.parse import urlparse


def trie_pattern(keys):
    root = {}
    for k in keys:
        node = root
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pat(data):
        if not data or (len(data) == 1 and "" in data):
            return None
        deeper, current, leaf = [], [], False
        for ch in sorted(data):
            if ch == "":
                leaf = True
                continue
            sub = pat(data[ch])
            if sub is None:
                current.append(re.escape(ch))
            else:
                deeper.append(re.escape(ch) + sub)
        final = list(deeper)
        if current:
            final.append(current[0] if len(current) == 1 else "[" + "".join(current) + "]")
        result = final[0] if len(final) == 1 else "(?:" + "|".join(sorted(final)) + ")"
        if leaf:
            result = result + "?" if not deeper else "(?:" + result + ")?"
        return result

    return pat(root) or ""


def compile_filter(keys, match_substrings=True, case_sensitive=False):
    keys = keys if case_sensitive else [k.lower() for k in keys]
    p = trie_pattern(keys)
    if not match_substrings:
        p = r"\b" + p + r"\b"
    return re.compile(p, 0 if case_sensitive else re.IGNORECASE)


def matches(pattern, url, ignore_chars, case_sensitive=False):
    if not case_sensitive:
        url = url.lower()
    for c in ignore_chars:
        url = url.replace(c, "")
    return sorted(set(pattern.findall(url)))


def read_list(path):
    with open(path, "r", encoding="utf-8") as f:
        return f.read().splitlines()


TRICKY_KEYS = ["i", "ıx", "straße", "σος", "ab", "abcd", "abc", "a_b", "µm", "ﬆar", "xn--bcher", "bü", "δ", "k", "12", "_"]
ALPHABET = list("abcdxiksmt_-./:12 ") + ["İ", "ı", "I", "ſ", "S", "ẞ", "ß", "Σ", "σ", "ς", "µ", "μ", "ü", "ü", "K", "ﬅ", "ﬆ", "é", "\u0301", "٣", "²", "Ⅻ", "🖕", "δ", "Δ"]


def main():
    data = sys.argv[1]
    urls = [u for u in open("real_urls.txt", encoding="utf-8").read().splitlines() if u]
    urls += [u for u in open("edge_urls.txt", encoding="utf-8").read().splitlines() if u]
    rng = random.Random(42)
    rand = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 24))) for _ in range(400)]
    configs = {
        "strict": (read_list(f"{data}/refinedweb_banned_words_strict_reverse_engineered.txt"), True, False, ["-", "."]),
        "hard": (read_list(f"{data}/refinedweb_banned_words_hard_reverse_engineered.txt"), False, False, []),
        "soft": (read_list(f"{data}/refinedweb_banned_words_soft_reverse_engineered.txt"), False, False, []),
        "ldnoobw_words": (read_list(f"{data}/ldnoobw.txt"), False, False, []),
        "tricky_sub": (TRICKY_KEYS, True, False, []),
        "tricky_words": (TRICKY_KEYS, False, False, []),
        "tricky_case": (TRICKY_KEYS + ["Ab", "SS"], True, True, []),
        "tricky_case_words": (TRICKY_KEYS + ["Ab", "SS"], False, True, []),
        "empty_key_sub": (["", "ab", "x"], True, False, []),
        "empty_key_words": (["", "ab", "x"], False, False, []),
        "empty_list_words": ([], False, False, []),
    }
    patterns = {name: (compile_filter(keys, subs, cs), cs, ignore) for name, (keys, subs, cs, ignore) in configs.items()}
    for kind, inputs in (("real", urls), ("random", rand)):
        for u in inputs:
            row = {"kind": kind, "url": u, "m": {}}
            for name, (pattern, cs, ignore) in patterns.items():
                if kind == "real" or name.startswith(("tricky", "empty")):
                    got = matches(pattern, u, ignore, cs)
                    if got:
                        row["m"][name] = got
            try:
                row["netloc"] = urlparse(u).netloc
            except ValueError:
                row["netloc_error"] = True
            row["lower"] = u.lower()
            print(json.dumps(row, ensure_ascii=False))

if __name__ == "__main__":
    main()
