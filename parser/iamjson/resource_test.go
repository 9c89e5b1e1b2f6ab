package iamjson

import (
	"testing"

	"github.com/trustlint/trustlint/model"
)

// A resource or identity policy (bare or as the CLI prints it) handed to
// Parse directly gives no role and no diagnostic; a trust policy that also has a Resource is still one.
func TestParseResourcePolicy(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		roles int
	}{
		{"key policy", `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*"}]}`, 0},
		{"trust policy with Resource", `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Resource": "*"}]}`, 1},
		{"ECR repository policy", `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "ecr:BatchGetImage"}]}`, 0},
		{"no Resource, an action of no service", `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "AssumeRole"}]}`, 1},
		{"empty statements", `{"Statement": [], "Id": "Principal"}`, 1},
		// Identity policies mention no Principal.
		{"identity policy", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/deploy"}]}`, 0},
		{"empty statements, no Principal", `{"Statement": []}`, 0},
		{"get-role-policy output", getRolePolicy, 0},
		{"get-user-policy output", `{"UserName": "u", "PolicyName": "p", "PolicyDocument": {"Statement": [{"Principal": "*", "Action": "sts:AssumeRole"}]}}`, 0},
		{"get-role-policy output with a Version", `{"Version": "2012-10-17", "RoleName": "r", "PolicyDocument": {}}`, 0},
		{"get-policy-version output", `{"PolicyVersion": {"Document": {"Statement": []}, "VersionId": "v2"}}`, 0},
		// aws kms get-key-policy and aws s3api get-bucket-policy.
		{"key policy in a string", `{"Policy": "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}]}", "PolicyName": "default"}`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var roles []*model.Role
			diags := Parser{}.Parse("p.json", []byte(tt.src), func(r *model.Role) { roles = append(roles, r) })
			if len(roles) != tt.roles || len(diags) != 0 {
				t.Errorf("got %d roles, diagnostics %v; want %d roles, none", len(roles), diags, tt.roles)
			}
		})
	}
}
