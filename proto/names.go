// Package curatorpb is the wire of curator: the protobuf messages the
// coordinator and the workers exchange (generated from curator.proto by
// `make proto`) and, in this file, the name of every NATS subject, stream,
// consumer, key-value bucket and object store they use.
package curatorpb

import (
	"fmt"
	"regexp"
)

// Version is the version of the messages this code writes and the newest it
// reads. A reader refuses a message with a newer version.
const Version uint32 = 1

// MaxRecordErrors bounds the record error messages a Result carries; the
// count of read errors is always complete.
const MaxRecordErrors = 20

// Subject and resource names. Names that depend on a run take its id, which
// must satisfy ValidRunID.
const (
	// TaskSubjectPrefix is the prefix of the subjects tasks are published on.
	TaskSubjectPrefix = "curator.task."
	// ResultSubjectPrefix is the prefix of the subjects results are published on.
	ResultSubjectPrefix = "curator.result."
	// StatusSubjectPrefix is the prefix of the core NATS subjects workers
	// publish their WorkerStatus on (no stream keeps them).
	StatusSubjectPrefix = "curator.status."
	// RunStateBucket is the key-value bucket holding the state of every run,
	// keyed by run id.
	RunStateBucket = "curator_runs"
	// SpecBucket is the key-value bucket holding the spec of every
	// submitted run (a RunSpec, keyed by run id, written once) and the
	// cancel requests (CancelKey).
	SpecBucket = "curator_specs"
	// ObjectStoreName is the object store holding what every worker must see
	// byte for byte (models, banlists, zstd dictionaries, dedup snapshots).
	ObjectStoreName = "curator_objects"
	// WorkersConsumer is the durable pull consumer the workers share on a
	// run's task stream.
	WorkersConsumer = "workers"
	// CoordinatorConsumer is the durable pull consumer of the coordinator on
	// a run's result stream.
	CoordinatorConsumer = "coordinator"
	// MaxDeliveriesAdvisoryPrefix is the prefix of the JetStream advisory
	// sent when a message was delivered as many times as a consumer allows;
	// the stream and consumer names follow.
	MaxDeliveriesAdvisoryPrefix = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES."
	// TerminatedAdvisoryPrefix is the prefix of the JetStream advisory sent
	// when a worker terminates a message it cannot read as a task.
	TerminatedAdvisoryPrefix = "$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED."
)

// MaxStateFailures bounds the failed tasks a RunState lists; run.json lists
// them all.
const MaxStateFailures = 100

// Run statuses in a RunState.
const (
	StatusSubmitted   = "submitted"
	StatusRunning     = "running"
	StatusDone        = "done"
	StatusFailedTasks = "failed_tasks"
	StatusCanceled    = "canceled"
	StatusError       = "error"
)

// Final reports whether a run with this status has ended.
func Final(status string) bool {
	switch status {
	case StatusDone, StatusFailedTasks, StatusCanceled, StatusError:
		return true
	}
	return false
}

// CancelKey is the spec bucket key whose presence asks the coordinator to
// cancel run.
func CancelKey(run string) string { return "cancel." + run }

var runIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ValidRunID reports whether id can name a run: 1 to 64 letters, digits,
// '_' or '-', so that it fits in subject and stream names.
func ValidRunID(id string) bool { return runIDRE.MatchString(id) }

// TaskSubject is the subject a run's tasks are published on: curator.task.<run>.
func TaskSubject(run string) string { return TaskSubjectPrefix + run }

// ResultSubject is the subject a run's results are published on: curator.result.<run>.
func ResultSubject(run string) string { return ResultSubjectPrefix + run }

// StatusSubject is the core NATS subject the workers of a run publish
// their WorkerStatus on: curator.status.<run>.
func StatusSubject(run string) string { return StatusSubjectPrefix + run }

// Worker states in a WorkerStatus.
const (
	WorkerWorking = "working"
	WorkerIdle    = "idle"
	WorkerStopped = "stopped"
)

// TaskStream is the work-queue stream holding a run's tasks.
func TaskStream(run string) string { return "CURATOR_TASKS_" + run }

// ResultStream is the stream holding a run's results.
func ResultStream(run string) string { return "CURATOR_RESULTS_" + run }

// MaxDeliveriesAdvisory is the subject of the advisory sent when a task of
// the run was delivered as often as the workers' consumer allows.
func MaxDeliveriesAdvisory(run string) string {
	return MaxDeliveriesAdvisoryPrefix + TaskStream(run) + "." + WorkersConsumer
}

// TerminatedAdvisory is the subject of the advisory sent when a worker
// terminates one of the run's task messages.
func TerminatedAdvisory(run string) string {
	return TerminatedAdvisoryPrefix + TaskStream(run) + "." + WorkersConsumer
}

// JobName names a task within its run: its index, followed for a
// second-phase task by the keep_top node it resumes at ("12", "12.n7").
func JobName(task int64, resume *Resume) string {
	if resume == nil {
		return fmt.Sprintf("%d", task)
	}
	return fmt.Sprintf("%d.n%d", task, resume.GetNode())
}

// TaskMsgID is the Nats-Msg-Id of a task (named by JobName), so that
// publishing it twice stores it once.
func TaskMsgID(run, job string) string { return run + ".task." + job }

// ResultMsgID is the Nats-Msg-Id of a task's result (named by JobName), so
// that a redelivered task's second result is dropped by the stream.
func ResultMsgID(run, job string) string { return run + ".result." + job }

// FileObject is the object store name of a file a recipe reads (a model, a
// banlist), by content hash.
func FileObject(sha256hex string) string { return "file/" + sha256hex }

// ZstdDictObject is the object store name of a zstd dictionary, by content hash.
func ZstdDictObject(sha256hex string) string { return "zstd-dict/" + sha256hex }

// CheckVersion returns an error when a message of the named kind has a
// version this code cannot read.
func CheckVersion(kind string, v uint32) error {
	if v == 0 || v > Version {
		return fmt.Errorf("%s message version %d: this curator reads versions 1 to %d; upgrade it", kind, v, Version)
	}
	return nil
}
