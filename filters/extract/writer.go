package extract

import (
	"strconv"
	"unicode/utf8"
)

// writer builds the text. White space is never written eagerly: a space,
// a line break or a table-cell separator is remembered and written before the
// next visible text, so blocks that turn out empty leave nothing behind and
// the output has no trailing blanks.
type writer struct {
	out []byte
	wstate
	preserve bool // preserve_formatting
	bullets  bool // list_bullets
}

// wstate is the part of the writer that a rolled-back element restores.
type wstate struct {
	breaks    int8 // newlines owed before the next text: 0, 1 or 2
	space     bool // a space owed before the next text
	cell      bool // a table-cell separator owed before the next text
	bullet    bool // a list-item marker owed before the next text
	ordinal   int32
	listDepth int32
	pre       int32 // depth of <pre> elements
}

// snapshot is what an element needs to undo its own output.
type snapshot struct {
	n int
	wstate
}

func (w *writer) reset(preserve, bullets bool) {
	w.out = w.out[:0]
	w.wstate = wstate{}
	w.preserve, w.bullets = preserve, bullets
}

func (w *writer) snap() snapshot { return snapshot{len(w.out), w.wstate} }

// rollback forgets everything written since s, keeping the list and pre
// depth of now (the element is closed) and owing a line break.
func (w *writer) rollback(s snapshot) {
	depth, pre := w.listDepth, w.pre
	w.out = w.out[:s.n]
	w.wstate = s.wstate
	w.listDepth, w.pre = depth, pre
	w.block(1)
}

// block owes n line breaks (a block boundary: 1, a paragraph: 2).
func (w *writer) block(n int8) {
	if len(w.out) == 0 {
		return
	}
	if !w.preserve {
		w.space = true
		return
	}
	if n > w.breaks {
		w.breaks = n
	}
	w.cell = false
}

// lineBreak is a <br>: one more newline owed, at most a blank line.
func (w *writer) lineBreak() {
	if len(w.out) == 0 {
		return
	}
	if !w.preserve {
		w.space = true
		return
	}
	if w.breaks < 2 {
		w.breaks++
	}
	w.cell = false
}

// cellSep owes a table-cell separator unless a line break is owed.
func (w *writer) cellSep() {
	if len(w.out) == 0 || w.breaks > 0 {
		return
	}
	if !w.preserve {
		w.space = true
		return
	}
	w.cell = true
}

// listItem starts a list item: a line break and a deferred marker.
func (w *writer) listItem(ordinal int32) {
	w.block(1)
	if w.preserve && w.bullets {
		w.bullet = true
		w.ordinal = ordinal
	}
}

// flush writes what is owed before visible text. lead says the text began
// with white space.
func (w *writer) flush(lead bool) {
	if len(w.out) > 0 {
		switch {
		case w.breaks > 0:
			have := int8(0)
			for k := len(w.out) - 1; k >= 0 && have < 2 && w.out[k] == '\n'; k-- {
				have++
			}
			for ; have < w.breaks; have++ {
				w.out = append(w.out, '\n')
			}
		case w.cell:
			w.out = append(w.out, '\t', '\t')
		case w.space || lead:
			if c := w.out[len(w.out)-1]; c != ' ' && c != '\n' && c != '\t' {
				w.out = append(w.out, ' ')
			}
		}
	}
	w.breaks, w.cell, w.space = 0, false, false
	if w.preserve && w.listDepth > 0 && (len(w.out) == 0 || w.out[len(w.out)-1] == '\n') {
		w.indent()
	}
}

// indent writes the indent (and owed marker) of a line inside a list.
func (w *writer) indent() {
	n := 2 * int(w.listDepth)
	if !w.bullet && w.bullets {
		n += 2
	}
	for ; n > 0; n-- {
		w.out = append(w.out, ' ')
	}
	if w.bullet {
		if w.ordinal > 0 {
			w.out = strconv.AppendInt(w.out, int64(w.ordinal), 10)
			w.out = append(w.out, '.', ' ')
		} else {
			w.out = append(w.out, "• "...)
		}
		w.bullet = false
	}
}

// text writes collapsed text: runs of white space become one space, control
// characters are dropped, and an icon (a lone private-use code point or a
// pilcrow) is ignored.
func (w *writer) text(b []byte) {
	if w.pre > 0 && w.preserve {
		w.preText(b)
		return
	}
	i, j := 0, len(b)
	for i < j && isSpace(b[i]) {
		i++
	}
	for j > i && isSpace(b[j-1]) {
		j--
	}
	if i == j {
		if len(b) > 0 && len(w.out) > 0 {
			w.space = true
		}
		return
	}
	core := b[i:j]
	if core[0] >= utf8.RuneSelf && (isIcon(core) || isBlank(core)) {
		w.space = w.space || i > 0 || j < len(b)
		return
	}
	w.flush(i > 0)
	inSpace := false
	for k := 0; k < len(core); k++ {
		c := core[k]
		switch {
		case isSpace(c):
			inSpace = true
			continue
		case c < 0x20 || c == 0x7f:
			continue
		}
		if inSpace {
			w.out = append(w.out, ' ')
			inSpace = false
		}
		w.out = append(w.out, c)
	}
	w.space = j < len(b)
}

// preText writes preformatted text as is, indenting its lines inside lists.
func (w *writer) preText(b []byte) {
	if len(b) == 0 {
		return
	}
	w.flush(false)
	for k := 0; k < len(b); k++ {
		c := b[k]
		if c == '\r' || c == 0 {
			continue
		}
		w.out = append(w.out, c)
		if c == '\n' && w.listDepth > 0 && k+1 < len(b) {
			w.indent()
		}
	}
}

// finish returns the text with trailing white space removed.
func (w *writer) finish() []byte {
	j := len(w.out)
	for j > 0 && isSpace(w.out[j-1]) {
		j--
	}
	return w.out[:j]
}

// isIcon reports whether b is a single private-use code point (an icon
// font glyph) or a pilcrow (a heading anchor).
func isIcon(b []byte) bool {
	if len(b) > 4 || len(b) < 2 {
		return false
	}
	r, n := utf8.DecodeRune(b)
	if n != len(b) {
		return false
	}
	return r == '¶' || (r >= 0xE000 && r <= 0xF8FF) || (r >= 0xF0000 && r <= 0x10FFFD)
}

// isBlank reports whether b holds only white space, including non-ASCII
// spaces such as U+00A0 and U+3000 (an "&nbsp;" that pads an empty cell).
func isBlank(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r < utf8.RuneSelf && isSpace(byte(r)):
		case r == 0xA0 || r == 0x1680 || (r >= 0x2000 && r <= 0x200B) || r == 0x202F ||
			r == 0x205F || r == 0x3000 || r == 0xFEFF:
		default:
			return false
		}
		b = b[n:]
	}
	return true
}

// isSpace is ASCII white space, as C's isspace (resiliparse collapses the
// same set); U+00A0 is kept.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
