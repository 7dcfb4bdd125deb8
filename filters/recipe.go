package filters

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Recipe is an ordered list of configured steps, read from a YAML file:
//
//	name: dclm-baseline-heuristics
//	description: what it is for
//	steps:
//	  - use: page_length_filter
//	    id: page_length_filter        # optional, defaults to the step name
//	    with: {min_length: 50}         # optional, defaults otherwise
type Recipe struct {
	// Name names the recipe's output directory; letters, digits, '.', '_' and '-'.
	Name string
	// Description says what the recipe is for.
	Description string
	// Path is the file the recipe was read from.
	Path string
	// Hash is the hex SHA-256 of the recipe file's bytes, or, when the
	// recipe was loaded with overrides or its steps read files, of those
	// bytes followed by a line per override ("set <override>") and per file
	// ("file <step>.<param> <sha256>"): it pins everything the recipe does.
	Hash string
	// Set are the overrides applied to the file, in order.
	Set []Override
	// Files are the files the steps read (models, banlists), pinned by hash.
	Files []PinnedFile
	// Data is the recipe file's bytes, as read.
	Data []byte
	// Steps are the recipe's steps, built and ready to run.
	Steps []RecipeStep
}

// RecipeStep is one configured step of a recipe.
type RecipeStep struct {
	// ID names the step in stats and in removed documents; unique in a recipe.
	ID string
	// Use is the registered step name.
	Use string
	// Params is the step's parameter struct, defaults filled in.
	Params any
	// Step is the built step: a Filter, a Modifier or an Annotator.
	Step any
}

// CanonicalParams returns the step's parameters as canonical JSON: two steps
// with the same name and canonical parameters do the same thing.
func (s RecipeStep) CanonicalParams() json.RawMessage {
	b, err := json.Marshal(s.Params)
	if err != nil {
		// Parameter structs hold plain values; this cannot happen for a
		// registered step.
		panic(fmt.Sprintf("filters: step %s: parameters do not marshal: %v", s.Use, err))
	}
	return b
}

var recipeNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// LoadRecipe reads, checks and builds the recipe in the YAML file at path,
// with the overrides in set that name it or one of its steps.
func LoadRecipe(path string, set ...Override) (*Recipe, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("recipe: %w", err)
	}
	return ParseRecipe(path, data, set...)
}

type recipeFile struct {
	Name        string     `yaml:"name"`
	Description string     `yaml:"description"`
	Steps       []stepFile `yaml:"steps"`
}

type stepFile struct {
	Use  string    `yaml:"use"`
	ID   string    `yaml:"id"`
	With yaml.Node `yaml:"with"`
}

// ParseRecipe checks and builds the recipe held in data, read from path
// (path names the recipe in errors and anchors relative file names).
// Unknown keys, unknown steps and bad values are errors that name the file,
// the step and the key.
func ParseRecipe(path string, data []byte, set ...Override) (*Recipe, error) {
	return ParseRecipeIn(Env{Dir: filepath.Dir(path)}, path, data, set...)
}

// ParseRecipeIn is ParseRecipe with the environment the steps are built
// in: env.Files lets a worker build a recipe written elsewhere from local
// copies of its files.
func ParseRecipeIn(env Env, path string, data []byte, set ...Override) (*Recipe, error) {
	var rf recipeFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&rf); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("recipe %s: empty file", path)
		}
		return nil, fmt.Errorf("recipe %s: %w", path, err)
	}
	r := &Recipe{
		Name:        rf.Name,
		Description: strings.TrimSpace(rf.Description),
		Path:        path,
		Data:        data,
	}
	if r.Name == "" {
		r.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if !recipeNameRE.MatchString(r.Name) {
		return nil, fmt.Errorf("recipe %s: name %q: use letters, digits, '.', '_' and '-'", path, r.Name)
	}
	var err error
	if r.Set, err = applyOverrides(path, &rf, r.Name, set); err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for i, sf := range rf.Steps {
		where := fmt.Sprintf("recipe %s: step %d (%s)", path, i+1, sf.Use)
		if sf.Use == "" {
			return nil, fmt.Errorf("recipe %s: step %d: missing `use`", path, i+1)
		}
		e, ok := Lookup(sf.Use)
		if !ok {
			return nil, fmt.Errorf("%s: unknown step %q; `curator steps` lists them", where, sf.Use)
		}
		id := sf.ID
		if id == "" {
			id = sf.Use
		}
		if !recipeNameRE.MatchString(id) {
			// Ids name files too (a dedup step's saved filter).
			return nil, fmt.Errorf("%s: id %q: use letters, digits, '.', '_' and '-'", where, id)
		}
		if j, dup := seen[id]; dup {
			return nil, fmt.Errorf("%s: id %q is already used by step %d; give this step its own `id`", where, id, j)
		}
		seen[id] = i + 1
		params, err := decodeParams(e, &sf.With)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		var step any
		if !env.ParseOnly {
			if step, err = e.Build(params, env); err != nil {
				return nil, fmt.Errorf("recipe %s: step %d: %w", path, i+1, err)
			}
		}
		r.Steps = append(r.Steps, RecipeStep{ID: id, Use: sf.Use, Params: params, Step: step})
		files, err := pinFiles(id, params, env)
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		r.Files = append(r.Files, files...)
	}
	r.Hash = recipeHash(data, r.Set, r.Files)
	return r, nil
}

