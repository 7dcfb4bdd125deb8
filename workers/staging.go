package workers

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/curator-dev/curator/filters"
	pb "github.com/curator-dev/curator/proto"
	"github.com/curator-dev/curator/workers/shard"
	"github.com/klauspost/compress/zstd"
)

// StagingDir, below the run's output directory, holds the documents tasks
// staged at keep_top and dedup nodes until the whole run has been through
// them: .staging/node-NNN/task-NNNNNN.jsonl.zst and, beside it, .scores
// (keep_top) or .prints (dedup fingerprints), then .verdicts (the run's
// dedup verdicts).
const StagingDir = ".staging"

// StagedNames are the files, relative to the output directory, where task
// stages its documents and their scores (keep_top) at node.
func StagedNames(node int, task int64) (docs, scores string) {
	base := stagedBase(node, task)
	return base + ".jsonl.zst", base + ".scores"
}

// PrintsName and VerdictsName are the files, relative to the output
// directory, of the fingerprints a task staged at a dedup node and of the
// run's verdicts on them.
func PrintsName(node int, task int64) string   { return stagedBase(node, task) + ".prints" }
func VerdictsName(node int, task int64) string { return stagedBase(node, task) + ".verdicts" }

func stagedBase(node int, task int64) string {
	return filepath.ToSlash(filepath.Join(StagingDir, fmt.Sprintf("node-%03d", node), fmt.Sprintf("task-%06d", task)))
}

// stagedLine is one staged document: everything a Doc carries but its memo.
type stagedLine struct {
	ID          string          `json:"id"`
	URL         string          `json:"url"`
	Text        string          `json:"text"`
	HTML        []byte          `json:"html,omitempty"`
	ContentType string          `json:"content_type,omitempty"`
	Metadata    json.RawMessage `json:"metadata,omitempty"`
	Signals     []signal        `json:"signals"`
	Source      filters.Source  `json:"source"`
	Score       float64         `json:"score"`
	// Trace is what an annotating tree recorded so far.
	Trace []filters.TraceEntry `json:"trace,omitempty"`
}

// signal is a signal with its Go type, so that a staged document comes back
// with the same values (an int stays an int): [name, type, value].
type signal struct {
	Name, Type string
	Value      json.RawMessage
}

// Signal types in staged documents; "json" is any other value.
const (
	sigInt     = "int"
	sigInt64   = "int64"
	sigFloat64 = "float64"
	sigFloat32 = "float32"
	sigString  = "string"
	sigBool    = "bool"
	sigJSON    = "json"
)

func (s signal) MarshalJSON() ([]byte, error) {
	return json.Marshal([]any{s.Name, s.Type, s.Value})
}

func (s *signal) UnmarshalJSON(b []byte) error {
	var a []json.RawMessage
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	if len(a) != 3 {
		return fmt.Errorf("signal of %d elements, want [name, type, value]", len(a))
	}
	if err := json.Unmarshal(a[0], &s.Name); err != nil {
		return fmt.Errorf("signal name: %w", err)
	}
	if err := json.Unmarshal(a[1], &s.Type); err != nil {
		return fmt.Errorf("signal %s: type: %w", s.Name, err)
	}
	s.Value = a[2]
	return nil
}

// encodeSignals turns a document's signals into typed, name-sorted pairs.
// A float that JSON cannot hold (NaN, ±Inf) is kept by its bits.
func encodeSignals(m map[string]any) ([]signal, error) {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	out := make([]signal, 0, len(m))
	for _, k := range names {
		v := m[k]
		typ := sigJSON
		switch x := v.(type) {
		case int:
			typ = sigInt
		case int64:
			typ = sigInt64
		case float64:
			typ = sigFloat64
			if math.IsNaN(x) || math.IsInf(x, 0) {
				v = fmt.Sprintf("bits:%x", math.Float64bits(x))
			}
		case float32:
			typ = sigFloat32
			if f := float64(x); math.IsNaN(f) || math.IsInf(f, 0) {
				v = fmt.Sprintf("bits:%x", math.Float64bits(f))
			}
		case string:
			typ = sigString
		case bool:
			typ = sigBool
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("signal %s: %w", k, err)
		}
		out = append(out, signal{k, typ, b})
	}
	return out, nil
}

