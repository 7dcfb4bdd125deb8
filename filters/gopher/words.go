package gopher

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/curator-dev/curator/filters/text"
)

// EnglishWords splits s into words as datatrove's default English word
// tokenizer does: spaCy's blank "en" tokenizer (datatrove
// src/datatrove/assets/tokenizer_assignment.csv maps eng/en to
// SpaCyTokenizer "en"), followed by datatrove's strip_strings, which drops
// the whitespace tokens.
//
// The spaCy algorithm is reproduced: the text is cut at Python whitespace;
// each chunk is checked against the English special cases (contractions
// such as "don't" -> "do" "n't", abbreviations such as "Mr.", emoticons),
// then prefixes and suffixes are peeled off one at a time (checking the
// special cases between steps), what remains is kept whole when it is a
// special case or looks like a URL, and is otherwise split at the infixes.
// The character classes of spaCy's rules (ALPHA, ALPHA_LOWER, ALPHA_UPPER)
// are approximated by Unicode letter, lower and upper case; the URL test is
// a simplification of spaCy's URL_MATCH; the special-case matcher spaCy
// runs after tokenization (for special cases that span affix tokens) is not
// run. Package doc lists these gaps.
//
// The words are substrings of s and are returned in order.
func EnglishWords(s string) []string {
	var out []string
	text.FieldsFunc(s, func(chunk string) bool {
		out = tokenizeChunk(chunk, out)
		return true
	})
	return out
}

// tokenizeChunk appends the tokens of one whitespace-free chunk to out.
// Most chunks are a plain word of ASCII letters, which no prefix, suffix
// or infix rule cuts and which is no URL (it has no dot): unless it is a
// special case ("cannot", "dont"), it is one token, without the rules
// (tokenizeRules, which the tests hold it to).
func tokenizeChunk(s string, out []string) []string {
	if sp, ok := specials[s]; ok {
		return append(out, sp...)
	}
	if asciiLetters(s) {
		return append(out, s)
	}
	return tokenizeRules(s, out)
}

func asciiLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// tokenizeRules is tokenizeChunk by spaCy's rules alone.
func tokenizeRules(s string, out []string) []string {
	if sp, ok := specials[s]; ok {
		return append(out, sp...)
	}
	var prefixes, suffixes []string
	last := -1
	for s != "" && len(s) != last {
		if _, ok := specials[s]; ok {
			break
		}
		last = len(s)
		pre := prefixLen(s)
		var prefix, minusPre string
		if pre != 0 {
			prefix, minusPre = s[:pre], s[pre:]
			if _, ok := specials[minusPre]; ok && minusPre != "" {
				s = minusPre
				prefixes = append(prefixes, prefix)
				break
			}
		}
		suf := suffixLen(s[pre:])
		var suffix, minusSuf string
		if suf != 0 {
			suffix, minusSuf = s[len(s)-suf:], s[:len(s)-suf]
			if _, ok := specials[minusSuf]; ok && minusSuf != "" {
				s = minusSuf
				suffixes = append(suffixes, suffix)
				break
			}
		}
		switch {
		case pre != 0 && suf != 0 && pre+suf <= len(s):
			s = s[pre : len(s)-suf]
			prefixes = append(prefixes, prefix)
			suffixes = append(suffixes, suffix)
		case pre != 0:
			s = minusPre
			prefixes = append(prefixes, prefix)
		case suf != 0:
			s = minusSuf
			suffixes = append(suffixes, suffix)
		}
		if _, ok := specials[s]; ok && s != "" {
			break
		}
	}
	out = append(out, prefixes...)
	if s != "" {
		if sp, ok := specials[s]; ok {
			out = append(out, sp...)
		} else if isURL(s) {
			out = append(out, s)
		} else {
			out = splitInfixes(s, out)
		}
	}
	for i := len(suffixes) - 1; i >= 0; i-- {
		out = append(out, suffixes[i])
	}
	return out
}

