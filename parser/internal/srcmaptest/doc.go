// Package srcmaptest checks the source maps that parsers build, for the
// tests of every format parser: that every value of a rule input has a
// range (Unmapped) and that every range lies inside its file with a line
// and column that match its byte offset (BadRanges, CheckRange).
package srcmaptest
