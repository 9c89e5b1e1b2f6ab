package model

import "sort"

// Comment is a comment of a source file as its parser read it: HCL and
// YAML have comments, JSON has none. Inline suppressions
// (`# trustlint:ignore TL001 -- reason`) are read from them, so text that
// only looks like a comment (a heredoc, a block scalar, a string) is never
// one.
type Comment struct {
	// Range runs from the comment's marker (# or //) to the end of its
	// text, without the line break.
	Range Range
	// Text is the comment as written, marker included, without the line
	// break.
	Text string
	// Alone is set when nothing but white space precedes the comment on
	// its line.
	Alone bool
	// Next is the line of the first code (a token or a node that is not a
	// comment) after the comment's line; 0 when none follows.
	Next int
}

// CommentSink receives the comments a parser read in one file, before the
// parser emits a role from that file. It may be called from several
// goroutines at once, and more than once for a file that several modules
// read (the comments are the same).
type CommentSink func(file string, comments []Comment)

// SuppressionMarker is the word that starts an inline suppression comment.
// A parser may skip collecting the comments of a file that does not
// contain it: no comment of that file can suppress anything.
const SuppressionMarker = "trustlint:ignore"

// NextLine returns the first of lines (sorted, line numbers of code) after
// line, or 0: a Comment's Next.
func NextLine(lines []int, line int) int {
	if i := sort.SearchInts(lines, line+1); i < len(lines) {
		return lines[i]
	}
	return 0
}
