package main

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/curator-dev/curator/curator/coordinator"
	"github.com/curator-dev/curator/filters/tokens"
	"github.com/curator-dev/curator/internal/atomicfile"
	"github.com/curator-dev/curator/internal/jsonlzst"
	"github.com/curator-dev/curator/workers/shard"
)

// ExportManifest is the manifest.json of `curator export`: what training
// loaders read to find the shards.
type ExportManifest struct {
	// Format is 1.
	Format int    `json:"format"`
	RunID  string `json:"run_id"`
	Recipe string `json:"recipe"`
	// RecipeHash and RunFileSHA256 trace the export to what produced it.
	RecipeHash    string `json:"recipe_hash"`
	RunFileSHA256 string `json:"run_file_sha256"`
	Tokenizer     string `json:"tokenizer"`
	// Seed orders the documents (a seeded hash of their ids).
	Seed uint64 `json:"seed"`
	// BudgetTokens is the --tokens budget (0: every kept document).
	BudgetTokens int64 `json:"budget_tokens,omitempty"`
	// Documents and Tokens sum the shards'.
	Documents int64         `json:"documents"`
	Tokens    int64         `json:"tokens"`
	Shards    []ExportShard `json:"shards"`
}

// ExportShard is one shard of an export.
type ExportShard struct {
	File      string `json:"file"`
	Documents int64  `json:"documents"`
	Tokens    int64  `json:"tokens"`
	Bytes     int64  `json:"bytes"`
	SHA256    string `json:"sha256"`
	// TokenFile and IndexFile, with --tokenize: the token ids (uint16
	// little-endian) and the document boundaries (uint64 little-endian
	// offsets, in tokens, documents+1 of them).
	TokenFile   string `json:"token_file,omitempty"`
	TokenSHA256 string `json:"token_sha256,omitempty"`
	IndexFile   string `json:"index_file,omitempty"`
	IndexSHA256 string `json:"index_sha256,omitempty"`
}

// exportDoc is a kept document on its way to a shard.
type exportDoc struct {
	line   []byte
	id     string
	key    uint64
	tokens int64
}

// cmdExport is `curator export RUN_DIR --recipe NAME --shards N --output DIR`.
func cmdExport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("curator export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: curator export --recipe NAME --shards N --output DIR [flags] RUN_DIR")
		fmt.Fprintln(stderr, "Writes a recipe's kept documents as N jsonl.zst shards of equal token counts, globally shuffled")
		fmt.Fprintln(stderr, "with a seed, with a manifest (files, documents, tokens, checksums) for training loaders.")
		fs.PrintDefaults()
	}
	recipe := fs.String("recipe", "", "the recipe whose kept documents to export")
	shards := fs.Int("shards", 1, "number of shards")
	output := fs.String("output", "", "output `dir`ectory (created; must be empty)")
	seed := fs.Uint64("seed", 0, "shuffle seed")
	budget := fs.Int64("tokens", 0, "export a deterministic sample of at least this many tokens (whole documents; 0: every kept document)")
	tokenize := fs.Bool("tokenize", false, "also write each shard's GPT-2 r50k token ids (uint16) and document boundaries")
	dirs, err := parseMixed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(dirs) != 1:
		return fmt.Errorf("%w: export needs one RUN_DIR", errUsage)
	case *recipe == "" || *output == "":
		return fmt.Errorf("%w: export needs --recipe and --output", errUsage)
	case *shards < 1:
		return fmt.Errorf("%w: --shards must be at least 1", errUsage)
	case *budget < 0:
		return fmt.Errorf("%w: --tokens must not be negative", errUsage)
	}
	m, err := export(dirs[0], *recipe, *output, *shards, *seed, *budget, *tokenize)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported %d documents, %d %s tokens of recipe %s in %d shards to %s\n",
		m.Documents, m.Tokens, m.Tokenizer, m.Recipe, len(m.Shards), *output)
	return nil
}

