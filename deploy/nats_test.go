// Package deploy holds no code: its tests check the NATS configuration in
// nats/ against the real nats-server (the curator command lines of every
// deploy file are checked against the binary in curator/deploy_test.go).
package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	"gopkg.in/yaml.v3"
)

// natsEnv is what the configuration reads from the environment; the
// passwords are the test's own.
var natsEnv = map[string]string{
	"CURATOR_NATS_NAME":            "nats-1",
	"CURATOR_NATS_ROUTE_PASSWORD":  "route-pw-for-tests",
	"CURATOR_NATS_ROUTES":          `["nats-route://route:route-pw-for-tests@nats-1:6222", "nats-route://route:route-pw-for-tests@nats-2:6222", "nats-route://route:route-pw-for-tests@nats-3:6222"]`,
	"CURATOR_COORDINATOR_PASSWORD": "coordinator-pw-for-tests",
	"CURATOR_WORKER_PASSWORD":      "worker-pw-for-tests",
	"CURATOR_SUBMITTER_PASSWORD":   "submitter-pw-for-tests",
	"CURATOR_NATS_ADMIN_PASSWORD":  "admin-pw-for-tests",
}

// loadConfig parses a configuration with natsEnv set, then the variables
// of env, as nats-server does.
func loadConfig(t *testing.T, path string, env ...map[string]string) *server.Options {
	t.Helper()
	for _, m := range append([]map[string]string{natsEnv}, env...) {
		for k, v := range m {
			t.Setenv(k, v)
		}
	}
	opts, err := server.ProcessConfigFile(path)
	if err != nil {
		t.Fatalf("nats-server cannot read %s: %v", path, err)
	}
	return opts
}

// TestNATSConfig parses every configuration in nats/ with nats-server's
// own parser and checks what the cluster needs: JetStream with a file
// store, three routes with authentication, the three roles' users in one
// JetStream account with the passwords of the environment.
func TestNATSConfig(t *testing.T) {
	confs, err := filepath.Glob("nats/*.conf")
	if err != nil || len(confs) == 0 {
		t.Fatalf("no configuration in nats/: %v", err)
	}
	for _, path := range confs {
		t.Run(filepath.Base(path), func(t *testing.T) {
			opts := loadConfig(t, path)
			if strings.HasSuffix(path, "accounts.conf") {
				return // included by nats.conf, checked there
			}
			if !opts.JetStream || opts.StoreDir == "" {
				t.Errorf("JetStream %v, store dir %q: want JetStream with a file store", opts.JetStream, opts.StoreDir)
			}
			if opts.ServerName != natsEnv["CURATOR_NATS_NAME"] {
				t.Errorf("server name %q, want it from $CURATOR_NATS_NAME", opts.ServerName)
			}
			if opts.Cluster.Name == "" || opts.Cluster.Port == 0 || len(opts.Routes) != 3 {
				t.Errorf("cluster %q port %d with %d routes, want a named cluster with 3 routes", opts.Cluster.Name, opts.Cluster.Port, len(opts.Routes))
			}
			if opts.Cluster.Username == "" || opts.Cluster.Password != natsEnv["CURATOR_NATS_ROUTE_PASSWORD"] {
				t.Errorf("routes authenticate as %q: want a user with $CURATOR_NATS_ROUTE_PASSWORD", opts.Cluster.Username)
			}
			if opts.MaxPayload < 8<<20 {
				t.Errorf("max_payload %d: a result can pass 1 MB; allow 8 MB as curator's embedded server does", opts.MaxPayload)
			}
			if opts.SystemAccount == "" {
				t.Error("no system account")
			}
			users := map[string]*server.User{}
			for _, u := range opts.Users {
				users[u.Username] = u
			}
			for _, role := range []string{"coordinator", "worker", "submitter"} {
				u := users[role]
				if u == nil {
					t.Errorf("no user %q", role)
					continue
				}
				if u.Account == nil || u.Account.Name != "CURATOR" {
					t.Errorf("user %s is not in account CURATOR", role)
				}
				if u.Permissions == nil || u.Permissions.Publish == nil || u.Permissions.Subscribe == nil {
					t.Errorf("user %s has no publish and subscribe permissions: it could do anything", role)
				}
				if want := natsEnv["CURATOR_"+strings.ToUpper(role)+"_PASSWORD"]; u.Password != want {
					t.Errorf("user %s: the password is not $CURATOR_%s_PASSWORD", role, strings.ToUpper(role))
				}
			}
			// That JetStream works in account CURATOR is proved by
			// TestNATSPermissions, which uses it.
		})
	}
}

