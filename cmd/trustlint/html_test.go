package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trustlint/trustlint/internal/exportgen"
)

// chromium returns the headless Chromium binary. Without one the tests
// that render the HTML report are skipped on a developer machine and fail
// in CI (CI=true), where .ci/run installs Debian's chromium.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed: .ci/run installs it (apt-get install chromium)")
	}
	t.Skip("chromium is not installed (CI=true makes this a failure)")
	return ""
}

// headless runs Chromium on the page file with args (--dump-dom,
// --screenshot=...) and returns its standard output. Nothing may reach the
// network: the flags switch off every background request.
func headless(t *testing.T, bin, page string, args ...string) []byte {
	t.Helper()
	abs, err := filepath.Abs(page)
	if err != nil {
		t.Fatal(err)
	}
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=10000", "--window-size=1400,1000"}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(append(base, args...), "file://"+filepath.ToSlash(abs))...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errb.String())
	}
	return out.Bytes()
}

// htmlReport writes the HTML report of paths (scanned from dir) to a file
// and returns its path and bytes.
func htmlReport(t *testing.T, dir string, paths ...string) (string, []byte) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.html")
	args := append([]string{"scan", "--exit-zero", "--format", "html", "--output", out}, paths...)
	if code, _, errOut := trustlint(t, dir, args...); code != ExitOK {
		t.Fatalf("scan exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return out, b
}

var remoteRef = regexp.MustCompile(`(?i)\b(src|href|xlink:href)\s*=\s*["']?\s*(https?:)?//`)

// TestHTMLReportInChromium renders the report of a generated 2,000-role
// export in headless Chromium: every role is in the rendered page, nothing
// refers to the network, a screenshot is written, and two runs give the
// same bytes.
func TestHTMLReportInChromium(t *testing.T) {
	bin := chromium(t)
	wd, _ := os.Getwd()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "export.json"))
	if err != nil {
		t.Fatal(err)
	}
	const n = 2000
	if err := exportgen.WritePretty(f, n); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	page, first := htmlReport(t, dir, "export.json")
	_, second := htmlReport(t, dir, "export.json")
	t.Chdir(wd)
	if !bytes.Equal(first, second) {
		t.Error("two runs over the same export gave different HTML")
	}
	if m := remoteRef.Find(first); m != nil {
		t.Errorf("the page refers to the network: %s", m)
	}
	dom := headless(t, bin, page, "--dump-dom")
	if m := remoteRef.Find(dom); m != nil {
		t.Errorf("the rendered page refers to the network: %s", m)
	}
	for i := range n {
		name := exportgen.Expected(i).Name
		if !bytes.Contains(dom, []byte(">"+name+"</a>")) {
			t.Fatalf("role %s is not in the rendered page", name)
		}
	}
	if !bytes.Contains(dom, []byte(`<svg`)) || !bytes.Contains(dom, []byte(`class="node kind-role agg`)) {
		t.Error("the trust graph of 2,000 roles is not drawn with aggregated roles")
	}
	shot := filepath.Join(t.TempDir(), "report.png")
	headless(t, bin, page, "--screenshot="+shot)
	if st, err := os.Stat(shot); err != nil || st.Size() < 10000 {
		t.Errorf("screenshot: %v (%d bytes)", err, st.Size())
	}
}

// TestHTMLTrustGraph checks the nodes and edges Chromium draws for the
// bundled account export: outside principals, services, users, groups and
// roles, role-to-role edges and the self-assuming cycles.
func TestHTMLTrustGraph(t *testing.T) {
	bin := chromium(t)
	wd, _ := os.Getwd()
	page, _ := htmlReport(t, "../..", "testdata/examples/account-audit.json")
	t.Chdir(wd)
	dom := string(headless(t, bin, page, "--dump-dom"))
	var nodes []string
	for _, m := range regexp.MustCompile(`<g class="node[^"]*" data-id="([^"]*)"`).FindAllStringSubmatch(dom, -1) {
		nodes = append(nodes, m[1])
	}
	var edges []string
	for _, m := range regexp.MustCompile(`<path [^>]*data-from="([^"]*)" data-to="([^"]*)"`).FindAllStringSubmatch(dom, -1) {
		edges = append(edges, m[1]+" -> "+m[2])
	}
	slices.Sort(nodes)
	slices.Sort(edges)
	wantNodes := []string{
		"group:Admins", "group:Developers",
		"out:account:210987654321", "out:account:464622532012", "out:account:777777777777",
		"out:oidc:arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
		"out:saml:arn:aws:iam::123456789012:saml-provider/okta", "out:wildcard:*",
		"role:audit-readonly", "role:break-glass", "role:datadog-integration", "role:deploy-prod",
		"role:dev-sandbox", "role:github-deploy", "role:legacy-partner", "role:okta-sso-admin",
		"role:ops-automation", "role:ops-runner", "role:order-processor", "role:public-reader",
		"svc:ec2.amazonaws.com", "svc:lambda.amazonaws.com",
		"user:alice", "user:bob", "user:carol", "user:ci-bot", "user:dave",
	}
	if !slices.Equal(nodes, wantNodes) {
		t.Errorf("graph nodes:\n got %q\nwant %q", nodes, wantNodes)
	}
	wantEdges := []string{
		"group:Admins -> role:break-glass", "group:Admins -> role:deploy-prod", "group:Admins -> role:dev-sandbox", "group:Admins -> role:ops-automation",
		"group:Developers -> role:dev-sandbox",
		"out:account:210987654321 -> role:audit-readonly", "out:account:464622532012 -> role:datadog-integration", "out:account:777777777777 -> role:legacy-partner",
		"out:oidc:arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com -> role:github-deploy",
		"out:saml:arn:aws:iam::123456789012:saml-provider/okta -> role:okta-sso-admin",
		"out:wildcard:* -> role:public-reader",
		"role:break-glass -> role:break-glass", "role:break-glass -> role:deploy-prod", "role:break-glass -> role:dev-sandbox", "role:break-glass -> role:ops-automation",
		"role:deploy-prod -> role:dev-sandbox",
		"role:okta-sso-admin -> role:break-glass", "role:okta-sso-admin -> role:deploy-prod", "role:okta-sso-admin -> role:dev-sandbox", "role:okta-sso-admin -> role:ops-automation",
		"role:ops-automation -> role:ops-automation", "role:ops-runner -> role:ops-automation",
		"svc:ec2.amazonaws.com -> role:ops-runner", "svc:lambda.amazonaws.com -> role:order-processor",
		"user:alice -> group:Admins", "user:bob -> group:Developers", "user:bob -> role:deploy-prod",
		"user:carol -> role:deploy-prod", "user:carol -> role:dev-sandbox", "user:carol -> role:ops-automation",
		"user:ci-bot -> role:deploy-prod", "user:ci-bot -> role:dev-sandbox", "user:ci-bot -> role:ops-automation",
		"user:dave -> role:audit-readonly",
	}
	if !slices.Equal(edges, wantEdges) {
		t.Errorf("graph edges:\n got %q\nwant %q", edges, wantEdges)
	}
}