// export writes the export and returns its manifest.
func export(dir, recipe, output string, n int, seed uint64, budget int64, tokenize bool) (*ExportManifest, error) {
	rr, err := readRun(dir)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	i := slices.IndexFunc(rr.Recipes, func(r coordinator.RecipeRecord) bool { return r.Name == recipe })
	switch {
	case i < 0:
		return nil, fmt.Errorf("export: run %s has no recipe %q", dir, recipe)
	case rr.Status != "ok":
		return nil, fmt.Errorf("export: run %s ended %s, not ok", dir, rr.Status)
	case rr.Annotated:
		return nil, fmt.Errorf("export: run %s was annotated (every document kept): select from it first", dir)
	}
	if entries, err := os.ReadDir(output); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("export: %s is not empty", output)
	}
	if err := os.MkdirAll(output, 0o755); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	enc, err := tokens.R50k()
	if err != nil {
		return nil, err
	}
	if tokenize && enc.VocabSize() > 1<<16 {
		return nil, fmt.Errorf("export: --tokenize writes uint16 ids, and %s has %d", enc.Name(), enc.VocabSize())
	}
	runFile, err := os.ReadFile(filepath.Join(dir, coordinator.RunFile))
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	sum := sha256.Sum256(runFile)
	m := &ExportManifest{Format: 1, RunID: rr.RunID, Recipe: recipe, RecipeHash: rr.Recipes[i].Hash,
		RunFileSHA256: hex.EncodeToString(sum[:]), Tokenizer: enc.Name(), Seed: seed, BudgetTokens: budget}

	var docs []exportDoc
	if err := readKeptLines(dir, recipe, func(line []byte, d *keptDoc) error {
		docs = append(docs, exportDoc{line: slices.Clone(line), id: d.ID, key: shuffleKey(seed, d.ID), tokens: int64(enc.Count(d.Text))})
		return nil
	}); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	// The global shuffle: by a seeded hash of the id, ties by id.
	slices.SortFunc(docs, func(a, b exportDoc) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.id, b.id))
	})
	if budget > 0 {
		var total int64
		for k, d := range docs {
			if total >= budget {
				docs = docs[:k]
				break
			}
			total += d.tokens
		}
	}
	// Each document, in shuffled order, goes to the shard with the fewest
	// tokens so far (the lowest index on ties): the shards' token counts
	// differ by at most one document's.
	parts := make([][]exportDoc, n)
	load := make([]int64, n)
	for _, d := range docs {
		k := 0
		for j := range load {
			if load[j] < load[k] {
				k = j
			}
		}
		parts[k] = append(parts[k], d)
		load[k] += d.tokens
	}
	for k, part := range parts {
		s, err := writeExportShard(output, k, part, enc, tokenize)
		if err != nil {
			return nil, err
		}
		m.Shards = append(m.Shards, *s)
		m.Documents += s.Documents
		m.Tokens += s.Tokens
	}
	if err := coordinator.WriteJSON(filepath.Join(output, "manifest.json"), m); err != nil {
		return nil, err
	}
	return m, nil
}

// shuffleKey is the seeded hash that orders documents.
func shuffleKey(seed uint64, id string) uint64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	h.Write(b[:])
	h.Write([]byte(id))
	// splitmix64's finalizer spreads FNV's bits.
	z := h.Sum64()
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// writeExportShard writes one shard (and its token files).
func writeExportShard(dir string, k int, docs []exportDoc, enc *tokens.Encoder, tokenize bool) (*ExportShard, error) {
	name := fmt.Sprintf("shard-%05d.jsonl.zst", k)
	w, err := shard.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	s := &ExportShard{File: name}
	var ids []uint16
	offsets := []uint64{0}
	for _, d := range docs {
		if err := w.WriteLine(d.line); err != nil {
			_ = w.Abort()
			return nil, fmt.Errorf("export: %w", err)
		}
		s.Documents++
		s.Tokens += d.tokens
		if tokenize {
			var text struct {
				Text string `json:"text"`
			}
			if err := json.Unmarshal(d.line, &text); err != nil {
				_ = w.Abort()
				return nil, fmt.Errorf("export: document %s: %w", d.id, err)
			}
			for _, t := range enc.Encode(text.Text, nil) {
				ids = append(ids, uint16(t))
			}
			offsets = append(offsets, uint64(len(ids)))
		}
	}
	if err := w.Commit(); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	info := w.Info()
	s.Bytes, s.SHA256 = info.Bytes, info.SHA256
	if tokenize {
		base := fmt.Sprintf("shard-%05d", k)
		var err error
		if s.TokenFile, s.TokenSHA256, err = writeLE(dir, base+".tokens.u16", ids); err != nil {
			return nil, err
		}
		if s.IndexFile, s.IndexSHA256, err = writeLE(dir, base+".index.u64", offsets); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// writeLE writes v little-endian to dir/name atomically and returns the
// name and its hex SHA-256.
func writeLE[T uint16 | uint64](dir, name string, v []T) (string, string, error) {
	var buf bytes.Buffer
	if err := binary.Write(&buf, binary.LittleEndian, v); err != nil {
		return "", "", fmt.Errorf("export: %s: %w", name, err)
	}
	if err := atomicfile.Write(filepath.Join(dir, name), func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return "", "", fmt.Errorf("export: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return name, hex.EncodeToString(sum[:]), nil
}

// readKeptLines reads a recipe's kept documents in file-name order, each
// line as written and decoded.
func readKeptLines(dir, recipe string, fn func(line []byte, d *keptDoc) error) error {
	files, err := filepath.Glob(filepath.Join(dir, recipe, "data", "*.jsonl.zst"))
	if err != nil {
		return err
	}
	slices.Sort(files)
	for _, f := range files {
		if err := jsonlzst.EachLine(f, func(b []byte) error {
			b = bytes.TrimRight(b, "\r\n")
			var d keptDoc
			if err := json.Unmarshal(b, &d); err != nil {
				return err
			}
			return fn(b, &d)
		}); err != nil {
			return err
		}
	}
	return nil
}
