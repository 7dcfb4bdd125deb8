package extract

// The main-content zone: in main-content mode, when exactly one element is
// marked as the page's main content (role="main", or one of the class names
// of resiliparse's main-content selector), the text is limited to what that
// element produced. The zone is found in the same pass as the text: the
// output offsets where the first marked element starts and ends are kept,
// and at the end the zone is used only if no other element was marked.
// Marked elements inside dropped subtrees are not seen.

var zoneClasses = map[string]bool{
	"article-body": true, "articlebody": true, "contentbody": true, "article-text": true,
	"main-content": true, "postcontent": true, "post-content": true, "single-post": true,
}

// zone tracks the marked elements of one extraction.
type zone struct {
	marked     int  // elements marked as main content
	start, end int  // output offsets of the first one
	closed     bool // the first one has ended
	broken     bool // its output was rolled back by an ancestor
}

// open records a marked element starting at output offset n and returns the
// frame flag it gets.
func (z *zone) open(n int) uint16 {
	z.marked++
	if z.marked > 1 {
		return 0
	}
	z.start = n
	return fZone
}

// close records the end of the first marked element.
func (z *zone) close(n int) {
	z.end, z.closed = n, true
}

// rolledBack notes that the output was cut back to offset n.
func (z *zone) rolledBack(n int) {
	if z.marked > 0 && (n < z.start || (z.closed && n < z.end)) {
		z.broken = true
	}
}

// text returns the zone's part of out when exactly one element was marked.
func (z *zone) text(out []byte) ([]byte, bool) {
	if z.marked != 1 || z.broken {
		return nil, false
	}
	end := len(out)
	if z.closed {
		end = z.end
	}
	t := out[z.start:end]
	for len(t) > 0 && t[0] == '\n' {
		t = t[1:]
	}
	j := len(t)
	for j > 0 && isSpace(t[j-1]) {
		j--
	}
	return t[:j], true
}

// zoneMark reports whether the current start tag (attributes in x.at) marks
// the main content.
func (x *extractor) zoneMark() bool {
	if string(x.at.role) == "main" {
		return true
	}
	c := x.at.class
	for i := 0; i < len(c); {
		for i < len(c) && isSpace(c[i]) {
			i++
		}
		j := i
		for j < len(c) && !isSpace(c[j]) {
			j++
		}
		if j > i && zoneClasses[string(c[i:j])] {
			return true
		}
		i = j
	}
	return false
}
