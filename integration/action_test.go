package integration

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/trustlint/trustlint/internal/sarifschema"
)

// action is the part of action.yml the tests read.
type action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
}

func readAction(t *testing.T) action {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

// TestActionDefinition checks action.yml without running it: the inputs
// the documentation promises, and run scripts that take inputs only
// through the environment (an expression inside a script is a script
// injection).
func TestActionDefinition(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", a.Runs.Using)
	}
	for name, def := range map[string]string{"args": ".", "sarif-file": "trustlint.sarif", "fail-on": "low", "version": ""} {
		in, ok := a.Inputs[name]
		if !ok {
			t.Errorf("input %s is missing", name)
		} else if in.Default != def {
			t.Errorf("input %s defaults to %q, want %q", name, in.Default, def)
		}
	}
	var names []string
	for _, s := range a.Runs.Steps {
		names = append(names, s.Name)
		if s.Run != "" && strings.Contains(s.Run, "${{") {
			t.Errorf("step %q: expression inside the run script; pass it through env", s.Name)
		}
		if s.Run != "" && s.Shell != "bash" {
			t.Errorf("step %q: shell %q, want bash", s.Name, s.Shell)
		}
	}
	for _, want := range []string{"Set up Go", "Install trustlint", "Run trustlint"} {
		if !slices.Contains(names, want) {
			t.Errorf("no step %q in %v", want, names)
		}
	}
	doc, err := os.ReadFile(filepath.Join(repoRoot(t), "docs", "github-code-scanning.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"github/codeql-action/upload-sarif@v4", "category: trustlint", "security-events: write", "if: always()", "uses: trustlint/trustlint@"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("docs/github-code-scanning.md lacks %q", want)
		}
	}
}

// expr matches the expressions action.yml passes to step environments.
var expr = regexp.MustCompile(`^\$\{\{\s*(inputs\.[a-z-]+|github\.action_path|github\.action_ref)\s*\}\}$`)

