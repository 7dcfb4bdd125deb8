package testcluster

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Defaults of ServerConfig.
const (
	DefaultMaxMem       = 256 << 20
	DefaultMaxFile      = 1 << 30
	DefaultReadyTimeout = 30 * time.Second
)

// ServerConfig describes one nats-server. The zero value is a JetStream
// server without authentication on free ports.
type ServerConfig struct {
	// Name is the server_name and labels the process's logs; default "nats".
	Name string
	// StoreDir is the JetStream store directory; default a new directory
	// of the test. It is kept across Restart.
	StoreDir string
	// Port is the client port; 0 picks a free one.
	Port int
	// MonitorPort is the HTTP monitoring port (/varz, /jsz, /healthz); 0
	// picks a free one. Monitoring is always on.
	MonitorPort int
	// Users are the users allowed to connect (user name and password).
	// The harness itself connects as Users[0], which must therefore be
	// allowed to use the JetStream API.
	Users []User
	// Token is a token clients must give. Token and Users exclude each
	// other (nats-server refuses both).
	Token string
	// MaxMem and MaxFile are JetStream's memory and file storage limits in
	// bytes; defaults DefaultMaxMem and DefaultMaxFile.
	MaxMem, MaxFile int64
	// Debug turns on nats-server's debug log.
	Debug bool
	// Extra is appended to the generated configuration as it is (NATS
	// configuration syntax), e.g. "max_payload: 8MB".
	Extra string
	// ReadyTimeout bounds the wait for the server to serve JetStream after
	// each start; default DefaultReadyTimeout.
	ReadyTimeout time.Duration
	// Binary is the nats-server to run; default the one NATSServer builds.
	Binary string
}

// User is a user of a server's authorization block.
type User struct {
	// Name and Password authenticate the user.
	Name, Password string
	// Permissions, when not nil, restrict what the user may do.
	Permissions *Permissions
}

// Permissions are a user's publish and subscribe permissions.
type Permissions struct {
	// Publish and Subscribe list the subjects the user may (Allow) and may
	// not (Deny) publish to and subscribe to.
	Publish, Subscribe SubjectPermission
}

// SubjectPermission lists allowed and denied subjects (wildcards allowed).
type SubjectPermission struct {
	// Allow and Deny are subject patterns; empty lists are left out.
	Allow, Deny []string
}

// clusterConf is the cluster block of a clustered node.
type clusterConf struct {
	name   string
	port   int
	routes []int // cluster ports of the other nodes
}

// withDefaults fills the zero fields that have defaults.
func (c ServerConfig) withDefaults() ServerConfig {
	if c.Name == "" {
		c.Name = "nats"
	}
	if c.MaxMem == 0 {
		c.MaxMem = DefaultMaxMem
	}
	if c.MaxFile == 0 {
		c.MaxFile = DefaultMaxFile
	}
	if c.ReadyTimeout == 0 {
		c.ReadyTimeout = DefaultReadyTimeout
	}
	return c
}

// validate checks what nats-server would refuse, or the harness could not
// use, with a clearer message.
func (c ServerConfig) validate() error {
	if c.Token != "" && len(c.Users) > 0 {
		return errors.New("a token and users exclude each other")
	}
	if strings.ContainsAny(c.Name, "/\\ \t\r\n") || c.Name == "." || c.Name == ".." {
		return fmt.Errorf("server name %q: no spaces or path separators", c.Name)
	}
	for i, u := range c.Users {
		if u.Name == "" {
			return fmt.Errorf("user %d: no name", i)
		}
	}
	return nil
}

// render writes the nats-server configuration file's text.
func (c ServerConfig) render(cl *clusterConf) string {
	var b strings.Builder
	fmt.Fprintf(&b, "server_name: %s\n", quote(c.Name))
	fmt.Fprintf(&b, "listen: %s\n", quote(hostPort(c.Port)))
	fmt.Fprintf(&b, "http: %s\n", quote(hostPort(c.MonitorPort)))
	if c.Debug {
		b.WriteString("debug: true\n")
	}
	fmt.Fprintf(&b, "jetstream {\n  store_dir: %s\n  max_mem: %d\n  max_file: %d\n}\n",
		quote(c.StoreDir), c.MaxMem, c.MaxFile)
	if cl != nil {
		fmt.Fprintf(&b, "cluster {\n  name: %s\n  listen: %s\n  routes: [\n",
			quote(cl.name), quote(hostPort(cl.port)))
		for _, p := range cl.routes {
			fmt.Fprintf(&b, "    %s\n", quote("nats-route://"+hostPort(p)))
		}
		b.WriteString("  ]\n}\n")
	}
	if c.Token != "" || len(c.Users) > 0 {
		b.WriteString("authorization {\n")
		if c.Token != "" {
			fmt.Fprintf(&b, "  token: %s\n", quote(c.Token))
		}
		if len(c.Users) > 0 {
			b.WriteString("  users: [\n")
			for _, u := range c.Users {
				fmt.Fprintf(&b, "    {user: %s, password: %s", quote(u.Name), quote(u.Password))
				if p := u.Permissions; p != nil {
					var perms []string
					if !p.Publish.empty() {
						perms = append(perms, "publish: "+p.Publish.render())
					}
					if !p.Subscribe.empty() {
						perms = append(perms, "subscribe: "+p.Subscribe.render())
					}
					fmt.Fprintf(&b, ", permissions: {%s}", strings.Join(perms, ", "))
				}
				b.WriteString("}\n")
			}
			b.WriteString("  ]\n")
		}
		b.WriteString("}\n")
	}
	if c.Extra != "" {
		b.WriteString(c.Extra)
		b.WriteString("\n")
	}
	return b.String()
}

// empty reports whether p lists no subject.
func (p SubjectPermission) empty() bool { return len(p.Allow) == 0 && len(p.Deny) == 0 }

// render writes a permission as {allow: [...], deny: [...]}.
func (p SubjectPermission) render() string {
	var parts []string
	if len(p.Allow) > 0 {
		parts = append(parts, "allow: "+quoteList(p.Allow))
	}
	if len(p.Deny) > 0 {
		parts = append(parts, "deny: "+quoteList(p.Deny))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// quoteList writes a list of quoted strings.
func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// hostPort is 127.0.0.1:port.
func hostPort(port int) string { return Host + ":" + strconv.Itoa(port) }

// quote writes s as a double-quoted string of the NATS configuration
// syntax: quoted, it is never taken for a variable ($x), a number or a
// boolean. Backslash and double quote are escaped, and every byte outside
// printable ASCII is written as \xXX (the only escapes the syntax has
// besides \t, \n and \r).
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\x%02x", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
