package extract

import (
	"fmt"
	"strings"
	"testing"

	"github.com/curator-dev/curator/filters"
)

func buildStep(t *testing.T, mod func(*Params)) filters.Modifier {
	t.Helper()
	e, ok := filters.Lookup("extract")
	if !ok {
		t.Fatal("extract is not registered")
	}
	p := e.Defaults().(Params)
	if mod != nil {
		mod(&p)
	}
	s, err := e.Build(p, filters.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return s.(filters.Modifier)
}

func TestStepRegistered(t *testing.T) {
	e, _ := filters.Lookup("extract")
	if e.Kind != filters.KindModifier {
		t.Errorf("kind %s", e.Kind)
	}
	params := map[string]any{}
	for _, p := range e.Params() {
		params[p.Name] = p.Default
	}
	for name, want := range map[string]any{
		"main_content": true, "list_bullets": true, "alt_texts": true, "links": false, "form_fields": false,
		"noscript": false, "preserve_formatting": true, "strict_utf8": false, "prefer_utf8": true,
		"comments": true, "min_text_chars": 0,
	} {
		if got, ok := params[name]; !ok || got != want {
			t.Errorf("parameter %s: default %v (present %v), want %v", name, got, ok, want)
		}
	}
	for _, s := range []string{SignalCharset, SignalCharsetSource} {
		if !strings.Contains(strings.Join(e.Writes, " "), s) {
			t.Errorf("Spec.Writes lacks %s", s)
		}
	}
	if _, err := e.Build(Params{MinTextChars: -1}, filters.Env{}); err == nil {
		t.Error("negative min_text_chars accepted")
	}
}

func TestStepModify(t *testing.T) {
	s := buildStep(t, nil)

	// A document that arrived as text is left alone.
	d := &filters.Doc{Text: "already text"}
	if r, err := s.Modify(d); r != "" || err != nil || d.Text != "already text" || d.Signals != nil {
		t.Errorf("text doc: %q %v %+v", r, err, d)
	}

	d = &filters.Doc{HTML: []byte("<p>caf\xe9</p>"), ContentType: "text/html; charset=iso-8859-1"}
	if r, err := s.Modify(d); r != "" || err != nil {
		t.Fatalf("html doc: %q %v", r, err)
	}
	if d.Text != "café" || d.HTML != nil {
		t.Errorf("html doc: text %q, html %q", d.Text, d.HTML)
	}
	if cs, _ := d.Signal(SignalCharset); cs != "windows-1252" {
		t.Errorf("charset signal %v", cs)
	}
	if src, _ := d.Signal(SignalCharsetSource); src != SourceHeader {
		t.Errorf("charset source signal %v", src)
	}

	d = &filters.Doc{HTML: []byte("<nav>menu</nav><script>x</script>")}
	if r, _ := s.Modify(d); r != ReasonEmpty || d.HTML != nil || d.Text != "" {
		t.Errorf("empty page: reason %q, text %q", r, d.Text)
	}

	strict := buildStep(t, func(p *Params) { p.StrictUTF8 = true })
	d = &filters.Doc{HTML: []byte("<p>caf\xe9</p>"), ContentType: "text/html; charset=iso-8859-1"}
	if r, _ := strict.Modify(d); r != ReasonInvalidUTF8 || d.HTML != nil {
		t.Errorf("strict: reason %q", r)
	}
	d = &filters.Doc{HTML: []byte("<p>café</p>")}
	if r, _ := strict.Modify(d); r != "" || d.Text != "café" {
		t.Errorf("strict valid: reason %q text %q", r, d.Text)
	}
	if src, _ := d.Signal(SignalCharsetSource); src != SourceStrict {
		t.Errorf("strict source %v", src)
	}

	short := buildStep(t, func(p *Params) { p.MinTextChars = 10 })
	d = &filters.Doc{HTML: []byte("<p>tiny</p>")}
	if r, _ := short.Modify(d); r != ReasonTooShort {
		t.Errorf("min_text_chars: reason %q", r)
	}

	// Parameters reach the extractor: main_content=false keeps the menu.
	all := buildStep(t, func(p *Params) { p.MainContent = false })
	d = &filters.Doc{HTML: []byte("<nav>menu</nav><p>body</p>")}
	if r, _ := all.Modify(d); r != "" || d.Text != "menu\n\nbody" {
		t.Errorf("main_content=false: %q %q", r, d.Text)
	}
}

// TestStepConcurrent runs one step from many goroutines (run with -race).
func TestStepConcurrent(t *testing.T) {
	s := buildStep(t, nil)
	ps := pages(t)
	want := make([]string, len(ps))
	for i, p := range ps {
		want[i], _, _ = Text(p.body, p.contentType, DefaultOptions())
	}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func() {
			for i, p := range ps {
				d := &filters.Doc{HTML: p.body, ContentType: p.contentType}
				if _, err := s.Modify(d); err != nil || d.Text != want[i] {
					done <- fmt.Errorf("%s: %v, text differs: %v", p.name, err, d.Text != want[i])
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
