package urlfilter

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/curator-dev/curator/filters"

	"github.com/curator-dev/curator/filters/text"
)

// The banlists DCLM ships with its code (mlfoundations/dclm,
// baselines/mappers/banlists, MIT licence).
//
// And the word lists datatrove ships (huggingface/datatrove,
// src/datatrove/assets, Apache-2.0), which url_filter reads.
//
//go:embed data/refinedweb_banned_words_strict_reverse_engineered.txt
//go:embed data/refinedweb_banned_words_hard_reverse_engineered.txt
//go:embed data/refinedweb_banned_words_soft_reverse_engineered.txt
//go:embed data/ldnoobw.txt
//go:embed data/datatrove_banned_words.txt
//go:embed data/datatrove_banned_subwords.txt
//go:embed data/datatrove_soft_banned_words.txt
var embedded embed.FS

// EmbeddedBanlists returns the file names that banlist_from_fname resolves
// to an embedded copy when no such file exists relative to the recipe.
func EmbeddedBanlists() []string {
	ents, _ := fs.ReadDir(embedded, "data")
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// EmbeddedBanlist returns the bytes of the built-in list name (one of
// EmbeddedBanlists): other steps read the same lists (c4_badwords,
// LDNOOBW).
func EmbeddedBanlist(name string) ([]byte, error) {
	return embedded.ReadFile("data/" + name)
}

// loadBanlist reads the banlist file name as DCLM does
// (`open(name).read().splitlines()`): one entry per line, empty lines kept as
// empty entries, nothing trimmed. A name that does not exist on disk
// (relative to the recipe) but whose base name is one of EmbeddedBanlists is
// read from the embedded copy.
func loadBanlist(name string, env filters.Env) ([]string, error) {
	if strings.HasSuffix(name, ".pkl") || strings.HasSuffix(name, ".pickle") {
		return nil, fmt.Errorf("banlist %s: pickled regular expressions are not supported; give the word list as a text file", name)
	}
	s, err := readListFile(name, env, true)
	if err != nil {
		return nil, err
	}
	return text.Splitlines(s), nil
}

// readListFile returns the text of the list file name: the file relative to
// the recipe, else (with embeddedFallback) the embedded copy of that base
// name. Invalid UTF-8 is an error naming the byte offset, as Python's
// strict decoding refuses it.
func readListFile(name string, env filters.Env, embeddedFallback bool) (string, error) {
	path := env.Path(name)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && embeddedFallback {
		base := filepath.Base(name)
		if slices.Contains(EmbeddedBanlists(), base) {
			data, err = embedded.ReadFile("data/" + base)
		} else {
			return "", fmt.Errorf("banlist %s: not found (looked at %s; embedded lists: %s)",
				name, path, strings.Join(EmbeddedBanlists(), ", "))
		}
	}
	if err != nil {
		return "", fmt.Errorf("banlist %s: %w", name, err)
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return "", fmt.Errorf("banlist %s at byte %d: invalid UTF-8", path, off)
	}
	return string(data), nil
}

// Strings is a list of strings that a recipe may also give as one string
// (`banlist: badword` is `banlist: [badword]`), as DCLM accepts both.
type Strings []string

// UnmarshalYAML accepts a scalar or a sequence of scalars.
func (s *Strings) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		if n.Tag == "!!null" {
			*s = nil
			return nil
		}
		*s = Strings{n.Value}
		return nil
	}
	var l []string
	if err := n.Decode(&l); err != nil {
		return err
	}
	*s = l
	return nil
}