// decodeSignals is the inverse of encodeSignals.
func decodeSignals(sigs []signal) (map[string]any, error) {
	if len(sigs) == 0 {
		return nil, nil
	}
	m := make(map[string]any, len(sigs))
	for _, s := range sigs {
		var v any
		var err error
		switch s.Type {
		case sigInt:
			v, err = decodeAs[int](s.Value)
		case sigInt64:
			v, err = decodeAs[int64](s.Value)
		case sigFloat64, sigFloat32:
			var f float64
			if bytes.HasPrefix(s.Value, []byte(`"bits:`)) {
				var str string
				var bits uint64
				if err = json.Unmarshal(s.Value, &str); err == nil {
					_, err = fmt.Sscanf(str, "bits:%x", &bits)
				}
				f = math.Float64frombits(bits)
			} else {
				err = json.Unmarshal(s.Value, &f)
			}
			v = f
			if s.Type == sigFloat32 {
				v = float32(f)
			}
		case sigString:
			v, err = decodeAs[string](s.Value)
		case sigBool:
			v, err = decodeAs[bool](s.Value)
		case sigJSON:
			err = json.Unmarshal(s.Value, &v)
		default:
			err = fmt.Errorf("unknown type %q", s.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("signal %s: %w", s.Name, err)
		}
		m[s.Name] = v
	}
	return m, nil
}

// decodeAs decodes a JSON value as a T.
func decodeAs[T any](b json.RawMessage) (any, error) {
	var x T
	err := json.Unmarshal(b, &x)
	return x, err
}

// stageFiles are the two files a task writes for one keep_top node (the
// documents and their scores) or dedup node (the documents and their
// fingerprints).
type stageFiles struct {
	node   int
	dedup  bool
	docs   *shard.Writer
	scores *shard.Writer // or the fingerprints
	rel    [2]string
	n      int64
}

// stager writes the documents a task stages, per node.
type stager struct {
	dir   string
	task  int64
	files map[int]*stageFiles
	buf   bytes.Buffer
	enc   *json.Encoder
}

func newStager(dir string, task int64) *stager {
	s := &stager{dir: dir, task: task, files: map[int]*stageFiles{}}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	return s
}

// stage writes one document and its score (keep_top), or its fingerprint
// (dedup: fp not nil).
func (s *stager) stage(node int, d *filters.Doc, score float64, fp []byte) error {
	f := s.files[node]
	if f == nil {
		docs, scores := StagedNames(node, s.task)
		if fp != nil {
			scores = PrintsName(node, s.task)
		}
		f = &stageFiles{node: node, dedup: fp != nil, rel: [2]string{docs, scores}}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(s.dir, docs)), 0o755); err != nil {
			return fmt.Errorf("staging: %w", err)
		}
		var err error
		if f.docs, err = shard.Create(filepath.Join(s.dir, docs)); err != nil {
			return fmt.Errorf("staging: %w", err)
		}
		if f.scores, err = shard.Create(filepath.Join(s.dir, scores)); err != nil {
			_ = f.docs.Abort()
			return fmt.Errorf("staging: %w", err)
		}
		s.files[node] = f
	}
	sigs, err := encodeSignals(d.Signals)
	if err != nil {
		return fmt.Errorf("staging document %s: %w", d.ID, err)
	}
	l := stagedLine{ID: d.ID, URL: d.URL, Text: d.Text, HTML: d.HTML, ContentType: d.ContentType,
		Metadata: d.Metadata, Signals: sigs, Source: d.Source, Score: score, Trace: d.Trace}
	s.buf.Reset()
	if err := s.enc.Encode(&l); err != nil {
		return fmt.Errorf("staging document %s: %w", d.ID, err)
	}
	if err := f.docs.WriteLine(bytes.TrimSuffix(s.buf.Bytes(), []byte("\n"))); err != nil {
		return fmt.Errorf("staging: %w", err)
	}
	if f.dedup != (fp != nil) {
		return fmt.Errorf("staging document %s at node %d: a score and a fingerprint at one node", d.ID, node)
	}
	if f.dedup {
		err = writeRecord(f.scores, fp)
	} else {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(score))
		_, err = f.scores.Write(b[:])
	}
	if err != nil {
		return fmt.Errorf("staging: %w", err)
	}
	f.n++
	return nil
}

