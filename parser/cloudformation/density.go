package cloudformation

import "fmt"

// Density. yaml.v3 builds a node of about 150 bytes for each value of a
// YAML template before this package reads it, and the template's tree
// costs as much again: a 10 MB YAML template of one flow list of zeros
// took 3.7 GB and 105 s. CloudFormation itself accepts templates of at
// most 1 MB (51,200 bytes passed inline), so a template of millions of
// values is no template AWS would deploy. Every template is therefore
// first counted, and one of more than MaxValues values is refused with a
// diagnostic at the place where the limit is crossed, before a parser
// sees it.

// DefaultMaxValues is the number of values a template may have when
// Parser.MaxValues is zero. The count never exceeds the size of the file
// in bytes, so a template within CloudFormation's 1 MB is never refused.
const DefaultMaxValues = 1 << 20

// MaxValuesFlag is the command-line flag that sets Parser.MaxValues, named
// in the diagnostic of a refused template.
const MaxValuesFlag = "--max-template-values"

// countValues counts the characters of src that can start or separate a
// YAML or JSON value (flow separators and openers, block sequence entries,
// mapping keys and values), stopping once there are more than limit: at is
// then the byte offset where the limit was crossed, else -1. Every value of
// a flow collection follows a ',', '[' or '{', every block entry a '-',
// every mapping value a ':' and every complex key a '?', so the count is
// at least about the number of values the YAML parser makes (a mapping
// pair is two). It is counted everywhere, quoted text and comments alike:
// skipping quotes the way YAML does needs a YAML scanner, and a count that
// only overestimates cannot be fooled into letting a dense text through.
func countValues(src []byte, limit int) (n, at int) {
	for i, c := range src {
		switch c {
		case ',', '[', '{', '-', ':', '?':
			if n++; n > limit {
				return n, i
			}
		}
	}
	return n, -1
}

// tooDense reports, with a diagnostic, whether the template has more
// values than the parser's limit.
func (p *fileParser) tooDense() bool {
	limit := p.maxValues
	if limit <= 0 {
		limit = DefaultMaxValues
	}
	_, off := countValues(p.src, limit)
	if off < 0 {
		return false
	}
	p.diag(p.loc.Range(off, off+1), fmt.Sprintf("more than %d values in one template (CloudFormation accepts templates of at most 1 MB); not read (%s raises the limit)", limit, MaxValuesFlag))
	return true
}
