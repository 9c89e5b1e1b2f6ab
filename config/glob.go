package config

import (
	"path"
	"strings"
)

// MatchGlob reports whether the slash-separated path name matches pattern.
// Pattern segments follow path.Match; a "**" segment matches any number of
// segments, including none. A pattern without a slash matches the base name
// at any depth (like .gitignore). A pattern that matches a directory matches
// everything below it.
func MatchGlob(pattern, name string) (bool, error) {
	pattern = strings.TrimPrefix(pattern, "./")
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	if !strings.Contains(strings.TrimSuffix(pattern, "/"), "/") {
		pattern = "**/" + pattern
	}
	pattern = strings.TrimSuffix(pattern, "/")
	// Validate every segment once, even when name is empty.
	for _, seg := range strings.Split(pattern, "/") {
		if seg == "**" {
			continue
		}
		if _, err := path.Match(seg, ""); err != nil {
			return false, err
		}
	}
	if name == "" {
		return false, nil
	}
	return matchSegs(strings.Split(pattern, "/"), strings.Split(name, "/")), nil
}

func matchSegs(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			rest := pat[1:]
			for i := 0; i <= len(name); i++ {
				if matchSegs(rest, name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	// The pattern matched a directory: everything below it matches too.
	return true
}

// Excluded reports whether the slash-separated path matches any exclude glob.
func (c *Config) Excluded(name string) bool {
	for _, p := range c.Exclude {
		if ok, _ := MatchGlob(p, name); ok {
			return true
		}
	}
	return false
}
