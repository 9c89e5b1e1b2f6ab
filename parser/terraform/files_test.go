package terraform

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/trustlint/trustlint/model"
)

// TestFilesInTurnOrSpread: a module's files read in turn and spread over
// goroutines give the same roles, diagnostics and comments, in the same
// order: every file's part is merged in name order.
func TestFilesInTurnOrSpread(t *testing.T) {
	files := map[string]string{
		"variables.tf": `variable "partner" { default = "999999999999" }
locals { svc = "ec2.amazonaws.com" }
`,
		"broken.tf": `resource "aws_iam_role" "broken" {
  assume_role_policy = "unterminated
}
`,
		"huge.tf": `locals { big = 1e999999 }
`,
		"roles.tf.json": `{"resource": {"aws_iam_role": {"json_role": {
  "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::${var.partner}:root\"},\"Action\":\"sts:AssumeRole\"}]}"
}}}}
`,
	}
	for i := range 12 {
		files[fmt.Sprintf("role_%02d.tf", i)] = fmt.Sprintf(`# trustlint:ignore TL001 -- partner %d
resource "aws_iam_role" "r%d" {
  name = "role-%d"
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::${var.partner}:root", "Service": "${local.svc}"},
        "Action": "sts:AssumeRole"
      }]
    }
  EOT
}
`, i, i, i)
	}
	fsys := filesFS(files)
	type read struct {
		roles    []string
		diags    []model.Diagnostic
		comments []string
	}
	readWith := func(workers int) read {
		defer func(w int) { fileWorkers = w }(fileWorkers)
		fileWorkers = workers
		var r read
		sink := func(file string, cs []model.Comment) {
			for _, c := range cs {
				r.comments = append(r.comments, fmt.Sprintf("%s %v %s", file, c.Range, c.Text))
			}
		}
		r.diags = parseModuleFS(fsys, moduleDir, moduleDir, sink, func(role *model.Role) {
			r.roles = append(r.roles, fmt.Sprintf("%s %v %v", role.Name, role.Range, role.Input()))
		}, nil)
		return r
	}
	spread, inTurn := readWith(4), readWith(1)
	if len(spread.roles) != 13 || len(spread.comments) != 12 {
		t.Fatalf("%d roles and %d comments, want 13 and 12:\n%s", len(spread.roles), len(spread.comments), strings.Join(spread.roles, "\n"))
	}
	var errs, notes int
	for _, d := range spread.diags {
		if d.IsError() {
			errs++
		} else {
			notes++
		}
	}
	if errs == 0 || notes == 0 {
		t.Fatalf("diagnostics %v: want the syntax error of broken.tf and the note of huge.tf", spread.diags)
	}
	if !reflect.DeepEqual(spread, inTurn) {
		t.Errorf("files spread over goroutines:\n%+v\nread in turn:\n%+v", spread, inTurn)
	}
}
