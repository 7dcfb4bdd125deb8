package filters

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"sync"
)

// Spec describes a registered step for people and for the engine.
type Spec struct {
	// Name is the name recipes use (`use: NAME`).
	Name string
	// Kind says which interface the built step implements.
	Kind Kind
	// Doc is a short description (one paragraph, Markdown).
	Doc string
	// Reads names the signals the step reads (a parameter that names the
	// signal is written as <param>).
	Reads []string
	// Writes names the signals the step writes.
	Writes []string
}

// Env is what a step may know of its surroundings while it is built.
type Env struct {
	// Dir is the directory of the recipe file. Relative file names in
	// parameters are resolved against it.
	Dir string
	// Files, when set, maps file names as written in recipe parameters to
	// local copies (a worker that fetched a run's files from the object
	// store). A name it holds resolves to its copy.
	Files map[string]string
	// ParseOnly parses and checks a recipe and pins its files without
	// building its steps (RecipeStep.Step stays nil): enough to describe a
	// run (`curator submit`), not to run it, and it loads no model.
	ParseOnly bool
}

// Path resolves a file name given in a recipe parameter.
func (e Env) Path(name string) string {
	if p, ok := e.Files[name]; ok {
		return p
	}
	if name == "" || filepath.IsAbs(name) || e.Dir == "" {
		return name
	}
	return filepath.Join(e.Dir, name)
}

// Validator is implemented by parameter structs that check their values
// beyond what their types say.
type Validator interface {
	Validate() error
}

// Entry is a step in the registry.
type Entry struct {
	Spec
	defaults any // a P holding the defaults
	build    func(params any, env Env) (any, error)
}

var (
	regMu    sync.RWMutex
	registry = map[string]*Entry{}
)

// Register adds a step to the registry. P is the step's parameter struct:
// each field has a `yaml:"name"` tag and a `doc:"..."` tag, and defaults
// holds its default values. build turns checked parameters into a step that
// implements the interface of spec.Kind. Register panics on a duplicate name
// or a malformed parameter struct: both are programming errors found at
// start-up.
func Register[P any](spec Spec, defaults P, build func(p P, env Env) (any, error)) {
	if spec.Name == "" {
		panic("filters: Register with an empty name")
	}
	if err := checkParamStruct(reflect.TypeOf(defaults)); err != nil {
		panic(fmt.Sprintf("filters: step %s: %v", spec.Name, err))
	}
	e := &Entry{
		Spec:     spec,
		defaults: defaults,
		build: func(params any, env Env) (any, error) {
			return build(params.(P), env)
		},
	}
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[spec.Name]; dup {
		panic("filters: step registered twice: " + spec.Name)
	}
	registry[spec.Name] = e
}

// Lookup returns the registered step called name.
func Lookup(name string) (*Entry, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	e, ok := registry[name]
	return e, ok
}

// Entries returns every registered step, sorted by name.
func Entries() []*Entry {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]*Entry, 0, len(registry))
	for _, e := range registry {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the names of all registered steps, sorted.
func Names() []string {
	var names []string
	for _, e := range Entries() {
		names = append(names, e.Name)
	}
	return names
}

// Defaults returns a copy of the step's default parameters.
func (e *Entry) Defaults() any { return e.defaults }

// Build checks params (a value of the step's parameter type) and builds the step.
func (e *Entry) Build(params any, env Env) (any, error) {
	if reflect.TypeOf(params) != reflect.TypeOf(e.defaults) {
		return nil, fmt.Errorf("step %s: parameters of type %T, want %T", e.Name, params, e.defaults)
	}
	if v, ok := params.(Validator); ok {
		if err := v.Validate(); err != nil {
			return nil, fmt.Errorf("step %s: %w", e.Name, err)
		}
	}
	s, err := e.build(params, env)
	if err != nil {
		return nil, fmt.Errorf("step %s: %w", e.Name, err)
	}
	if err := checkKind(e.Kind, s); err != nil {
		return nil, fmt.Errorf("step %s: %w", e.Name, err)
	}
	return s, nil
}

func checkKind(k Kind, s any) error {
	var ok bool
	switch k {
	case KindFilter:
		_, ok = s.(Filter)
		if !ok {
			_, ok = s.(Ranker)
		}
	case KindModifier:
		_, ok = s.(Modifier)
	case KindAnnotator:
		_, ok = s.(Annotator)
	default:
		return fmt.Errorf("unknown kind %q", k)
	}
	if !ok {
		return fmt.Errorf("built %T, which is not a %s", s, k)
	}
	return nil
}

// Param describes one parameter of a step.
type Param struct {
	Name    string // the YAML key
	Type    string // a readable type name
	Default any    // the default value
	Doc     string // what it means
	// Decide is true for a decision parameter (tag `decide:"true"`): a
	// Decider decides again with a new value without measuring again.
	Decide bool
}

// Params describes the step's parameters in declaration order.
func (e *Entry) Params() []Param {
	v := reflect.ValueOf(e.defaults)
	t := v.Type()
	var out []Param
	for i := range t.NumField() {
		f := t.Field(i)
		out = append(out, Param{
			Name:    yamlName(f),
			Type:    typeName(f.Type),
			Default: v.Field(i).Interface(),
			Doc:     f.Tag.Get("doc"),
			Decide:  isDecisionField(f),
		})
	}
	return out
}

func checkParamStruct(t reflect.Type) error {
	if t == nil || t.Kind() != reflect.Struct {
		return fmt.Errorf("parameters must be a struct, have %v", t)
	}
	var seen []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			return fmt.Errorf("parameter field %s is not exported", f.Name)
		}
		n := yamlName(f)
		if n == "" || n == "-" {
			return fmt.Errorf("parameter field %s has no yaml name", f.Name)
		}
		if f.Tag.Get("doc") == "" {
			return fmt.Errorf("parameter %s has no doc tag", n)
		}
		if d := f.Tag.Get("decide"); d != "" && d != "true" {
			return fmt.Errorf("parameter %s: decide tag %q, want \"true\" or none", n, d)
		}
		if slices.Contains(seen, n) {
			return fmt.Errorf("parameter %s declared twice", n)
		}
		seen = append(seen, n)
	}
	return nil
}

func yamlName(f reflect.StructField) string {
	tag := f.Tag.Get("yaml")
	for i := 0; i < len(tag); i++ {
		if tag[i] == ',' {
			return tag[:i]
		}
	}
	return tag
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice:
		return "list of " + typeName(t.Elem())
	case reflect.Map:
		return "map of " + typeName(t.Key()) + " to " + typeName(t.Elem())
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "integer"
	}
	return t.Kind().String()
}

// BuildStep builds the step registered as name from code rather than from a
// recipe: its default parameters, changed by set (which may be nil). P must
// be the step's parameter type.
func BuildStep[P any](name string, set func(p *P), env Env) (any, error) {
	e, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown step %q", name)
	}
	p, ok := e.defaults.(P)
	if !ok {
		return nil, fmt.Errorf("step %s: parameters are %T, not %T", name, e.defaults, p)
	}
	if set != nil {
		set(&p)
	}
	return e.Build(p, env)
}
