package dedup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"

	"github.com/curator-dev/curator/filters"
)

// Run-wide dedup (filters.Deduper): workers fingerprint documents in
// parallel, the run's judge decides in canonical order, workers apply.
//
// A bff_dedup fingerprint is the document's units and shingle hashes:
// uvarint unit count, then per unit uvarint start, length and hash count,
// then the hashes, 8 bytes little-endian each. Its verdict: uvarint
// contained, uvarint total, one byte empty (0/1), uvarint removed-window
// count, then per window uvarint start and length.

// Fingerprint implements filters.Deduper.
func (s *BFF) Fingerprint(d *filters.Doc, dst []byte) ([]byte, string, error) {
	z := s.pool.Get().(*Shingler)
	defer s.pool.Put(z)
	return appendShingles(dst, z.Shingle(d.Text)), "", nil
}

func appendShingles(dst []byte, sh *Shingles) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(sh.Units)))
	for _, u := range sh.Units {
		dst = binary.AppendUvarint(dst, uint64(u.Start))
		dst = binary.AppendUvarint(dst, uint64(u.End-u.Start))
		dst = binary.AppendUvarint(dst, uint64(u.Hi-u.Lo))
		for _, h := range sh.Hashes[u.Lo:u.Hi] {
			dst = binary.LittleEndian.AppendUint64(dst, h)
		}
	}
	return dst
}

// reader decodes uvarints and hashes, remembering the first error.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) uvarint() int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 || v > 1<<40 {
		r.err = fmt.Errorf("bad number at byte %d", r.off)
		return 0
	}
	r.off += n
	return int(v)
}

func (r *reader) u64() uint64 {
	if r.err != nil {
		return 0
	}
	if len(r.b)-r.off < 8 {
		r.err = fmt.Errorf("truncated hash at byte %d", r.off)
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b[r.off:])
	r.off += 8
	return v
}

func (r *reader) done() error {
	if r.err == nil && r.off != len(r.b) {
		r.err = fmt.Errorf("%d bytes left over at byte %d", len(r.b)-r.off, r.off)
	}
	return r.err
}

// readShingles decodes a fingerprint into sh (reused).
func readShingles(fp []byte, sh *Shingles) error {
	r := &reader{b: fp}
	sh.Units, sh.Hashes = sh.Units[:0], sh.Hashes[:0]
	n := r.uvarint()
	for i := 0; i < n && r.err == nil; i++ {
		start := r.uvarint()
		end := start + r.uvarint()
		k := r.uvarint()
		if r.err == nil && k > (len(fp)-r.off)/8 {
			r.err = fmt.Errorf("unit %d: %d hashes in %d bytes", i, k, len(fp)-r.off)
		}
		lo := len(sh.Hashes)
		for j := 0; j < k && r.err == nil; j++ {
			sh.Hashes = append(sh.Hashes, r.u64())
		}
		sh.Units = append(sh.Units, Unit{Start: start, End: end, Lo: lo, Hi: len(sh.Hashes)})
	}
	if err := r.done(); err != nil {
		return fmt.Errorf("bff fingerprint: %w", err)
	}
	return nil
}

func appendDecision(dst []byte, dc *Decision) []byte {
	dst = binary.AppendUvarint(dst, uint64(dc.Contained))
	dst = binary.AppendUvarint(dst, uint64(dc.Total))
	e := byte(0)
	if dc.Empty {
		e = 1
	}
	dst = append(dst, e)
	dst = binary.AppendUvarint(dst, uint64(len(dc.Removed)))
	for _, w := range dc.Removed {
		dst = binary.AppendUvarint(dst, uint64(w.Start))
		dst = binary.AppendUvarint(dst, uint64(w.End-w.Start))
	}
	return dst
}

func readDecision(v []byte, dc *Decision) error {
	r := &reader{b: v}
	*dc = Decision{Removed: dc.Removed[:0], Contained: r.uvarint(), Total: r.uvarint()}
	if r.err == nil && r.off < len(v) {
		dc.Empty = v[r.off] == 1
		r.off++
	} else if r.err == nil {
		r.err = errors.New("no empty flag")
	}
	n := r.uvarint()
	for i := 0; i < n && r.err == nil; i++ {
		start := r.uvarint()
		dc.Removed = append(dc.Removed, Span{start, start + r.uvarint()})
	}
	if err := r.done(); err != nil {
		return fmt.Errorf("bff verdict: %w", err)
	}
	return nil
}

// NewJudge implements filters.Deduper: an empty filter as planned.
func (s *BFF) NewJudge() (filters.Judge, error) {
	set, member, err := s.newSet()
	if err != nil {
		return nil, err
	}
	j := &bffJudge{dec: s.dec, set: set, member: member}
	if b, ok := set.(*Bloom); ok {
		j.lookup = NewLookup(b)
		j.member = j.lookup
	}
	return j, nil
}

// GroupSize implements filters.Deduper.
func (s *BFF) GroupSize() int { return s.p.GroupSize }

