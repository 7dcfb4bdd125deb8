package text

import "sync"

// Lookup tables for the Basic Multilingual Plane, built on first use: the
// Unicode 6.2 word-break property and the Python predicates, so that
// non-ASCII text costs one array read per character instead of several
// range-table searches.
var (
	bmpOnce  sync.Once
	bmpWB    *[0x10000]wbProp
	bmpClass *[0x10000]uint8
)

func buildBMP() {
	wb := new([0x10000]wbProp)
	cl := new([0x10000]uint8)
	for r := rune(0); r < 0x10000; r++ {
		wb[r] = wordBreakSlow(r)
		var f uint8
		if isSpaceSlow(r) {
			f |= clSpace
		}
		if isUpperSlow(r) {
			f |= clUpper
		}
		if isDigitSlow(r) {
			f |= clDigit
		}
		if isAlphaSlow(r) {
			f |= clAlpha
		}
		if isAlnumSlow(r) {
			f |= clWord
		}
		cl[r] = f
	}
	bmpWB, bmpClass = wb, cl
}

func bmp() { bmpOnce.Do(buildBMP) }
