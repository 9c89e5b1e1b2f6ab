package terraform

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser/internal/srcmaptest"
)

// parsePlan parses a plan and checks the invariants of every role.
func parsePlan(t *testing.T, file string, src []byte) ([]*model.Role, []model.Diagnostic) {
	t.Helper()
	var roles []*model.Role
	diags := Parser{}.Parse(file, src, func(r *model.Role) { roles = append(roles, r) })
	for _, r := range roles {
		if bad := srcmaptest.BadRanges(r.Source, file, src); len(bad) > 0 {
			t.Errorf("role %s: %v", r.Name, bad)
		}
		if miss := srcmaptest.Unmapped(r.Policy, model.PolicyPath, r.Source); len(miss) > 0 {
			t.Errorf("role %s: values without a source range: %v", r.Name, miss)
		}
	}
	for _, d := range diags {
		if msg := srcmaptest.CheckRange(d.Range, file, src); msg != "" {
			t.Errorf("diagnostic %q: %s", d.Message, msg)
		}
	}
	return roles, diags
}

func TestPlan(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(testdata, "plan", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	const file = "plan.json"
	if ok, why := (Parser{}).Match(file, src); !ok {
		t.Fatalf("Match: %s", why)
	}
	roles, diags := parsePlan(t, file, src)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", messages(diags))
	}
	var names []string
	byName := map[string]*model.Role{}
	for _, r := range roles {
		names = append(names, r.Name)
		byName[r.Name] = r
		if r.Format != model.FormatTerraformPlan || r.File != file || !r.HasPolicy {
			t.Errorf("role %s: format %s, file %s, has policy %v", r.Name, r.Format, r.File, r.HasPolicy)
		}
		if r.OwnAccount != "111111111111" {
			t.Errorf("role %s: own account %q", r.Name, r.OwnAccount)
		}
	}
	// resource_changes first (deletions and deposed objects skipped), then
	// the planned_values roles that resource_changes does not list.
	wantNames := []string{
		"aws_iam_role.ops", "aws_iam_role.replaced", "aws_iam_role.later",
		`module.ci.aws_iam_role.deploy["a"]`, "module.ci.module.inner[0].aws_iam_role.x[0]",
	}
	if !reflect.DeepEqual(names, wantNames) {
		t.Fatalf("roles %q, want %q", names, wantNames)
	}
	tests := []struct {
		role   string
		values map[string]string
		keys   map[string]string
		aws    any
	}{
		{
			role: "aws_iam_role.ops", // from resource_changes' after, not planned_values
			values: map[string]string{
				"role":                                 "plan.json:63:5-79:6",
				"role.MaxSessionDuration":              "plan.json:74:11-74:40",
				"policy.Statement[0].Principal.AWS[0]": "plan.json:75:125-75:159",
			},
			keys: map[string]string{"role.MaxSessionDuration": "plan.json:74:11-74:33"},
			aws:  []any{"arn:aws:iam::888888888888:root"},
		},
		{
			role:   "aws_iam_role.replaced",
			values: map[string]string{"policy.Statement[0].Principal.AWS[0]": "plan.json:100:159-100:193"},
			aws:    []any{"arn:aws:iam::555555555555:root"},
		},
		{
			role:   `module.ci.aws_iam_role.deploy["a"]`,
			values: map[string]string{"policy.Statement[0].Principal.AWS[0]": "plan.json:39:131-39:136"},
			aws:    []any{"*"},
		},
		{
			role:   "module.ci.module.inner[0].aws_iam_role.x[0]",
			values: map[string]string{"policy.Statement[0].Principal.AWS[0]": "plan.json:53:144-53:182"},
			aws:    []any{"arn:aws:iam::666666666666:user/bob"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			r := byName[tt.role]
			diffSpans(t, "value", r.Source.Values, tt.values)
			diffSpans(t, "key", r.Source.Keys, tt.keys)
			if got := at(r.Policy, aws...); !reflect.DeepEqual(got, tt.aws) {
				t.Errorf("AWS principals %v, want %v", got, tt.aws)
			}
		})
	}
	ops := byName["aws_iam_role.ops"]
	if ops.MaxSessionDuration != 43200.0 || ops.RoleName != "ops" || ops.ARN != "arn:aws:iam::111111111111:role/ops" {
		t.Errorf("ops attributes: %v %q %q", ops.MaxSessionDuration, ops.RoleName, ops.ARN)
	}
	later := byName["aws_iam_role.later"]
	if !reflect.DeepEqual(later.Policy, model.Unknown(KnownAfterApply)) || !reflect.DeepEqual(later.MaxSessionDuration, model.Unknown(KnownAfterApply)) {
		t.Errorf("later: policy %v, max session %v; want both unknown", later.Policy, later.MaxSessionDuration)
	}
	if deploy := byName[`module.ci.aws_iam_role.deploy["a"]`]; deploy.RoleName != "deploy-a" || deploy.IAMPath != "/ci/" {
		t.Errorf("deploy: name %q path %q", deploy.RoleName, deploy.IAMPath)
	}
}