// runStep runs a step's script with bash the way the runner does: its env
// with the expressions replaced, plus the runner's files and variables.
func runStep(t *testing.T, s actionStep, ctx map[string]string, env []string, dir string) cmdResult {
	t.Helper()
	stepEnv := slices.Clone(env)
	for k, v := range s.Env {
		if !strings.Contains(v, "${{") { // a literal
			stepEnv = append(stepEnv, k+"="+v)
			continue
		}
		m := expr.FindStringSubmatch(v)
		if m == nil {
			t.Fatalf("step %q: env %s = %q is not a literal, a plain input or a github expression", s.Name, k, v)
		}
		val, ok := ctx[m[1]]
		if !ok {
			t.Fatalf("step %q: no value for %s", s.Name, m[1])
		}
		stepEnv = append(stepEnv, k+"="+val)
	}
	script := filepath.Join(t.TempDir(), "step.sh")
	if err := os.WriteFile(script, []byte(s.Run), 0o644); err != nil {
		t.Fatal(err)
	}
	// The runner's shell: bash, with -e and pipefail.
	return run(t, dir, stepEnv, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
}

// TestAction runs the action's install and scan scripts as a runner would
// for `uses: trustlint/trustlint@<ref>`: build trustlint from the action's
// checkout, scan a repository, write SARIF, and fail by fail-on.
func TestAction(t *testing.T) {
	requireIntegration(t, "bash", "go")
	a := readAction(t)
	steps := map[string]actionStep{}
	for _, s := range a.Runs.Steps {
		steps[s.Name] = s
	}
	// The build runs in this checkout: go.mod and go.sum must not change.
	env := toolEnv(t, "-mod=readonly")
	runner := t.TempDir()
	githubPath := filepath.Join(runner, "github_path")
	githubOutput := filepath.Join(runner, "github_output")
	env = append(env, "RUNNER_TEMP="+runner, "GITHUB_PATH="+githubPath, "GITHUB_OUTPUT="+githubOutput)

	workspace := t.TempDir()
	writeFiles(t, workspace, map[string]string{
		"iam/vendor-trust.json": badPolicy,
		"iam/ok.json":           goodPolicy,
		"package.json":          unrelated["package.json"],
	})

	ctx := map[string]string{
		"inputs.version":     "",
		"github.action_path": repoRoot(t),
		"github.action_ref":  "v9.8.7",
		"inputs.args":        ".",
		"inputs.sarif-file":  "reports/trustlint.sarif",
		"inputs.fail-on":     "low",
	}
	r := runStep(t, steps["Install trustlint"], ctx, env, workspace)
	if r.code != 0 {
		t.Fatalf("install step: exit %d\n%s", r.code, r.output)
	}
	if !strings.Contains(r.output, "trustlint v9.8.7") {
		t.Errorf("the installed trustlint does not report the action's tag:\n%s", r.output)
	}
	b, err := os.ReadFile(githubPath)
	if err != nil {
		t.Fatal(err)
	}
	bin := strings.TrimSpace(string(b))
	if _, err := os.Stat(filepath.Join(bin, "trustlint")); err != nil {
		t.Fatalf("GITHUB_PATH names %q, which has no trustlint: %v", bin, err)
	}
	if exe, err := os.ReadFile(filepath.Join(bin, "trustlint")); err == nil && bytes.Contains(exe, []byte("/ld-linux")) {
		t.Errorf("the action built a dynamically linked trustlint (it names the dynamic loader): CGO_ENABLED=0 is lost")
	}
	for i, e := range env {
		if strings.HasPrefix(e, "PATH=") {
			env[i] = "PATH=" + bin + string(os.PathListSeparator) + strings.TrimPrefix(e, "PATH=")
		}
	}

	tests := []struct {
		name, args, failOn string
		code               int
		results            int
	}{
		{"findings fail the step", ".", "low", 1, 1},
		{"below fail-on", ".", "critical", 0, 1},
		{"never", ".", "never", 0, 1},
		{"args with several paths and flags", "iam/ok.json package.json --skip-unrelated --verbose", "low", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.RemoveAll(filepath.Join(workspace, "reports")); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(githubOutput, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx["inputs.args"], ctx["inputs.fail-on"] = tt.args, tt.failOn
			r := runStep(t, steps["Run trustlint"], ctx, env, workspace)
			if r.code != tt.code {
				t.Errorf("run step: exit %d, want %d\n%s", r.code, tt.code, r.output)
			}
			out, err := os.ReadFile(githubOutput)
			if err != nil {
				t.Fatal(err)
			}
			want := "sarif-file=reports/trustlint.sarif\nexit-code=" + string(rune('0'+tt.code)) + "\n"
			if string(out) != want {
				t.Errorf("GITHUB_OUTPUT = %q, want %q", out, want)
			}
			data, err := os.ReadFile(filepath.Join(workspace, "reports", "trustlint.sarif"))
			if err != nil {
				t.Fatalf("no SARIF report: %v\n%s", err, r.output)
			}
			if err := sarifschema.Validate(data); err != nil {
				t.Error(err)
			}
			sarifschema.Save(t, data)
			var log struct {
				Runs []struct {
					Results []struct {
						RuleID    string `json:"ruleId"`
						Locations []struct {
							PhysicalLocation struct {
								ArtifactLocation struct {
									URI       string `json:"uri"`
									URIBaseID string `json:"uriBaseId"`
								} `json:"artifactLocation"`
							} `json:"physicalLocation"`
						} `json:"locations"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(data, &log); err != nil {
				t.Fatal(err)
			}
			res := log.Runs[0].Results
			if len(res) != tt.results {
				t.Fatalf("%d results, want %d", len(res), tt.results)
			}
			if tt.results > 0 {
				al := res[0].Locations[0].PhysicalLocation.ArtifactLocation
				if res[0].RuleID != "TL001" || al.URI != "iam/vendor-trust.json" || al.URIBaseID != "%SRCROOT%" {
					t.Errorf("result %s at %+v, want TL001 at iam/vendor-trust.json relative to the workspace", res[0].RuleID, al)
				}
			}
		})
	}
}
