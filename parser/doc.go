// Package parser chooses the parser for an input file and defines what a
// format parser provides.
//
// Each format lives in its own subpackage (parser/iamjson for IAM policies
// and AWS CLI exports, parser/terraform, parser/cloudformation) and is
// listed once in the registry of this package. Relevance is decided from a
// file's name and content, cheaply, before any full parse: ForFile asks
// each registered parser in turn. Every parser builds positioned trees
// (parser/tree), reads JSON with parser/internal/srcjson and turns trust
// policies into rule input with parser/normalize, so JSON positions and
// IAM's spelling rules are implemented once.
package parser
