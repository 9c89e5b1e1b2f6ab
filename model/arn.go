package model

import "strings"

// AccountOf returns the 12-digit account ID of an ARN in any partition
// (arn:aws:..., arn:aws-cn:..., arn:aws-us-gov:..., arn:aws-iso-b:...), or ""
// when arn is not such an ARN.
func AccountOf(arn string) string {
	// arn:partition:service:region:account:resource
	var fields [5]string
	rest := arn
	for i := range fields {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return ""
		}
		fields[i], rest = rest[:j], rest[j+1:]
	}
	if fields[0] != "arn" || !isPartition(fields[1]) || fields[2] == "" || rest == "" {
		return ""
	}
	if !IsAccountID(fields[4]) {
		return ""
	}
	return fields[4]
}

// IsAccountID reports whether s is a 12-digit AWS account ID.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isPartition reports whether s looks like an AWS partition name: "aws" or
// "aws-" followed by lowercase letters, digits and dashes.
func isPartition(s string) bool {
	if s == "aws" {
		return true
	}
	if len(s) < 5 || s[:4] != "aws-" {
		return false
	}
	for i := 4; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}
