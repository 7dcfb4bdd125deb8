package quality

// isSpace reports the bytes that Dictionary::readWord treats as word separators.
func isSpace(c byte) bool {
	switch c {
	case ' ', '\n', '\r', '\t', '\v', '\f', 0:
		return true
	}
	return false
}

var eosBytes = []byte(eos)

// NextWord is Dictionary::readWord over b: it returns the next token and the number of
// bytes consumed. A newline met before any word byte is the token "</s>"; a newline
// that ends a word is left unconsumed, so that the next call returns "</s>". At the
// end of b without a token it returns (nil, len(b)).
func NextWord(b []byte) (tok []byte, n int) {
	i := 0
	for i < len(b) && isSpace(b[i]) {
		if b[i] == '\n' {
			return eosBytes, i + 1
		}
		i++
	}
	start := i
	for i < len(b) && !isSpace(b[i]) {
		i++
	}
	if i == start {
		return nil, i
	}
	tok = b[start:i]
	if i < len(b) && b[i] != '\n' {
		i++
	}
	return tok, i
}

// getLine is Dictionary::getLine for supervised prediction: it reads tokens from the
// start of b up to and including the first "</s>" (a newline or the literal token),
// fills p.ids with the input rows (word ids, their char n-grams, word n-grams) and
// returns the bytes consumed. With addEOS, the end of b counts as a newline (as the
// Python binding appends one).
func (p *Predictor) getLine(b []byte, addEOS bool) int {
	m := p.m
	p.ids = p.ids[:0]
	p.whash = p.whash[:0]
	pos := 0
	for {
		tok, n := NextWord(b[pos:])
		pos += n
		if tok == nil {
			if !addEOS {
				break
			}
			tok = eosBytes
			addEOS = false
		}
		h := hashBytes(tok)
		wid := m.find(tok, h)
		isWord := false
		if wid >= 0 {
			isWord = m.words[wid].typ == 0
		} else {
			isWord = !hasPrefix(tok, labelPrefix)
		}
		if isWord {
			p.addSubwords(tok, wid)
			p.whash = append(p.whash, int32(h))
		}
		if string(tok) == eos {
			break
		}
	}
	p.addWordNgrams()
	return pos
}

func hasPrefix(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}

// addSubwords is Dictionary::addSubwords: the word's id and its char n-grams (computed
// on the fly: fastText precomputes them for in-vocabulary words, with the same result).
func (p *Predictor) addSubwords(tok []byte, wid int32) {
	m := p.m
	if wid >= 0 {
		p.ids = append(p.ids, wid)
	}
	if m.maxn <= 0 || string(tok) == eos {
		return
	}
	w := append(p.wbuf[:0], '<')
	w = append(w, tok...)
	w = append(w, '>')
	p.wbuf = w
	p.computeSubwords(w)
}

// computeSubwords is Dictionary::computeSubwords: the char n-grams of w ("<word>"),
// whose lengths count UTF-8 characters (n-grams start only at non-continuation bytes),
// hashed and pushed through pushHash. The hash is extended byte by byte.
func (p *Predictor) computeSubwords(w []byte) {
	m := p.m
	minn, maxn, bucket := int(m.args.Minn), int(m.maxn), uint32(m.args.Bucket)
	for i := 0; i < len(w); i++ {
		if w[i]&0xC0 == 0x80 {
			continue
		}
		h := uint32(fnvOffset)
		j := i
		for n := 1; j < len(w) && n <= maxn; n++ {
			h = (h ^ uint32(int32(int8(w[j])))) * fnvPrime
			j++
			for j < len(w) && w[j]&0xC0 == 0x80 {
				h = (h ^ uint32(int32(int8(w[j])))) * fnvPrime
				j++
			}
			if n >= minn && !(n == 1 && (i == 0 || j == len(w))) {
				p.pushHash(int32(h % bucket))
			}
		}
	}
}

// pushHash is Dictionary::pushHash: bucket id to input row, through the pruned index
// of quantized models with a cutoff.
func (p *Predictor) pushHash(id int32) {
	m := p.m
	if m.pruneSize == 0 || id < 0 {
		return
	}
	if m.pruneSize > 0 {
		v, ok := m.pruneIdx[id]
		if !ok {
			return
		}
		id = v
	}
	p.ids = append(p.ids, m.nwords+id)
}

// addWordNgrams is Dictionary::addWordNgrams: the word hashes are int32 and are
// sign-extended into the uint64 n-gram hash.
func (p *Predictor) addWordNgrams() {
	n := int(p.m.args.WordNgrams)
	if n <= 1 {
		return
	}
	bucket := uint64(p.m.args.Bucket)
	hs := p.whash
	for i := range hs {
		h := uint64(int64(hs[i]))
		for j := i + 1; j < len(hs) && j < i+n; j++ {
			h = h*ngramMult + uint64(int64(hs[j]))
			p.pushHash(int32(h % bucket))
		}
	}
}
