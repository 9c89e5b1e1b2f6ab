package cloudformation

import (
	"bytes"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/trustlint/trustlint/parser/iamjson"
)

// Reasons Match gives for skipping a file.
const (
	WhyNotTemplateFile = "not a .json, .template, .yaml or .yml file"
	WhyTerraformJSON   = "Terraform JSON configuration"
	WhyNotTemplate     = "not a CloudFormation template"
)

// Match tells, cheaply and before a full parse, whether the file path with
// content src is a CloudFormation template: it has a top-level
// AWSTemplateFormatVersion, or a top-level Resources mapping whose entries
// have a Type. JSON is recognized by its top-level keys (stopping at the
// first key that only IAM exports and policies have), YAML by keys at the
// start of a line. A file that looks like a template but is broken matches,
// so that Parse reports the error.
func (Parser) Match(path string, src []byte) (bool, string) {
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".tf.json"):
		return false, WhyTerraformJSON
	case !strings.HasSuffix(lower, ".json") && !strings.HasSuffix(lower, ".template") &&
		!strings.HasSuffix(lower, ".yaml") && !strings.HasSuffix(lower, ".yml"):
		return false, WhyNotTemplateFile
	}
	if iamjson.StartsIAM(src) {
		return false, WhyNotTemplate // IAM JSON, which can be large
	}
	version := bytes.Contains(src, []byte("AWSTemplateFormatVersion"))
	resources := bytes.Contains(src, []byte("Resources")) && bytes.Contains(src, []byte("Type"))
	if !version && !resources {
		return false, WhyNotTemplate
	}
	body := bytes.TrimLeft(bytes.TrimPrefix(src, bom), " \t\r\n")
	if len(body) > 0 && body[0] == '{' {
		return matchJSON(body)
	}
	if (version && hasTopLevelKey(src, "AWSTemplateFormatVersion")) || (resources && hasTopLevelKey(src, "Resources")) {
		return true, ""
	}
	return false, WhyNotTemplate
}

// matchJSON looks for a top-level "AWSTemplateFormatVersion", or a
// top-level "Resources" object that mentions "Type".
func matchJSON(src []byte) (bool, string) {
	dec := jsontext.NewDecoder(bytes.NewReader(src), jsontext.AllowDuplicateNames(true))
	if _, err := dec.ReadToken(); err != nil {
		return false, WhyNotTemplate
	}
	for dec.PeekKind() != jsontext.KindEndObject {
		tok, err := dec.ReadToken()
		if err != nil {
			return brokenJSON(src)
		}
		switch tok.String() {
		case "AWSTemplateFormatVersion":
			return true, ""
		case "Resources":
			v, err := dec.ReadValue()
			if err != nil {
				return true, ""
			}
			if v.Kind() == '{' && bytes.Contains(v, []byte(`"Type"`)) {
				return true, ""
			}
			return false, WhyNotTemplate
		}
		if iamjson.IAMTopLevel(tok.String()) {
			return false, WhyNotTemplate // IAM JSON, which can be large
		}
		if err := dec.SkipValue(); err != nil {
			return brokenJSON(src)
		}
	}
	return false, WhyNotTemplate
}

// brokenJSON decides on JSON that is not valid before its Resources: a
// file that mentions "Resources" may be a template, and Parse reports the
// error.
func brokenJSON(src []byte) (bool, string) {
	if bytes.Contains(src, []byte(`"Resources"`)) {
		return true, ""
	}
	return false, WhyNotTemplate
}

// hasTopLevelKey reports whether a line of YAML src starts with key
// (plain or quoted) followed by a colon.
func hasTopLevelKey(src []byte, key string) bool {
	for i := 0; i < len(src); {
		j := bytes.Index(src[i:], []byte(key))
		if j < 0 {
			return false
		}
		j += i
		k := j
		if k > 0 && (src[k-1] == '"' || src[k-1] == '\'') {
			k--
		}
		if k == 0 || src[k-1] == '\n' || src[k-1] == '\r' || (k == len(bom) && bytes.HasPrefix(src, bom)) {
			rest := src[j+len(key):]
			if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
				rest = rest[1:]
			}
			rest = bytes.TrimLeft(rest, " \t")
			if len(rest) > 0 && rest[0] == ':' {
				return true
			}
		}
		i = j + len(key)
	}
	return false
}
