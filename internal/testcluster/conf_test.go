package testcluster

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/conf"
)

// parseConf parses a generated configuration with nats-server's own parser.
func parseConf(t *testing.T, text string) map[string]any {
	t.Helper()
	m, err := conf.Parse(text)
	if err != nil {
		t.Fatalf("nats-server cannot parse the configuration: %v\n%s", err, text)
	}
	return m
}

func TestRenderCluster(t *testing.T) {
	cfg := ServerConfig{Name: "n2", Port: 20001, MonitorPort: 20002, StoreDir: `/tmp/a "b"\c`}.withDefaults()
	m := parseConf(t, cfg.render(&clusterConf{name: "c1", port: 20003, routes: []int{20004, 20005}}))
	want := map[string]any{
		"server_name": "n2",
		"listen":      "127.0.0.1:20001",
		"http":        "127.0.0.1:20002",
		"jetstream": map[string]any{
			"store_dir": `/tmp/a "b"\c`,
			"max_mem":   int64(DefaultMaxMem),
			"max_file":  int64(DefaultMaxFile),
		},
		"cluster": map[string]any{
			"name":   "c1",
			"listen": "127.0.0.1:20003",
			"routes": []any{"nats-route://127.0.0.1:20004", "nats-route://127.0.0.1:20005"},
		},
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("parsed configuration:\n%#v\nwant\n%#v", m, want)
	}
}

func TestRenderAuth(t *testing.T) {
	cfg := ServerConfig{
		Port: 1, MonitorPort: 2, StoreDir: "/s",
		Users: []User{
			{Name: "admin", Password: "$2a$11$notavariable"},
			{Name: "reader", Password: "p w\"d", Permissions: &Permissions{
				Publish:   SubjectPermission{Deny: []string{">"}},
				Subscribe: SubjectPermission{Allow: []string{"out.>", "_INBOX.>"}},
			}},
		},
		Debug: true,
		Extra: "max_payload: 8MB",
	}.withDefaults()
	m := parseConf(t, cfg.render(nil))
	if _, ok := m["cluster"]; ok {
		t.Error("a cluster block in a single server's configuration")
	}
	if m["debug"] != true || m["max_payload"] != int64(8<<20) {
		t.Errorf("debug %v, max_payload %v", m["debug"], m["max_payload"])
	}
	auth, _ := m["authorization"].(map[string]any)
	want := []any{
		map[string]any{"user": "admin", "password": "$2a$11$notavariable"},
		map[string]any{"user": "reader", "password": "p w\"d", "permissions": map[string]any{
			"publish":   map[string]any{"deny": []any{">"}},
			"subscribe": map[string]any{"allow": []any{"out.>", "_INBOX.>"}},
		}},
	}
	if !reflect.DeepEqual(auth["users"], want) {
		t.Errorf("users:\n%#v\nwant\n%#v", auth["users"], want)
	}

	tok := ServerConfig{Token: "t$k", Port: 1, MonitorPort: 2, StoreDir: "/s"}.withDefaults()
	auth, _ = parseConf(t, tok.render(nil))["authorization"].(map[string]any)
	if auth["token"] != "t$k" {
		t.Errorf("token = %#v", auth["token"])
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []ServerConfig{
		{Token: "x", Users: []User{{Name: "a"}}},
		{Users: []User{{Password: "p"}}},
		{Name: "a/b"},
		{Name: ".."},
	} {
		if err := c.withDefaults().validate(); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
	if err := (ServerConfig{Users: []User{{Name: "a", Password: "b"}}}).withDefaults().validate(); err != nil {
		t.Errorf("valid configuration refused: %v", err)
	}
}

// FuzzQuote checks that every string, quoted, reads back as itself through
// nats-server's configuration parser.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "plain", `a"b\c`, "$var", "true", "123", "tab\there", "é\x00\xff", "}]{", "#x", "//y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text := "k: " + quote(s) + "\n"
		m, err := conf.Parse(text)
		if err != nil {
			t.Fatalf("quote(%q) = %s: %v", s, strings.TrimSpace(text), err)
		}
		if m["k"] != s {
			t.Fatalf("quote(%q) reads back as %#v", s, m["k"])
		}
	})
}