// recipeHash is Recipe.Hash.
func recipeHash(data []byte, set []Override, files []PinnedFile) string {
	h := sha256.New()
	h.Write(data)
	if len(set) > 0 || len(files) > 0 {
		h.Write([]byte("\n"))
		for _, o := range set {
			fmt.Fprintf(h, "set %s\n", o)
		}
		for _, f := range files {
			fmt.Fprintf(h, "file %s.%s %s\n", f.Step, f.Param, f.SHA256)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// decodeParams fills a copy of the entry's defaults from a `with` mapping.
func decodeParams(e *Entry, with *yaml.Node) (any, error) {
	t := reflect.TypeOf(e.defaults)
	pv := reflect.New(t)
	pv.Elem().Set(reflect.ValueOf(e.defaults))
	if with.Kind == 0 || (with.Kind == yaml.ScalarNode && with.Tag == "!!null") {
		return pv.Elem().Interface(), nil
	}
	if with.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: `with` must be a mapping of parameters", with.Line)
	}
	fields := map[string]int{}
	var names []string
	for i := range t.NumField() {
		n := yamlName(t.Field(i))
		fields[n] = i
		names = append(names, n)
	}
	for i := 0; i+1 < len(with.Content); i += 2 {
		k, v := with.Content[i], with.Content[i+1]
		fi, ok := fields[k.Value]
		if !ok {
			return nil, fmt.Errorf("line %d: unknown parameter %q (known: %s)", k.Line, k.Value, strings.Join(names, ", "))
		}
		f := pv.Elem().Field(fi)
		// Start from the zero value so that a default map or slice is
		// replaced, not merged into (and never mutated).
		f.Set(reflect.Zero(f.Type()))
		if err := v.Decode(f.Addr().Interface()); err != nil {
			return nil, fmt.Errorf("parameter %q (line %d): %w", k.Value, v.Line, err)
		}
	}
	return pv.Elem().Interface(), nil
}

// Run applies the recipe's steps to d in order, stopping at the first that
// removes it. It is the one-recipe path of Tree.Process, handy in tests.
func (r *Recipe) Run(d *Doc) Outcome {
	for i, s := range r.Steps {
		if _, ok := s.Step.(Ranker); ok {
			return Outcome{StepID: s.ID, Reason: ReasonError, Err: &StageError{Node: i, DocID: d.ID}}
		}
		res := apply(s.Step, d)
		if res.err != nil {
			return Outcome{StepID: s.ID, Reason: ReasonError, Err: res.err}
		}
		if res.reason != "" {
			return Outcome{StepID: s.ID, Reason: res.reason}
		}
	}
	return Outcome{Kept: true}
}

// Close releases what the recipe's steps hold.
func (r *Recipe) Close() error {
	var errs []error
	for _, s := range r.Steps {
		if c, ok := s.Step.(Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

// StepIDs returns the ids of the recipe's steps in order.
func (r *Recipe) StepIDs() []string {
	ids := make([]string, len(r.Steps))
	for i, s := range r.Steps {
		ids[i] = s.ID
	}
	return slices.Clip(ids)
}