// pageTest drives the filters and the search of the report from inside
// the page and writes what it saw into #test-result, for --dump-dom.
const pageTest = `<script>
(async function () {
  const out = {};
  const tick = () => new Promise((r) => setTimeout(r, 0));
  const set = async (id, v) => { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event("input")); await tick(); };
  const rows = (id) => document.querySelectorAll("#" + id + " tbody tr").length;
  out.roles = rows("role-table");
  await set("role-search", "ops-");
  out.rolesOps = rows("role-table");
  await set("role-search", "");
  await set("role-sev", "4");
  out.rolesCritical = rows("role-table");
  await set("role-sev", "0");
  await set("role-exposure", "service");
  out.rolesService = rows("role-table");
  await set("role-exposure", "");
  out.findings = rows("finding-table");
  await set("finding-rule", "TL001");
  out.findingsTL001 = rows("finding-table");
  await set("finding-rule", "");
  await set("finding-search", "public-reader");
  out.findingsSearch = rows("finding-table");
  await set("finding-search", "");
  await set("who-search", "datadog");
  out.who = rows("who-table");
  await set("graph-search", "deploy");
  out.graphHits = document.querySelectorAll("#graph-view .node.hit").length;
  await set("graph-search", "");
  await set("graph-source", "account:777777777777");
  out.graphRoles = document.querySelectorAll("#graph-view .node.kind-role").length;
  await set("graph-source", "");
  location.hash = "#role/" + [...document.querySelectorAll("#role-table a")].find((a) => a.textContent === "legacy-partner").getAttribute("href").slice(6);
  await new Promise((r) => setTimeout(r, 50));
  out.detailMarks = document.querySelectorAll("#detail pre.policy mark").length;
  out.detailShown = !document.getElementById("detail").hidden;
  const pre = document.createElement("pre");
  pre.id = "test-result";
  pre.textContent = JSON.stringify(out);
  document.body.append(pre);
})();
</script>`

// TestHTMLFiltersAndSearch runs a script inside the report of the bundled
// export that sets the filters and search fields as a user would and
// counts what the page then shows.
func TestHTMLFiltersAndSearch(t *testing.T) {
	bin := chromium(t)
	wd, _ := os.Getwd()
	page, b := htmlReport(t, "../..", "testdata/examples/account-audit.json")
	t.Chdir(wd)
	test := bytes.Replace(b, []byte("</body>"), []byte(pageTest+"</body>"), 1)
	if err := os.WriteFile(page, test, 0o600); err != nil {
		t.Fatal(err)
	}
	dom := headless(t, bin, page, "--dump-dom")
	m := regexp.MustCompile(`<pre id="test-result">(.*?)</pre>`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the page test wrote no result:\n%s", dom[max(0, len(dom)-2000):])
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(strings.ReplaceAll(string(m[1]), "&quot;", `"`)), &got); err != nil {
		t.Fatalf("result %s: %v", m[1], err)
	}
	want := map[string]any{
		"roles": 12.0, "rolesOps": 2.0, "rolesCritical": 1.0, "rolesService": 2.0,
		"findings": 3.0, "findingsTL001": 1.0, "findingsSearch": 1.0, "who": 1.0,
		"graphHits": 2.0, "graphRoles": 1.0, "detailMarks": 1.0, "detailShown": true,
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %v want %v", k, got[k], w)
		}
	}
}
