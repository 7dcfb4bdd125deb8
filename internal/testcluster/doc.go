// Package testcluster runs real processes on 127.0.0.1 for curator's
// cluster-mode fault tests: nats-server (built from the version in go.mod)
// alone or as a JetStream cluster, and the curator binary as coordinator
// and workers. Nothing listens beyond loopback.
//
// A fault test builds the binaries once per test process, starts a
// cluster, runs curator against it, breaks things and checks the outcome:
//
//	func TestMain(m *testing.M) { os.Exit(testcluster.Main(m)) } // removes the builds
//
//	func TestWorkerCrash(t *testing.T) {
//		bin := testcluster.BuildWith(t, testcluster.BuildOptions{Tags: []string{"faults"}})
//		c := testcluster.StartCluster(t, 3, testcluster.ClusterOptions{})
//		coord := testcluster.StartProc(t, "coordinator", bin.Curator,
//			[]string{"coordinator", "--nats", c.URLs(), ...}, nil)
//		w1 := testcluster.StartProc(t, "worker-1", bin.Curator,
//			[]string{"worker", "--nats", c.URLs()}, []string{"CURATOR_FAULT=..."})
//		...
//		w1.Kill()                 // a worker crashes mid-task
//		c.KillNode(0)             // a NATS node dies
//		c.RestartNode(0)          // and comes back with its store
//		code, err := coord.Wait(ctx)
//		...
//	}
//
// Every process's stdout and stderr go to files of the test (Proc.Stdout,
// Proc.Stderr, Server.Logs). The test's cleanup kills whatever still runs
// and, when the test failed, logs the last lines of every process's stderr
// (nats-servers included), so that a failure shows what each process said.
// On Linux a process is also killed when the test process dies.
//
// Servers are configured by a generated configuration file (ServerConfig:
// users with passwords and permissions, or a token; JetStream limits) and
// keep their ports and store directory across Kill and Restart, so a
// restarted node rejoins with its data. The harness waits, after each
// start, until a client can connect and JetStream answers; StartCluster
// also waits until a stream with one replica per node can be placed.
//
// Calls that take or were started with a testing.TB fail that test on
// error, so make them from the test's goroutine.
package testcluster
