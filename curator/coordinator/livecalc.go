package coordinator

import (
	"slices"
	"strconv"
	"strings"
	"time"

	pb "github.com/curator-dev/curator/proto"
)

// Estimate returns the share of the run done (by input bytes, else by
// tasks) and, when it can be told (some but not all done), the time left
// at the pace so far.
func Estimate(p Progress) (frac float64, eta time.Duration, ok bool) {
	if p.BytesTotal > 0 {
		frac = float64(p.BytesDone) / float64(p.BytesTotal)
	} else if p.TasksTotal > 0 {
		frac = float64(p.TasksDone) / float64(p.TasksTotal)
	}
	frac = min(max(frac, 0), 1)
	if frac <= 0 || frac >= 1 || p.Elapsed <= 0 {
		return frac, 0, false
	}
	return frac, time.Duration(float64(p.Elapsed) * (1 - frac) / frac), true
}

// recentRate records n documents read at now and returns the rate over
// the samples of the last rateWindow (overall when they span under a
// second).
func (c *Coordinator) recentRate(now time.Time, n int64, overall float64) float64 {
	c.live.mu.Lock()
	defer c.live.mu.Unlock()
	c.live.samples = addSample(c.live.samples, rateSample{now, n})
	return windowRate(c.live.samples, overall)
}

// minSampleGap is the least time between two kept samples: many
// dashboards polling at once do not grow the samples.
const minSampleGap = 200 * time.Millisecond

// addSample appends s (in place of the last sample when the one before
// is under minSampleGap old) and drops the samples older than the window,
// but one: the rate spans the whole window when samples are sparse.
func addSample(samples []rateSample, s rateSample) []rateSample {
	if n := len(samples); n >= 2 && s.t.Sub(samples[n-2].t) < minSampleGap {
		samples[n-1] = s
	} else {
		samples = append(samples, s)
	}
	i := 0
	for i+1 < len(samples) && s.t.Sub(samples[i+1].t) >= rateWindow {
		i++
	}
	return samples[i:]
}

// windowRate is the rate between the first and last samples, or overall
// when they are less than a second apart.
func windowRate(samples []rateSample, overall float64) float64 {
	if len(samples) < 2 {
		return overall
	}
	first, last := samples[0], samples[len(samples)-1]
	span := last.t.Sub(first.t).Seconds()
	if span < 1 {
		return overall
	}
	return max(float64(last.n-first.n), 0) / span
}

// liveWorkers turns the statuses heard into the dashboard's rows, in the
// order of their ids (numbers in ids compared as numbers).
func liveWorkers(seen []seenWorker, now time.Time, finished bool) []LiveWorker {
	out := make([]LiveWorker, 0, len(seen))
	for _, w := range seen {
		st := w.st
		lw := LiveWorker{ID: st.GetWorkerId(), WorkerID: st.GetWorkerId(), Slot: int(st.GetSlot()), State: st.GetState(),
			Task: st.GetTask(), Path: st.GetPath(), Records: st.GetRecords(), TasksDone: st.GetTasksDone(),
			SeenSecondsAgo: now.Sub(w.seen).Seconds()}
		if lw.Slot > 0 {
			lw.ID += "/" + strconv.Itoa(lw.Slot)
		}
		lw.Alive = !finished && st.GetState() != pb.WorkerStopped && now.Sub(w.seen) < AliveWithin
		if t0 := st.GetTaskStartedUnixNanos(); t0 > 0 && st.GetState() == pb.WorkerWorking {
			lw.TaskSeconds = time.Duration(st.GetUnixNanos()-t0).Seconds() + now.Sub(w.seen).Seconds()
		}
		out = append(out, lw)
	}
	slices.SortFunc(out, func(a, b LiveWorker) int {
		if c := naturalCompare(a.WorkerID, b.WorkerID); c != 0 {
			return c
		}
		return a.Slot - b.Slot
	})
	return out
}

// naturalCompare compares two ids, their trailing numbers as numbers
// ("local-2" before "local-10").
func naturalCompare(a, b string) int {
	pa, na := splitNumber(a)
	pz, nb := splitNumber(b)
	if c := strings.Compare(pa, pz); c != 0 || na == nb {
		if c == 0 {
			return strings.Compare(a, b)
		}
		return c
	}
	if na < nb {
		return -1
	}
	return 1
}

// splitNumber splits s into a prefix and its trailing number (-1 if none).
func splitNumber(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil {
		return s, -1
	}
	return s[:i], n
}
