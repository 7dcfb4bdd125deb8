"""Writes python_reference.jsonl: random texts made of tricky pieces (case
folding, Unicode spaces and digits, URLs, IPs, counters, banned substrings)
and what DCLM's functions (re-implemented here from their definitions in
mlfoundations/dclm baselines/mappers, with CPython's re) return for them.
Run: python3 make_python_reference.py python_reference.jsonl
(CPython 3.11.7; needs iana_tlds.txt from filters/urlfilter/data)."""
import re, json, random, sys

def trie_pattern(words):
    data = {}
    for w in words:
        ref = data
        for ch in w:
            ref = ref.setdefault(ch, {})
        ref[''] = {}
    def pat(d):
        if not d or (len(d) == 1 and '' in d):
            return None
        deeper, current, leaf = [], [], False
        for ch in sorted(d):
            if ch == '':
                leaf = True; continue
            r = pat(d[ch])
            if r is None: current.append(re.escape(ch))
            else: deeper.append(re.escape(ch) + r)
        final = list(deeper)
        if current:
            final.append(current[0] if len(current) == 1 else '[' + ''.join(current) + ']')
        res = final[0] if len(final) == 1 else '(?:' + '|'.join(sorted(final)) + ')'
        if leaf:
            res = res + '?' if not deeper else '(?:' + res + ')?'
        return res
    return pat(data) or ''

tlds = [re.escape(t) for t in open(__import__('os').path.join(__import__('os').path.dirname(__file__), '../../filters/urlfilter/data/iana_tlds.txt')).read().splitlines()]
tp = trie_pattern(tlds)
tlds_regex = re.compile(tp, re.I)
url_regex = re.compile(rf'\s{{0,10}}(?:((https?|ftp)://))?[-a-zA-Z0-9@:%._\+~#=]{{1,256}}\.({tp})\b([-a-zA-Z0-9()@:%_\+.~#?&//=]*)')
ipv4_regex = re.compile(r'\s{0,10}\b((https?|ftp)://)?(?:[0-2]?[0-9]{1,2}\.){3}[0-2]?[0-9]{1,2}[-a-zA-Z0-9()@:%_\+.~#?&//=]*')
R = "\x00REMOVED"
def url(t):
    if tlds_regex.match(t): t = url_regex.sub('', t)
    t = ipv4_regex.sub('', t)
    return R if t == '' else t
counter_regex = re.compile(r'^\W*\d(?:,|\.|\d)*(?:K|k|M|m|B|b)?\s+(?:likes|shares|comments|retweets|reposts|quotes|bookmarks|upvotes|downvotes|downloads|views|followers)\W*$')
def counter(t):
    nd = '\n'.join(l for l in t.split('\n') if not counter_regex.search(l.lower())).strip()
    return R if nd == '' else nd
def ratio(t, pred, mx):
    out = []
    for l in t.split('\n'):
        if not l or sum(pred(c) for c in l)/len(l) <= mx: out.append(l)
    nd = '\n'.join(out).strip()
    return R if nd == '' else nd
def linelen(t):
    nd = '\n'.join(l for l in t.split('\n') if 2 <= len(l.split()) or not l)
    return R if nd == '' else nd
def newline(t): return re.sub(r'\n{3,}', '\n\n', t)
def substr(banlist, location='any', max_length=None, rso=False, cs=False):
    banlist = banlist if cs else [b.lower() for b in banlist]
    p = f"(?:{'|'.join(banlist)})"
    p = {'prefix': rf"^{p}\s?", 'suffix': rf"\s?{p}$"}.get(location, rf"\s?{p}")
    p = re.compile(p) if cs else re.compile(p, re.I)
    def f(t):
        out = []
        for line in t.split('\n'):
            if max_length is None or len(line.split()) <= max_length:
                if rso:
                    m = p.sub('', line)
                    if line and (not m or m.isspace()): continue
                    line = m
                elif p.search(line): continue
            out.append(line)
        nd = '\n'.join(out).strip()
        return R if nd == '' else nd
    return f
def ft_tokens(t):
    toks = []
    cur = ''
    for ch in t:
        if ch in ' \n\r\t\v\f\0':
            if cur: toks.append(cur); cur = ''
            if ch == '\n': toks.append('</s>')
        else: cur += ch
    if cur: toks.append(cur)
    return toks
def split_par(t, sep): return [q for p in re.split(sep, t) if (q := p.strip())]
ref = {
 'counter': counter, 'upper': lambda t: ratio(t, str.isupper, 0.5), 'numeric': lambda t: ratio(t, str.isdigit, 0.999999),
 'linelen': linelen, 'newline': newline,
 'cart': substr(['items in cart'], max_length=10, rso=True),
 'readmore': substr(['Read more...'], 'suffix', 10, True),
 'signin': substr(['Sign-in'], 'prefix', 10, True),
 'multi': substr(['share', 'sharing', 'Σας'], 'any'),
 'url': url,
 'ft': lambda t: sum(1 for w in ft_tokens(t) if w[0].isalnum()),
 'ft0': lambda t: sum(1 for w in ft_tokens(t) if w.strip()),
 'split': lambda t: t.split(), 'strip': lambda t: t.strip(),
 'lines': lambda t: split_par(t, '\n'), 'paras': lambda t: split_par(t, '\n\n'),
}
pieces = ['the', 'The', 'THE', 'Read more...', 'read moreXYZ', 'READ MORE', 'items in cart', 'ITEMS IN CART', 'İtems in cart', 'ıtems in cart',
 'Sign-in', 'sign-in', 'SIGN-IN', 'ſign-in', 'share', 'ΣΑΣ', 'σας', 'sharing', '1.2K likes', '35 views', '2,300 followers', '12 Likes!', '3K', '5', '4.5m', 'comments', 'ⅩⅡ', '²', '٣',
 'www.example.com', 'example.co.uk', 'EXAMPLE.COM', 'http://', 'https://', 'ftp://', 'foo.bar', 'a.b.c.d', 'x.com', '.com', 'comé', '.org/path?x=1&y=2', 'site.测试', 'site.中国', 'x.ελ',
 '192.168.0.1', '1.2.3.4', '999.1.1.1', '10.0.0.256', '1.2.3', 'v1.2.3.4', '版本1.2.3.4', '_1.2.3.4',
 ' ', ' ', ' ', '  ', '\t', '\n', '\n', '\n\n', '\n\n\n', '\r', '\x1c', '\u2003', '\u3000', '\x85', '\x0b', '\x0c', '\x00',
 'Hello', 'This', 'com', 'co', 'uk', 'xyz', 'Welcome', 'ABC', 'DEF', 'é', 'É', '测试', '-', '*', '•', '...', '…', '#', '!', '?', ',', '.', ':', '/', '_', 'K', 'ǅ', 'Ⓐ', '𝐀', 'a'*20, 'b'*257, ' '*11, ' '*10, '\u00a0'*10, '.co', 'm', '.c', 'om', '@', '%', '~', '=', '+', 'é.com', '.comé', '.com_', '.com-', '.中国x', '.சிங்கப்பூர்', 'அ', 'http', 's://', 'co.', '.', '..', '0', '25', '255.', '300.']
random.seed(20261127)
N = 300
inputs = []
for _ in range(N):
    k = random.randint(1, 16)
    inputs.append(''.join(random.choice(pieces) + random.choice(['', '', ' ', '\n']) for _ in range(k)))
import sys
out = sys.argv[1]
with open(out, 'w') as f:
    for s in inputs:
        f.write(json.dumps({"text": s, "want": {k: fn(s) for k, fn in ref.items()}}, ensure_ascii=False) + "\n")
