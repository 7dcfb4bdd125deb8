package workers

import (
	"github.com/curator-dev/curator/internal/metrics"
	pb "github.com/curator-dev/curator/proto"
)

// Metrics are a worker process's Prometheus metrics.
type Metrics struct {
	tasks        *metrics.CounterVec // by status
	errors       *metrics.CounterVec // by reason
	docs         *metrics.Counter
	bytes        *metrics.Counter
	redeliveries *metrics.Counter
	inFlight     *metrics.Gauge
	latency      *metrics.Histogram
}

// NewMetrics registers a worker's metrics in r.
func NewMetrics(r *metrics.Registry) *Metrics {
	return &Metrics{
		tasks:        r.NewCounterVec("curator_worker_tasks_total", "Tasks settled by this worker, by outcome (ok, failed, handed_back).", "status"),
		errors:       r.NewCounterVec("curator_worker_errors_total", "Errors, by reason (record, task_failed, timeout, not_run, publish).", "reason"),
		docs:         r.NewCounter("curator_worker_documents_total", "Documents read by the tasks this worker finished."),
		bytes:        r.NewCounter("curator_worker_input_bytes_total", "Input bytes of the tasks this worker finished."),
		redeliveries: r.NewCounter("curator_worker_redeliveries_total", "Tasks received that had been delivered before."),
		inFlight:     r.NewGauge("curator_worker_tasks_in_flight", "Tasks being run now."),
		latency:      r.NewHistogram("curator_worker_task_seconds", "Time to run a task, from delivery to result.", metrics.LatencyBuckets()),
	}
}

// result counts a published result.
func (m *Metrics) result(res *pb.Result) {
	if m == nil {
		return
	}
	if res.GetStatus() == pb.Status_STATUS_OK {
		m.tasks.With("ok").Inc()
	} else {
		m.tasks.With("failed").Inc()
		m.errors.With("task_failed").Inc()
	}
	if n := res.GetReadErrors(); n > 0 {
		m.errors.With("record").Add(float64(n))
	}
	m.docs.Add(float64(res.GetRecords()))
	m.bytes.Add(float64(res.GetInputBytes()))
	m.latency.Observe(float64(res.GetWallNanos()) / 1e9)
}

// handedBack counts a task handed back for reason.
func (m *Metrics) handedBack(reason string) {
	if m == nil {
		return
	}
	m.tasks.With("handed_back").Inc()
	m.errors.With(reason).Inc()
}
