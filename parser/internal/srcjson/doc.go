// Package srcjson parses JSON into positioned trees (parser/tree) for every
// format parser that meets JSON: IAM policy files and exports, Terraform
// .tf.json, plans and jsonencode/heredoc policies, CloudFormation JSON
// templates and policy documents written as strings.
//
// Ranges are byte-exact and made by model.LineIndex, the one line and
// column computation of trustlint. Text that is not the file itself but was
// decoded from it (the content of a JSON string, a percent-encoded document
// as the raw IAM API returns it, a Terraform heredoc) is parsed with a table
// from each decoded byte to its file offset, so positions inside it name the
// characters of the outer text:
//
//   - ParseText parses a span of a file, ParseMapped decoded text with its
//     offset table;
//   - Unquote and PercentDecode decode one layer each and return the table;
//     ParseEmbedded (and Embedder, which reuses buffers) combine both with
//     ClassifyEmbedded's verdict;
//   - Builder is the streaming parser under them all, for a format parser
//     that reads a large file value by value.
package srcjson
