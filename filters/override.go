package filters

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// Override changes one step parameter of a recipe as it is loaded, the way
// `curator run --set STEP.PARAM=VALUE` does: a model path on this machine,
// keep_top instead of a threshold. The recipe's hash covers its overrides. A
// relative file name given to a file parameter is relative to the working
// directory (a recipe's own file names are relative to the recipe).
type Override struct {
	// Recipe limits the override to the recipe of that name ("" for all).
	Recipe string
	// Step is the step's id in the recipe.
	Step string
	// Param is the parameter's YAML key.
	Param string
	// Value is the new value, in YAML ("0.1", "path/to/model.bin", "[a, b]").
	Value string
}

// ParseOverride reads "[RECIPE:]STEP.PARAM=VALUE".
func ParseOverride(s string) (Override, error) {
	key, val, ok := strings.Cut(s, "=")
	if !ok {
		return Override{}, fmt.Errorf("--set %q: want [RECIPE:]STEP.PARAM=VALUE", s)
	}
	var o Override
	if r, rest, ok := strings.Cut(key, ":"); ok {
		o.Recipe, key = r, rest
	}
	i := strings.LastIndexByte(key, '.')
	if i <= 0 || i == len(key)-1 {
		return Override{}, fmt.Errorf("--set %q: want [RECIPE:]STEP.PARAM=VALUE", s)
	}
	o.Step, o.Param, o.Value = key[:i], key[i+1:], val
	return o, nil
}

// String returns the override as ParseOverride reads it.
func (o Override) String() string {
	s := o.Step + "." + o.Param + "=" + o.Value
	if o.Recipe != "" {
		s = o.Recipe + ":" + s
	}
	return s
}

// applyOverrides sets the overridden parameters in a parsed recipe file.
// It returns the overrides that applied.
func applyOverrides(path string, rf *recipeFile, name string, set []Override) ([]Override, error) {
	var used []Override
	for _, o := range set {
		if o.Recipe != "" && o.Recipe != name {
			continue
		}
		var sf *stepFile
		for i := range rf.Steps {
			id := rf.Steps[i].ID
			if id == "" {
				id = rf.Steps[i].Use
			}
			if id == o.Step {
				sf = &rf.Steps[i]
				break
			}
		}
		if sf == nil {
			if o.Recipe == "" {
				continue // another recipe of the run may have the step
			}
			return nil, fmt.Errorf("recipe %s: --set %s: no step with id %q", path, o, o.Step)
		}
		var v yaml.Node
		if err := yaml.Unmarshal([]byte(o.Value), &v); err != nil {
			return nil, fmt.Errorf("recipe %s: --set %s: %w", path, o, err)
		}
		val := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: ""}
		if v.Kind == yaml.DocumentNode && len(v.Content) == 1 {
			val = v.Content[0]
		}
		// A file named on the command line is relative to the working
		// directory, not to the recipe.
		if isFileParam(sf.Use, o.Param) && val.Kind == yaml.ScalarNode && val.Value != "" && !filepath.IsAbs(val.Value) {
			abs, err := filepath.Abs(val.Value)
			if err != nil {
				return nil, fmt.Errorf("recipe %s: --set %s: %w", path, o, err)
			}
			val = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: abs}
		}
		if sf.With.Kind == 0 || (sf.With.Kind == yaml.ScalarNode && sf.With.Tag == "!!null") {
			sf.With = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		}
		if sf.With.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("recipe %s: --set %s: the step's `with` is not a mapping", path, o)
		}
		replaced := false
		for i := 0; i+1 < len(sf.With.Content); i += 2 {
			if sf.With.Content[i].Value == o.Param {
				sf.With.Content[i+1] = val
				replaced = true
			}
		}
		if !replaced {
			sf.With.Content = append(sf.With.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: o.Param}, val)
		}
		used = append(used, o)
	}
	return used, nil
}

// isFileParam reports whether param of the registered step use names a file.
func isFileParam(use, param string) bool {
	e, ok := Lookup(use)
	if !ok {
		return false
	}
	t := reflect.TypeOf(e.defaults)
	for i := range t.NumField() {
		if f := t.Field(i); yamlName(f) == param {
			return f.Tag.Get("file") == "true"
		}
	}
	return false
}