// TestNATSConfigHoldsNoSecret refuses a literal password or token in a
// configuration: they must come from the environment.
func TestNATSConfigHoldsNoSecret(t *testing.T) {
	secret := regexp.MustCompile(`(?m)^\s*(password|token|pass)\s*[:=]\s*([^\s#,}]+)`)
	confs, _ := filepath.Glob("nats/*.conf")
	for _, path := range confs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range secret.FindAllStringSubmatch(string(data), -1) {
			if !strings.HasPrefix(m[2], "$") {
				t.Errorf("%s: %s is a literal %q; take it from the environment ($NAME)", path, m[1], m[2])
			}
		}
	}
	if m := secret.FindStringSubmatch("  password: hunter2\n"); m == nil || strings.HasPrefix(m[2], "$") {
		t.Error("the secret pattern misses a literal password")
	}
}

// TestHelmValuesMatchConfig renders the accounts of k8s/nats-values.yaml
// (config.merge) as a NATS configuration, the way the chart does, and
// wants the same users, passwords and permissions as nats/accounts.conf.
func TestHelmValuesMatchConfig(t *testing.T) {
	data, err := os.ReadFile("k8s/nats-values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var values struct {
		Config struct {
			Merge map[string]any `yaml:"merge"`
		} `yaml:"config"`
	}
	if err := yaml.Unmarshal(data, &values); err != nil {
		t.Fatalf("k8s/nats-values.yaml: %v", err)
	}
	if len(values.Config.Merge) == 0 {
		t.Fatal("k8s/nats-values.yaml has no config.merge")
	}
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false) // NATS reads no \u escapes
	if err := enc.Encode(values.Config.Merge); err != nil {
		t.Fatal(err)
	}
	// The chart writes "<< $NAME >>" as the bare variable $NAME.
	conf := regexp.MustCompile(`"<< (\$[A-Za-z0-9_]+) >>"`).ReplaceAll(js.Bytes(), []byte("$1"))
	path := filepath.Join(t.TempDir(), "helm.conf")
	if err := os.WriteFile(path, conf, 0o600); err != nil {
		t.Fatal(err)
	}
	helm := loadConfig(t, path)
	want := loadConfig(t, "nats/nats.conf")
	if helm.MaxPayload != want.MaxPayload {
		t.Errorf("max_payload %d, nats/nats.conf has %d", helm.MaxPayload, want.MaxPayload)
	}
	if helm.SystemAccount != want.SystemAccount {
		t.Errorf("system account %q, nats/accounts.conf has %q", helm.SystemAccount, want.SystemAccount)
	}
	byName := func(o *server.Options) map[string]*server.User {
		m := map[string]*server.User{}
		for _, u := range o.Users {
			m[u.Username] = u
		}
		return m
	}
	got, exp := byName(helm), byName(want)
	if len(got) != len(exp) {
		t.Errorf("%d users in the Helm values, %d in nats/accounts.conf", len(got), len(exp))
	}
	for name, e := range exp {
		g := got[name]
		switch {
		case g == nil:
			t.Errorf("user %s of nats/accounts.conf is missing from the Helm values", name)
		case g.Password != e.Password:
			t.Errorf("user %s: another password variable in the Helm values", name)
		case g.Account.Name != e.Account.Name:
			t.Errorf("user %s: account %s in the Helm values, %s in nats/accounts.conf", name, g.Account.Name, e.Account.Name)
		case !reflect.DeepEqual(g.Permissions, e.Permissions):
			t.Errorf("user %s: permissions differ:\nhelm:     %s\naccounts: %s", name, perms(g.Permissions), perms(e.Permissions))
		}
	}
}

// perms prints p's lists.
func perms(p *server.Permissions) string {
	if p == nil {
		return "none"
	}
	sub := func(s *server.SubjectPermission) string {
		if s == nil {
			return "-"
		}
		return fmt.Sprintf("allow %q deny %q", s.Allow, s.Deny)
	}
	return "publish " + sub(p.Publish) + "; subscribe " + sub(p.Subscribe)
}