// PlanBytes implements filters.Deduper: the bloom filter's size (for the
// exact set, 16 bytes per expected n-gram as a rough guide).
func (s *BFF) PlanBytes() uint64 {
	if s.p.SeedFrom != "" {
		if fi, err := os.Stat(s.p.SeedFrom); err == nil {
			return uint64(fi.Size())
		}
	}
	if s.p.Set == "exact" {
		return 16 * uint64(s.p.ExpectedNgrams)
	}
	plan, _ := PlanBloom(uint64(s.p.ExpectedNgrams), s.p.FPRate)
	return plan.Bytes
}

// bffJudge decides documents one after the other, as DCLM's sequential pass.
type bffJudge struct {
	dec    Decider
	set    Set
	member Membership
	lookup *Lookup // member, for a bloom filter: positions computed and fetched ahead
	sh     Shingles
	dc     Decision
}

// Judge implements filters.Judge.
func (j *bffJudge) Judge(fp, dst []byte) ([]byte, error) {
	if err := readShingles(fp, &j.sh); err != nil {
		return dst, err
	}
	if j.lookup != nil {
		j.lookup.Load(j.sh.Hashes)
	}
	j.dec.Decide(&j.sh, j.member, &j.dc)
	return appendDecision(dst, &j.dc), nil
}

// Set returns the judge's membership set (for tests).
func (j *bffJudge) Set() Set { return j.set }

// WriteTo implements filters.Snapshotter: a snapshot of the bloom filter
// (the exact set has none).
func (j *bffJudge) WriteTo(w io.Writer) (int64, error) {
	b, ok := j.set.(*Bloom)
	if !ok {
		return 0, filters.ErrNoSnapshot
	}
	return b.WriteTo(w)
}

// Apply implements filters.Deduper: it applies the verdict as Modify does.
func (s *BFF) Apply(d *filters.Doc, verdict []byte) (string, error) {
	var dc Decision
	if err := readDecision(verdict, &dc); err != nil {
		return "", err
	}
	last := 0
	for _, w := range dc.Removed {
		if w.Start < last || w.Start > w.End || w.End > len(d.Text) {
			return "", fmt.Errorf("bff verdict: window [%d, %d) out of order or outside a text of %d bytes", w.Start, w.End, len(d.Text))
		}
		last = w.End
	}
	return s.apply(d, &dc), nil
}

// apply records dc on d (annotating, or removing what it says).
func (s *BFF) apply(d *filters.Doc, dc *Decision) string {
	if s.p.Annotate {
		spans := make([][2]int, len(dc.Removed))
		for i, w := range dc.Removed {
			spans[i] = [2]int{w.Start, w.End}
		}
		d.SetSignal(SignalSpans, spans)
		d.SetSignal(SignalContained, dc.Contained)
		d.SetSignal(SignalDocDuplicate, dc.Empty)
		return ""
	}
	d.SetSignal(SignalContainedBefore, dc.Contained)
	if out := dc.Apply(d.Text); out != d.Text {
		d.SetText(out)
	}
	if strings.TrimFunc(d.Text, unicode.IsSpace) == "" {
		return ReasonBFF
	}
	return ""
}

// An exact_dedup fingerprint is the 16-byte content key; its verdict one
// byte, 1 for a later copy.

// Fingerprint implements filters.Deduper.
func (e *exactStep) Fingerprint(d *filters.Doc, dst []byte) ([]byte, string, error) {
	k := ContentKey(e.kind, d.Text, d.URL)
	return append(dst, k[:]...), "", nil
}

// NewJudge implements filters.Deduper.
func (e *exactStep) NewJudge() (filters.Judge, error) {
	return &exactJudge{seen: map[Key]struct{}{}}, nil
}

// GroupSize implements filters.Deduper.
func (e *exactStep) GroupSize() int { return e.group }

// PlanBytes implements filters.Deduper: a key set grows with the documents
// (about 50 bytes each); nothing is reserved.
func (e *exactStep) PlanBytes() uint64 { return 0 }

// Apply implements filters.Deduper.
func (e *exactStep) Apply(_ *filters.Doc, verdict []byte) (string, error) {
	if len(verdict) != 1 || verdict[0] > 1 {
		return "", fmt.Errorf("exact_dedup verdict %x: want one byte 0 or 1", verdict)
	}
	if verdict[0] == 1 {
		return ReasonExact, nil
	}
	return "", nil
}

type exactJudge struct{ seen map[Key]struct{} }

// Judge implements filters.Judge.
func (j *exactJudge) Judge(fp, dst []byte) ([]byte, error) {
	var k Key
	if len(fp) != len(k) {
		return dst, fmt.Errorf("exact_dedup fingerprint of %d bytes, want %d", len(fp), len(k))
	}
	copy(k[:], fp)
	if _, dup := j.seen[k]; dup {
		return append(dst, 1), nil
	}
	j.seen[k] = struct{}{}
	return append(dst, 0), nil
}

// String describes the filter the step's judge allocates.
func (s *BFF) String() string {
	if s.p.Set == "exact" {
		return fmt.Sprintf("exact set, about %d bytes for %d n-grams", s.PlanBytes(), s.p.ExpectedNgrams)
	}
	plan, _ := PlanBloom(uint64(s.p.ExpectedNgrams), s.p.FPRate)
	return plan.String()
}

// String describes the step's judge.
func (e *exactStep) String() string {
	return fmt.Sprintf("exact set of %s keys, about 50 bytes per distinct document", e.kind)
}