// commit makes the staged files durable and describes them, by node.
func (s *stager) commit() ([]*pb.Staged, error) {
	nodes := make([]int, 0, len(s.files))
	for n := range s.files {
		nodes = append(nodes, n)
	}
	slices.Sort(nodes)
	var out []*pb.Staged
	for _, n := range nodes {
		f := s.files[n]
		if err := f.docs.Commit(); err != nil {
			s.abort()
			return nil, fmt.Errorf("staging: %w", err)
		}
		if err := f.scores.Commit(); err != nil {
			s.abort()
			return nil, fmt.Errorf("staging: %w", err)
		}
		st := &pb.Staged{Version: pb.Version, Node: int32(n), Docs: f.n, Path: f.rel[0], Sha256: f.docs.Info().SHA256}
		if f.dedup {
			st.Prints, st.PrintsSha256 = f.rel[1], f.scores.Info().SHA256
		} else {
			st.Scores, st.ScoresSha256 = f.rel[1], f.scores.Info().SHA256
		}
		out = append(out, st)
	}
	return out, nil
}

func (s *stager) abort() {
	for _, f := range s.files {
		_ = f.docs.Abort()
		_ = f.scores.Abort()
	}
}

// stagedReader reads back a staged file, checking its SHA-256 at the end.
type stagedReader struct {
	path string
	f    *os.File
	hash hash.Hash
	dec  *zstd.Decoder
	br   *bufio.Reader
	want string
	line int
}

func openStaged(path, sha string) (*stagedReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("staged %s: %w", path, err)
	}
	r := &stagedReader{path: path, f: f, hash: sha256.New(), want: sha}
	r.dec, err = zstd.NewReader(io.TeeReader(f, r.hash), zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("staged %s: %w", path, err)
	}
	r.br = bufio.NewReaderSize(r.dec, 1<<16)
	return r, nil
}

// next returns the next staged document and its score, or io.EOF.
func (r *stagedReader) next() (*filters.Doc, float64, error) {
	b, err := r.br.ReadBytes('\n')
	if err == io.EOF && len(b) == 0 {
		// Drain what the decoder did not need, so the hash covers the file.
		if _, err := io.Copy(io.Discard, r.f); err != nil {
			return nil, 0, fmt.Errorf("staged %s: %w", r.path, err)
		}
		if got := hex.EncodeToString(r.hash.Sum(nil)); r.want != "" && got != r.want {
			return nil, 0, fmt.Errorf("staged %s: sha256 %s, want %s (changed since it was written)", r.path, got, r.want)
		}
		return nil, 0, io.EOF
	}
	r.line++
	if err != nil && err != io.EOF {
		return nil, 0, fmt.Errorf("staged %s: line %d: %w", r.path, r.line, err)
	}
	if err == io.EOF {
		return nil, 0, fmt.Errorf("staged %s: line %d: no newline at the end (truncated)", r.path, r.line)
	}
	var l stagedLine
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, 0, fmt.Errorf("staged %s: line %d: %w", r.path, r.line, err)
	}
	sigs, err := decodeSignals(l.Signals)
	if err != nil {
		return nil, 0, fmt.Errorf("staged %s: line %d: %w", r.path, r.line, err)
	}
	d := &filters.Doc{ID: l.ID, URL: l.URL, Text: l.Text, HTML: l.HTML, ContentType: l.ContentType,
		Metadata: l.Metadata, Signals: sigs, Source: l.Source, Trace: l.Trace}
	return d, l.Score, nil
}

func (r *stagedReader) close() {
	r.dec.Close()
	r.f.Close()
}
