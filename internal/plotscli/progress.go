package plotscli

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progressBar draws a one-line progress bar with the phase, elapsed time and ETA, redrawn in
// place with a carriage return at most every redrawEvery.
type progressBar struct {
	w      io.Writer
	now    func() time.Time
	start  time.Time
	last   time.Time
	drawn  bool
	width  int
	lastLn int
}

const redrawEvery = 200 * time.Millisecond

func newProgressBar(w io.Writer, now func() time.Time) *progressBar {
	return &progressBar{w: w, now: now, start: now(), width: 30}
}

// update redraws the bar for fraction f (0…1) of the work done in phase.
func (b *progressBar) update(f float64, phase string) {
	t := b.now()
	if b.drawn && t.Sub(b.last) < redrawEvery && f < 1 {
		return
	}
	b.last, b.drawn = t, true
	f = min(max(f, 0), 1)
	filled := int(f * float64(b.width))
	elapsed := t.Sub(b.start)
	eta := "--:--"
	if f >= 0.01 {
		eta = formatDuration(time.Duration(float64(elapsed) * (1 - f) / f))
	}
	line := fmt.Sprintf("[%s%s] %3.0f%% %-9s elapsed %s eta %s",
		strings.Repeat("#", filled), strings.Repeat("-", b.width-filled),
		100*f, phase, formatDuration(elapsed), eta)
	pad := ""
	if n := b.lastLn - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	b.lastLn = len(line)
	fmt.Fprintf(b.w, "\r%s%s", line, pad)
}

// finish ends the bar's line.
func (b *progressBar) finish() {
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}

// formatDuration prints m:ss or h:mm:ss.
func formatDuration(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
