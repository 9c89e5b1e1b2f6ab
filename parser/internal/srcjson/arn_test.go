package srcjson

import "testing"

func TestAccountOf(t *testing.T) {
	tests := []struct{ arn, want string }{
		{"arn:aws:iam::123456789012:role/x", "123456789012"},
		{"arn:aws-cn:iam::123456789012:role/x", "123456789012"},
		{"arn:aws-us-gov:iam::123456789012:role/a/b", "123456789012"},
		{"arn:aws-iso:iam::123456789012:role/x", "123456789012"},
		{"arn:aws-iso-b:iam::123456789012:role/x", "123456789012"},
		{"arn:aws:iam::12345678901:role/x", ""},
		{"arn:aws:iam::1234567890123:role/x", ""},
		{"arn:aws:iam::12345678901a:role/x", ""},
		{"arn:azure:iam::123456789012:role/x", ""},
		{"arn:aws:iam::123456789012", ""},
		{"role/x", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := AccountOf(tt.arn); got != tt.want {
			t.Errorf("AccountOf(%q): got %q want %q", tt.arn, got, tt.want)
		}
	}
}
