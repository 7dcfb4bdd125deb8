package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/curator-dev/curator/curator/coordinator"
)

// progressBar draws a one-line progress bar on a terminal and lets log lines
// pass above it.
type progressBar struct {
	mu   sync.Mutex
	w    io.Writer
	line string
}

func newProgressBar(w io.Writer) *progressBar { return &progressBar{w: w} }

// Write prints a log line above the bar.
func (b *progressBar) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprint(b.w, "\r\033[K")
	n, err := b.w.Write(p)
	if b.line != "" {
		fmt.Fprint(b.w, b.line)
	}
	return n, err
}

// Update redraws the bar.
func (b *progressBar) Update(p coordinator.Progress) {
	line := renderProgress(p, 24)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.line = line
	fmt.Fprint(b.w, "\r\033[K"+line)
}

// Done ends the bar's line.
func (b *progressBar) Done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.line != "" {
		fmt.Fprintln(b.w)
		b.line = ""
	}
}

// renderProgress renders p as one line: bar, tasks, bytes, docs/s, ETA.
func renderProgress(p coordinator.Progress, width int) string {
	frac := 0.0
	if p.BytesTotal > 0 {
		frac = float64(p.BytesDone) / float64(p.BytesTotal)
	} else if p.TasksTotal > 0 {
		frac = float64(p.TasksDone) / float64(p.TasksTotal)
	}
	frac = min(max(frac, 0), 1)
	filled := int(frac * float64(width))
	var sb strings.Builder
	sb.WriteString("[" + strings.Repeat("#", filled) + strings.Repeat("-", width-filled) + "]")
	fmt.Fprintf(&sb, " %3.0f%%  tasks %d/%d", frac*100, p.TasksDone, p.TasksTotal)
	if p.TasksFailed > 0 {
		fmt.Fprintf(&sb, " (%d failed)", p.TasksFailed)
	}
	fmt.Fprintf(&sb, "  %s/%s", humanBytes(p.BytesDone), humanBytes(p.BytesTotal))
	secs := p.Elapsed.Seconds()
	if secs > 0 {
		fmt.Fprintf(&sb, "  %.0f docs/s", float64(p.Records)/secs)
	}
	if frac > 0 && frac < 1 {
		eta := time.Duration(float64(p.Elapsed) * (1 - frac) / frac)
		fmt.Fprintf(&sb, "  ETA %s", eta.Round(time.Second))
	}
	return sb.String()
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