// splitInfixes appends s cut at its infixes (an infix at the start is not
// cut, as in spaCy).
func splitInfixes(s string, out []string) []string {
	start := 0
	for i := 0; i < len(s); {
		end := infixAt(s, i)
		if end < 0 {
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
			continue
		}
		if i != 0 {
			if i != start {
				out = append(out, s[start:i])
			}
			out = append(out, s[i:end])
			start = end
		}
		i = end
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// The character sets of spaCy's char_classes (lang/char_classes.py).
const (
	punctChars = "…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪"
	quoteChars = "'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》〈〉〈〉⟦⟧"
)

// currencies is LIST_CURRENCY, longest first where one ends another.
var currencies = []string{"US$", "C$", "A$", "$", "£", "€", "¥", "฿", "₽", "﷼", "₴", "₠", "₡", "₢", "₣", "₤", "₥", "₦", "₧", "₨", "₩", "₪", "₫", "₭", "₮", "₯", "₰", "₱", "₲", "₳", "₵", "₶", "₷", "₸", "₹", "₺", "₻", "₼", "₾", "₿"}

// units is spaCy's UNITS (lang/char_classes.py).
var units = strings.Fields("km km² km³ m m² m³ dm dm² dm³ cm cm² cm³ mm mm² mm³ ha µm nm yd in ft kg g mg µg t lb oz m/s km/h kmh mph hPa Pa mbar mb MB kb KB gb GB tb TB T G M K % км км² км³ м м² м³ дм дм² дм³ см см² см³ мм мм² мм³ нм кг г мг м/с км/ч кПа Па мбар Кб КБ кб Мб МБ мб Гб ГБ гб Тб ТБ тб كم كم² كم³ م م² م³ سم سم² سم³ مم مم² مم³ كم غرام جرام جم كغ ملغ كوب اكواب")

func isPunct(r rune) bool { return strings.ContainsRune(punctChars, r) }
func isQuote(r rune) bool { return strings.ContainsRune(quoteChars, r) }

// isIcon is LIST_ICONS: [\p{So}--[°]].
func isIcon(r rune) bool { return r != '°' && unicode.Is(unicode.So, r) }

func isAlpha(r rune) bool      { return unicode.IsLetter(r) }
func isAlphaLower(r rune) bool { return unicode.IsLower(r) }
func isAlphaUpper(r rune) bool { return unicode.IsUpper(r) }
func isDigit(r rune) bool      { return r >= '0' && r <= '9' }

// runeBefore returns the rune that ends s[:i], or -1.
func runeBefore(s string, i int) rune {
	if i <= 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// runeAt returns the rune at s[i] and its size, or -1, 0 at the end.
func runeAt(s string, i int) (rune, int) {
	if i >= len(s) {
		return -1, 0
	}
	return utf8.DecodeRuneInString(s[i:])
}

// dotRun returns the length of the run of '.' at s[i:].
func dotRun(s string, i int) int {
	j := i
	for j < len(s) && s[j] == '.' {
		j++
	}
	return j - i
}

// prefixLen is the length of spaCy's English prefix at the start of s
// (TOKENIZER_PREFIXES: an ordered alternation anchored at the start), or 0.
func prefixLen(s string) int {
	if s == "" {
		return 0
	}
	if c := s[0]; isASCIIAlnum(c) && c != 'U' && c != 'C' && c != 'A' {
		return 0 // only the currencies "US$", "C$" and "A$" start with one
	}
	r, n := runeAt(s, 0)
	switch {
	case r == '§' || r == '%' || r == '=' || r == '—' || r == '–':
		return n
	case r == '+':
		if nx, _ := runeAt(s, n); !isDigit(nx) {
			return n
		}
		// "+" before a digit can still match no other alternative
		return 0
	case isPunct(r):
		return n
	case r == '.':
		if k := dotRun(s, 0); k >= 2 {
			return k
		}
		return 0
	case isQuote(r):
		return n
	}
	for _, c := range currencies {
		if strings.HasPrefix(s, c) {
			return len(c)
		}
	}
	if isIcon(r) {
		return n
	}
	return 0
}

// suffixLen is the length of spaCy's English suffix at the end of s
// (TOKENIZER_SUFFIXES searched with re.search: the leftmost, hence
// longest, match that reaches the end), or 0.
func suffixLen(s string) int {
	if s == "" {
		return 0
	}
	tailDigit := strings.ContainsAny(s[max(0, len(s)-12):], "0123456789")
	if c := s[len(s)-1]; isASCIIAlnum(c) && c != 's' && c != 'S' && !tailDigit {
		return 0 // only "'s" and units after a digit end with one
	}
	best := 0
	take := func(n int) {
		if n > best {
			best = n
		}
	}
	last, ln := utf8.DecodeLastRuneInString(s)
	if isPunct(last) || isQuote(last) || isIcon(last) || last == '—' || last == '–' {
		take(ln)
	}
	if strings.HasSuffix(s, "……") {
		take(len("……"))
	}
	// \.\.+$ : the whole trailing run of dots
	k := 0
	for k < len(s) && s[len(s)-1-k] == '.' {
		k++
	}
	if k >= 2 {
		take(k)
	}
	for _, x := range [...]string{"'s", "'S", "’s", "’S"} {
		if strings.HasSuffix(s, x) {
			take(len(x))
		}
	}
	afterDigit := func(x string) {
		if strings.HasSuffix(s, x) && isDigit(runeBefore(s, len(s)-len(x))) {
			take(len(x))
		}
	}
	// The units and currencies are at most 10 bytes long: without a digit
	// in the last 12 bytes none follows a digit.
	if tailDigit {
		afterDigit("+")
		for _, c := range currencies {
			afterDigit(c)
		}
		for _, u := range units {
			afterDigit(u)
		}
	}
	if last == '.' {
		i := len(s) - 1
		b := runeBefore(s, i)
		// (?<=°[FfCcKk])\.
		if strings.ContainsRune("FfCcKk", b) && runeBefore(s, i-1) == '°' {
			take(1)
		}
		// (?<=[0-9{al}%²\-\+(?:{q}){p}])\.
		if isDigit(b) || isAlphaLower(b) || strings.ContainsRune("%²-+(?:", b) || isQuote(b) || isPunct(b) {
			take(1)
		}
		// (?<=[{au}][{au}])\.
		if isAlphaUpper(b) {
			_, bn := utf8.DecodeLastRuneInString(s[:i])
			if isAlphaUpper(runeBefore(s, i-bn)) {
				take(1)
			}
		}
	}
	return best
}

// hyphens is HYPHENS in alternation order.
var hyphens = [...]string{"-", "–", "—", "--", "---", "——", "~"}

// infixAt returns the end of the infix that matches at s[i] (English
// TOKENIZER_INFIXES, alternatives in order), or -1.
func infixAt(s string, i int) int {
	if isASCIIAlnum(s[i]) {
		return -1 // no infix starts with one
	}
	r, n := runeAt(s, i)
	if r == '.' {
		if k := dotRun(s, i); k >= 2 {
			return i + k
		}
	}
	if r == '…' || isIcon(r) {
		return i + n
	}
	b := runeBefore(s, i)
	nx, _ := runeAt(s, i+n)
	// (?<=[0-9])[+\-\*^](?=[0-9-])
	if isDigit(b) && strings.ContainsRune("+-*^", r) && (isDigit(nx) || nx == '-') {
		return i + n
	}
	// (?<=[{al}{q}])\.(?=[{au}{q}])
	if r == '.' && (isAlphaLower(b) || isQuote(b)) && (isAlphaUpper(nx) || isQuote(nx)) {
		return i + n
	}
	// (?<=[{a}]),(?=[{a}])
	if r == ',' && isAlpha(b) && isAlpha(nx) {
		return i + n
	}
	// (?<=[{a}0-9])(?:{h})(?=[{a}])
	if isAlpha(b) || isDigit(b) {
		for _, h := range hyphens {
			if strings.HasPrefix(s[i:], h) {
				if a, _ := runeAt(s, i+len(h)); isAlpha(a) {
					return i + len(h)
				}
			}
		}
		// (?<=[{a}0-9])[:<>=/](?=[{a}])
		if strings.ContainsRune(":<>=/", r) && isAlpha(nx) {
			return i + n
		}
	}
	return -1
}

// isURL approximates spaCy's URL_MATCH: an optional scheme ("http://"),
// optional user info, a host of dot-separated labels ending with a
// top-level domain of two or more letters (or any host after a scheme),
// an optional port, and an optional path, query or fragment.
func isURL(s string) bool {
	if strings.IndexByte(s, '.') < 0 && !strings.Contains(s, "://") {
		return false // a host without a scheme needs two labels
	}
	rest := s
	scheme := false
	if i := strings.Index(rest, "://"); i > 0 {
		for j, r := range rest[:i] {
			if !(isASCIILetter(r) || (j > 0 && (isDigit(r) || r == '+' || r == '-' || r == '.'))) {
				return false
			}
		}
		rest, scheme = rest[i+3:], true
	}
	if at := strings.IndexByte(rest, '@'); at > 0 && !strings.ContainsAny(rest[:at], "/?#") {
		rest = rest[at+1:]
	}
	end := strings.IndexAny(rest, "/?#")
	host := rest
	if end >= 0 {
		host = rest[:end]
	}
	if c := strings.LastIndexByte(host, ':'); c >= 0 {
		port := host[c+1:]
		if port == "" || strings.TrimFunc(port, func(r rune) bool { return isDigit(r) }) != "" {
			return false
		}
		host = host[:c]
	}
	if host == "" {
		return false
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
		for _, r := range l {
			if !(hostLetter(r) || (scheme && isAlpha(r)) || isDigit(r) || r == '-' || r == '_') {
				return false
			}
		}
	}
	if scheme {
		return true
	}
	if len(labels) < 2 {
		return false
	}
	tld := labels[len(labels)-1]
	if utf8.RuneCountInString(tld) < 2 {
		return false
	}
	for _, r := range tld {
		if !hostLetter(r) {
			return false
		}
	}
	return true
}

// hostLetter is spaCy's URL host letter class [a-z\u00a1-\uffff]: the
// pattern is case-sensitive, so "end.Next" is no URL but "hello.world" is.
func hostLetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 0xa1 && r <= 0xffff) }

func isASCIIAlnum(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func isASCIILetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }
