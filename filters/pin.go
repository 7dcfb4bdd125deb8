package filters

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
)

// PinnedFile is a file a step reads (a model, a banlist), pinned by content:
// every worker of a run must read these bytes.
//
// A parameter names a file when its struct field has the tag `file:"true"`;
// a value that names no file on disk (a built-in list) is not pinned.
type PinnedFile struct {
	// Step is the step's id; Param the parameter's YAML key.
	Step  string `json:"step"`
	Param string `json:"param"`
	// Path is the file as the recipe names it; Resolved is the absolute path
	// it was read from on this machine.
	Path     string `json:"path"`
	Resolved string `json:"resolved"`
	// SHA256 is the hex SHA-256 of the file's bytes; Bytes its size.
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// pinFiles hashes the files named by the file parameters of params.
func pinFiles(step string, params any, env Env) ([]PinnedFile, error) {
	v := reflect.ValueOf(params)
	t := v.Type()
	var out []PinnedFile
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Tag.Get("file") != "true" || f.Type.Kind() != reflect.String {
			continue
		}
		name := v.Field(i).String()
		if name == "" {
			continue
		}
		path, err := filepath.Abs(env.Path(name))
		if err != nil {
			return nil, err
		}
		fi, err := os.Stat(path)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		sum, n, err := HashFile(path)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", yamlName(f), err)
		}
		out = append(out, PinnedFile{Step: step, Param: yamlName(f), Path: name, Resolved: path, SHA256: sum, Bytes: n})
	}
	return out, nil
}

// HashFile returns the hex SHA-256 and the size of the file at path.
func HashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