func TestPlanOwnAccount(t *testing.T) {
	doc := `"{\"Statement\":[]}"`
	plan := func(identities ...string) string {
		var b strings.Builder
		b.WriteString(`{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "values": {"assume_role_policy": ` + doc + `}}]}},
"prior_state": {"values": {"root_module": {"resources": [`)
		for i, id := range identities {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`{"mode": "data", "type": "aws_caller_identity", "values": {"account_id": "` + id + `"}}`)
		}
		b.WriteString("]}}}}")
		return b.String()
	}
	tests := []struct {
		name, src, want string
	}{
		{"one identity", plan("222222222222"), "222222222222"},
		{"same account twice", plan("222222222222", "222222222222"), "222222222222"},
		{"two accounts: ambiguous", plan("222222222222", "333333333333"), ""},
		{"none", plan(), ""},
		{"not an account ID", plan("abc"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roles, diags := parsePlan(t, "p.json", []byte(tt.src))
			if len(diags) > 0 || len(roles) != 1 {
				t.Fatalf("roles %d, diagnostics:\n%s", len(roles), messages(diags))
			}
			if roles[0].OwnAccount != tt.want {
				t.Errorf("own account %q, want %q", roles[0].OwnAccount, tt.want)
			}
		})
	}
}

func TestPlanErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		roles           int
	}{
		{"syntax error", `{"format_version": "1.2", "planned_values": {"root_module": {]}}`, "p.json:1:62: invalid JSON", 0},
		{"not an object", `[1]`, "p.json:1:1: not a Terraform plan", 0},
		{"empty", ``, "p.json:1:1: invalid JSON: empty input", 0},
		{"broken policy", `{"format_version": "1.2", "resource_changes": [{"address": "aws_iam_role.r", "type": "aws_iam_role", "mode": "managed", "change": {"actions": ["create"], "after": {"assume_role_policy": "{\"Statement\": [}"}}}]}`, "p.json:1:205: embedded policy document: invalid JSON", 0},
		{"policy not JSON", `{"format_version": "1.2", "resource_changes": [{"address": "aws_iam_role.r", "type": "aws_iam_role", "change": {"actions": ["create"], "after": {"assume_role_policy": ""}}}]}`, "", 1},
		{"trailing data", `{"format_version": "1.2", "planned_values": {}} x`, "p.json:1:49: invalid JSON", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roles, diags := parsePlan(t, "p.json", []byte(tt.src))
			if len(roles) != tt.roles {
				t.Errorf("%d roles, want %d", len(roles), tt.roles)
			}
			got := messages(diags)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("diagnostics:\n%s\nwant one starting %q", got, tt.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		path, src string
		want      bool
		why       string
	}{
		{"plan.json", `{"format_version": "1.2", "planned_values": {}}`, true, ""},
		{"plan.json", `{"resource_changes": [], "terraform_version": "1", "format_version": "1.2"}`, true, ""},
		{"PLAN.JSON", `{"format_version": "1.2", "resource_changes": []}`, true, ""},
		{"plan.json", `{"format_version": "1.2", "planned_values": `, true, ""},
		{"state.json", `{"format_version": "1.0", "values": {}}`, false, WhyState},
		{"main.tf.json", `{"format_version": "1.2", "planned_values": {}}`, false, WhyModuleFile},
		{"plan.txt", `{"format_version": "1.2", "planned_values": {}}`, false, WhyNotJSON},
		{"trust.json", `{"Statement": []}`, false, WhyNotPlan},
		{"x.json", `{"a": {"format_version": "1.2", "planned_values": {}}}`, false, WhyNotPlan},
		{"x.json", `["format_version", "planned_values"]`, false, WhyNotPlan},
	}
	for _, tt := range tests {
		ok, why := Parser{}.Match(tt.path, []byte(tt.src))
		if ok != tt.want || why != tt.why {
			t.Errorf("Match(%s, %s) = %v %q, want %v %q", tt.path, tt.src, ok, why, tt.want, tt.why)
		}
	}
}
