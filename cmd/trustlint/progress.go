package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// progressDelay is how long a scan runs before a bar is drawn: scans
	// that end sooner (a pre-commit run, a small repository) never show
	// one.
	progressDelay = 700 * time.Millisecond
	// progressEvery is the shortest time between two redraws.
	progressEvery = 100 * time.Millisecond
	// barCells is the width of the bar itself.
	barCells = 30
)

// progressBar draws, on one terminal line of standard error, a bar
//
//	scanning [===========>                  ]  45%  4,512/10,000  3s
//
// while the total is settled, and a counter
//
//	scanning |  4,512 roles analyzed  3s
//
// while it still grows. scan.Options.Progress reports roles evaluated out
// of roles found so far, and the parsers find roles only a little ahead of
// the evaluation, so the total settles only at the end of the input: a bar
// of such a total would sit near 100% the whole time. A total that stays
// put between redraws (bytes of input known after the walk, say) gets the
// bar at once. The line is erased when the scan ends.
type progressBar struct {
	w     io.Writer
	now   func() time.Time
	width int // columns of the terminal, 0 when unknown

	mu        sync.Mutex
	start     time.Time
	last      time.Time
	lastTotal int
	frame     int
	shown     bool
	done      bool
	// bytes is set when the counts are bytes of input (updateBytes).
	bytes bool
}

func newProgressBar(w io.Writer, width int, now func() time.Time) *progressBar {
	return &progressBar{w: w, now: now, width: width, start: now()}
}

// update is scan.Options.Progress: it is called from several goroutines
// after every role, so it returns at once when another call is drawing or
// when it is too early to draw again.
func (p *progressBar) update(done, total int) {
	if !p.mu.TryLock() {
		return
	}
	defer p.mu.Unlock()
	t := p.now()
	if p.done || t.Sub(p.start) < progressDelay || (p.shown && t.Sub(p.last) < progressEvery) {
		return
	}
	settled := p.shown && total == p.lastTotal
	p.last, p.shown, p.lastTotal = t, true, total
	var line string
	if settled {
		line = p.line(done, total, t.Sub(p.start))
	} else {
		line = p.counter(done, t.Sub(p.start))
	}
	fmt.Fprint(p.w, "\r\x1b[K"+line)
}

// updateBytes is scan.Options.BytesProgress: counts of input bytes, whose
// total is known from the start, so the bar shows at the first redraw.
// Set bytes before the scan starts.
func (p *progressBar) updateBytes(done, total int64) {
	p.update(int(done), int(total))
}

// amount renders a count: roles with thousands separators, bytes in MB.
func (p *progressBar) amount(n int) string {
	if p.bytes {
		return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
	}
	return thousands(n)
}

// spinner turns at each redraw of the counter.
const spinner = `|/-\`

// counter renders the count of a scan whose total is not known yet.
func (p *progressBar) counter(done int, elapsed time.Duration) string {
	p.frame = (p.frame + 1) % len(spinner)
	what := " roles"
	if p.bytes {
		what = ""
	}
	return fmt.Sprintf("scanning %c  %s%s analyzed  %ds", spinner[p.frame], p.amount(done), what, int(elapsed.Seconds()))
}

// finish erases the bar, if one was drawn; later updates draw nothing.
func (p *progressBar) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
	p.done = true
}

// line renders the bar, fitted to the terminal width.
func (p *progressBar) line(done, total int, elapsed time.Duration) string {
	total = max(total, done, 1)
	count := fmt.Sprintf("%3d%%  %s/%s", 100*done/total, p.amount(done), p.amount(total))
	secs := strconv.Itoa(int(elapsed.Seconds())) + "s"
	cells := barCells
	if p.width > 0 {
		// "scanning [" + bar + "]  " + count + "  " + secs, and one spare
		// column so that the cursor never wraps.
		cells = min(cells, p.width-len("scanning []    ")-len(count)-len(secs)-1)
	}
	if cells < 5 {
		return count
	}
	filled := cells * done / total
	var b strings.Builder
	b.WriteString("scanning [")
	b.WriteString(strings.Repeat("=", filled))
	if filled < cells {
		b.WriteByte('>')
		b.WriteString(strings.Repeat(" ", cells-filled-1))
	}
	b.WriteString("]  ")
	b.WriteString(count)
	b.WriteString("  ")
	b.WriteString(secs)
	return b.String()
}

// thousands renders n with commas: 12,345.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
