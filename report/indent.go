package report

import (
	"bufio"
	"bytes"
	"strconv"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/trustlint/trustlint/internal/par"
)

// indentOptions are the options of writeIndented: what encoding/json's
// Encoder with SetIndent("", "  ") writes (v1 field and map semantics, no
// HTML escaping). prefix starts every line but the first (a value written
// inside a document at that depth).
func indentOptions(prefix string) jsonv2.Options {
	return jsonv2.JoinOptions(jsonv1.DefaultOptionsV1(), jsontext.WithIndent("  "), jsontext.WithIndentPrefix(prefix), jsontext.EscapeForHTML(false))
}

// writeIndented writes v as JSON indented by two spaces, with a final
// newline, in one pass: without compacting the whole document first and
// re-indenting it (a tenth of a large export's run time).
func writeIndented(buf *bufio.Writer, v any) error {
	if err := jsonv2.MarshalWrite(buf, v, indentOptions("")); err != nil {
		return err
	}
	return buf.WriteByte('\n')
}

// listBatch is how many elements writeIndentedList encodes before it
// writes them: the report is streamed, not held whole.
const listBatch = 4096

// listChunk is how many elements one goroutine encodes at a time.
const listChunk = 128

// writeIndentedList writes v as writeIndented does, with the list *list,
// a member named key, set to elems: the other members are encoded as
// usual, the elements on every core. The output is byte for byte
// writeIndented's (TestWriteIndentedList).
func writeIndentedList[T any](buf *bufio.Writer, v any, key string, list *[]T, elems []T) error {
	if elems == nil {
		elems = []T{} // an empty list, not null
	}
	*list = []T{}
	defer func() { *list = elems }()
	var doc bytes.Buffer
	if len(elems) > 0 {
		if err := jsonv2.MarshalWrite(&doc, v, indentOptions("")); err != nil {
			return err
		}
	}
	// The empty list, where the elements go: a member name, so its
	// quotes are not escaped, as they would be in a string.
	marker := []byte(strconv.Quote(key) + ": []")
	text := doc.Bytes()
	at := bytes.Index(text, marker)
	if at < 0 || bytes.Contains(text[at+len(marker):], marker) {
		*list = elems
		return writeIndented(buf, v)
	}
	indent := text[bytes.LastIndexByte(text[:at], '\n')+1 : at]
	line := "\n" + string(indent) + "  " // before each element
	opts := indentOptions(line[1:])
	end := at + len(marker) - 1 // the ']'
	if _, err := buf.Write(text[:end]); err != nil {
		return err
	}
	// The buffers of a batch's chunks, reused by the next batch: new ones
	// grew from nothing, in fresh memory, each time.
	parts := make([]bytes.Buffer, (min(len(elems), listBatch)+listChunk-1)/listChunk)
	errs := make([]error, len(parts))
	for start := 0; start < len(elems); start += listBatch {
		batch := elems[start:min(start+listBatch, len(elems))]
		n := (len(batch) + listChunk - 1) / listChunk
		par.Each(0, n, func(c int) {
			b := &parts[c]
			b.Reset()
			for i, e := range batch[c*listChunk : min((c+1)*listChunk, len(batch))] {
				if start+c*listChunk+i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(line)
				if err := jsonv2.MarshalWrite(b, e, opts); err != nil {
					errs[c] = err
					return
				}
			}
		})
		for c := range n {
			if errs[c] != nil {
				return errs[c]
			}
			if _, err := buf.Write(parts[c].Bytes()); err != nil {
				return err
			}
		}
	}
	if _, err := buf.WriteString("\n" + string(indent)); err != nil {
		return err
	}
	if _, err := buf.Write(text[end:]); err != nil {
		return err
	}
	return buf.WriteByte('\n')
}
