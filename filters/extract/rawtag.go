package extract

// The tokenizer's TagName and TagAttr copy every name and value they return;
// on attribute-heavy pages that copying costs more than tokenizing. The start
// and end tags are therefore read again from the tokenizer's raw bytes
// (z.Raw()), without copying: the tokenizer has already found where the tag
// ends, so this is a short scan. Names are lower-cased into a scratch buffer;
// values are returned raw (character references are resolved only for the
// values that become text).

// rawTag splits the raw bytes of a start or end tag ("<div class=x>") into
// its lower-cased name and the rest, the attribute list. scratch receives
// the lower-cased name.
func rawTag(raw, scratch []byte) (name, rest, buf []byte) {
	i := 1
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	j := i
	for j < len(raw) && !htmlSpace(raw[j]) && raw[j] != '/' && raw[j] != '>' {
		j++
	}
	buf = append(scratch[:0], raw[i:j]...)
	return lowerInPlace(buf), raw[j:], buf
}

// nextAttr returns the next attribute of an attribute list (as rawTag
// returns it): its raw name (not lower-cased), its raw value, and what
// follows. ok is false when there are no more attributes. It follows the
// WHATWG tokenizer: names end at white space, '/', '>' or '='; values are
// quoted with " or ', or end at white space or '>'.
func nextAttr(s []byte) (key, val, rest []byte, ok bool) {
	i := 0
	for i < len(s) && (htmlSpace(s[i]) || s[i] == '/') {
		i++
	}
	if i >= len(s) || s[i] == '>' {
		return nil, nil, nil, false
	}
	start := i
	i++ // a name may start with '='
	for i < len(s) && !htmlSpace(s[i]) && s[i] != '/' && s[i] != '>' && s[i] != '=' {
		i++
	}
	key = s[start:i]
	for i < len(s) && htmlSpace(s[i]) {
		i++
	}
	if i >= len(s) || s[i] != '=' {
		return key, nil, s[i:], true
	}
	i++
	for i < len(s) && htmlSpace(s[i]) {
		i++
	}
	if i >= len(s) {
		return key, nil, nil, true
	}
	if q := s[i]; q == '"' || q == '\'' {
		i++
		start = i
		for i < len(s) && s[i] != q {
			i++
		}
		val = s[start:i]
		if i < len(s) {
			i++
		}
		return key, val, s[i:], true
	}
	start = i
	for i < len(s) && !htmlSpace(s[i]) && s[i] != '>' {
		i++
	}
	return key, s[start:i], s[i:], true
}

// htmlSpace is white space as the HTML tokenizer sees it (no \v).
func htmlSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
