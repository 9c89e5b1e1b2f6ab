package report

import (
	"bufio"
	"bytes"
	_ "embed" // the page's template, style sheet and script
	"encoding/json"
	"errors"
	"html/template"
	"slices"
	"strings"
	"sync"

	"github.com/trustlint/trustlint/audit"
	"github.com/trustlint/trustlint/model"
)

func init() { formats["html"] = writeHTML }

// The HTML report is one self-contained file: the page, its style sheet
// and its script are embedded, the data is one JSON document inside the
// page, and nothing is loaded from the network. The script renders the
// tables, the trust graph and the role details from the data; the
// overview is rendered here so that the page says the essentials even
// without scripts. Equal input gives equal bytes: everything is sorted and
// nothing depends on the time or the machine.

//go:embed html/report.html
var htmlPage string

//go:embed html/report.css
var htmlCSS string

//go:embed html/report.js
var htmlJS string

// htmlTemplate is parsed on first use, not at start-up: most runs write
// another format.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Parse(htmlPage))
})

// htmlData is the JSON document the page's script reads. Short keys keep
// a 20,000-role page small; report.js names them in one place.
type htmlData struct {
	Inside     bool            `json:"inside"`
	Files      []string        `json:"files"`
	Roles      []htmlRole      `json:"roles"`
	Findings   []htmlFinding   `json:"findings"`
	Rules      []htmlRule      `json:"rules"`
	Outside    []htmlOutside   `json:"outside"`
	Principals []htmlPrincipal `json:"principals"`
	Cycles     [][]string      `json:"cycles"`
}

type htmlRole struct {
	Name     string        `json:"n"`
	ARN      string        `json:"a,omitempty"`
	File     int           `json:"f"`
	Exposure []string      `json:"x"`
	Worst    string        `json:"w,omitempty"`
	Grants   []htmlGrant   `json:"g"`
	Assumers []htmlAssumer `json:"i,omitempty"`
	Findings []int         `json:"fi,omitempty"` // indexes into htmlData.Findings
	LastUsed string        `json:"lu,omitempty"`
	Revoked  bool          `json:"rv,omitempty"`
	Depth    int           `json:"cd,omitempty"`
	Chain    []string      `json:"ch,omitempty"`
	Cycle    bool          `json:"cy,omitempty"`
	Policy   any           `json:"p,omitempty"`
}

type htmlGrant struct {
	Kind       string   `json:"k"`
	Principal  string   `json:"p"`
	Account    string   `json:"ac,omitempty"`
	Vendor     string   `json:"v,omitempty"`
	Own        bool     `json:"o,omitempty"`
	Conditions []string `json:"c,omitempty"`
	Guards     []string `json:"gu,omitempty"`
	Rules      []string `json:"r,omitempty"`
	Worst      string   `json:"w,omitempty"`
}

type htmlAssumer struct {
	Kind       model.PrincipalKind `json:"k"`
	ARN        string              `json:"a"`
	Name       string              `json:"n"`
	Via        string              `json:"via"`
	Groups     []string            `json:"gr,omitempty"`
	Policies   []string            `json:"po,omitempty"`
	Conditions []string            `json:"c,omitempty"`
}

type htmlFinding struct {
	Rule    string `json:"r"`
	Level   string `json:"l"`
	Message string `json:"m"`
	Role    int    `json:"ro"` // index into htmlData.Roles, -1 when unknown
	File    string `json:"f"`
	Line    int    `json:"ln"`
	Column  int    `json:"co"`
	Path    string `json:"p"`
}

type htmlRule struct {
	ID          string `json:"id"`
	Name        string `json:"n"`
	Title       string `json:"t"`
	Level       string `json:"l"`
	Description string `json:"d"`
	Remediation string `json:"rm,omitempty"`
}

type htmlOutside struct {
	Kind      string   `json:"k"`
	Principal string   `json:"p"`
	Account   string   `json:"ac,omitempty"`
	Vendor    string   `json:"v,omitempty"`
	Roles     []int    `json:"ro"`
	Guards    []string `json:"gu"`
	Unguarded int      `json:"ug"`
	Worst     string   `json:"w,omitempty"`
}

type htmlPrincipal struct {
	Kind    model.PrincipalKind `json:"k"`
	Name    string              `json:"n"`
	ARN     string              `json:"a"`
	Groups  []string            `json:"gr,omitempty"`
	Reaches int                 `json:"re"`
}

// htmlOverview is what the template renders without the script.
type htmlOverview struct {
	Tool         Tool
	Roles        int
	RolesFlagged int
	Findings     int
	ByLevel      levelCounts
	Exposure     []htmlCount
	Outside      int
	Inside       bool
	Users        int
	Errors       int
	Files        int
}

type htmlCount struct {
	Name  string
	Count int
}

type htmlPageData struct {
	Overview htmlOverview
	CSS      template.CSS
	JS       template.JS
	Data     template.JS
}

func writeHTML(buf *bufio.Writer, v *view) error {
	acct := v.audit
	if acct == nil {
		acct = &audit.Account{}
	}
	d := htmlData{Inside: acct.Inside, Cycles: acct.Cycles}
	files := map[string]int{}
	fileIndex := func(f string) int {
		f = v.display(v.wd, f)
		i, ok := files[f]
		if !ok {
			i = len(d.Files)
			files[f] = i
			d.Files = append(d.Files, f)
		}
		return i
	}
	roleIndex := map[*audit.Role]int{}
	byName := map[string]int{}
	for _, r := range acct.Roles {
		name := r.Ref().String()
		hr := htmlRole{Name: name, ARN: r.ARN, File: fileIndex(r.File), Exposure: r.Exposure, Revoked: r.SessionsRevoked,
			Depth: r.ChainDepth, Chain: r.Chain, Cycle: r.Cycle, Policy: model.CutValue(r.Policy)}
		if r.LastUsed != nil {
			hr.LastUsed = strings.TrimSpace(r.LastUsed.Date + " " + r.LastUsed.Region)
		}
		for _, g := range r.Grants {
			hg := htmlGrant{Kind: g.Kind, Principal: g.Principal, Account: g.Account, Vendor: g.Vendor, Own: g.Own && !g.Outside(), Rules: g.Rules, Worst: g.Worst}
			hg.Conditions, hg.Guards = conditionTexts(g.Conditions)
			hr.Grants = append(hr.Grants, hg)
		}
		for _, as := range r.Assumers {
			ha := htmlAssumer{Kind: as.Kind, ARN: as.ARN, Name: as.Name, Via: as.Via, Groups: as.Groups, Policies: as.Policies}
			ha.Conditions, _ = conditionTexts(as.Conditions)
			hr.Assumers = append(hr.Assumers, ha)
		}
		roleIndex[r] = len(d.Roles)
		if _, dup := byName[name]; !dup {
			byName[name] = len(d.Roles)
		}
		d.Roles = append(d.Roles, hr)
	}
	for _, f := range v.findings {
		ri := -1
		if r := acct.RoleOf(f, v.original[f.Range.File]); r != nil {
			ri = roleIndex[r]
		} else if i, ok := byName[f.Ref().String()]; ok {
			ri = i
		}
		fi := len(d.Findings)
		d.Findings = append(d.Findings, htmlFinding{Rule: f.RuleID, Level: band(f), Message: f.Message, Role: ri,
			File: f.Range.File, Line: f.Range.Start.Line, Column: f.Range.Start.Column, Path: f.Path})
		if ri >= 0 {
			d.Roles[ri].Findings = append(d.Roles[ri].Findings, fi)
			if worse := band(f); model.LevelRank(worse) > model.LevelRank(d.Roles[ri].Worst) {
				d.Roles[ri].Worst = worse
			}
		}
	}
	for _, m := range v.rules {
		d.Rules = append(d.Rules, htmlRule{ID: m.ID, Name: m.Name, Title: m.Title, Level: m.Level(),
			Description: m.Description, Remediation: m.Remediation})
	}
	for _, op := range acct.Outside {
		ho := htmlOutside{Kind: op.Kind, Principal: op.Principal, Account: op.Account, Vendor: op.Vendor,
			Guards: op.Guards, Unguarded: op.Unguarded, Worst: op.Worst}
		for _, name := range op.Roles {
			if i, ok := byName[name]; ok {
				ho.Roles = append(ho.Roles, i)
			}
		}
		d.Outside = append(d.Outside, ho)
	}
	for _, p := range acct.Principals {
		d.Principals = append(d.Principals, htmlPrincipal{Kind: p.Kind, Name: p.Name, ARN: p.ARN, Groups: p.Groups, Reaches: p.Reaches})
	}
	data, err := json.Marshal(d) // escapes <, > and &: safe inside a script element
	if err != nil {
		return err
	}
	errs, _ := v.countDiagnostics()
	ov := htmlOverview{Tool: v.tool, Roles: len(d.Roles), Findings: len(v.findings), ByLevel: v.levelCounts(),
		Outside: len(d.Outside), Inside: d.Inside, Errors: errs, Files: v.stats.FilesScanned}
	if ov.Roles < v.stats.RolesAnalyzed {
		ov.Roles = v.stats.RolesAnalyzed
	}
	exposure := map[string]int{}
	for _, r := range d.Roles {
		if len(r.Findings) > 0 {
			ov.RolesFlagged++
		}
		for _, x := range r.Exposure {
			exposure[x]++
		}
	}
	for _, x := range []string{audit.ExposureExternal, audit.ExposureWildcard, audit.ExposureFederated, audit.ExposureService, audit.ExposureOwn, audit.ExposureNone} {
		ov.Exposure = append(ov.Exposure, htmlCount{Name: x, Count: exposure[x]})
	}
	for _, p := range d.Principals {
		if p.Kind == model.KindUser {
			ov.Users++
		}
	}
	// The template gets a marker where the data goes: the escaper need
	// not copy megabytes of JSON it would leave as they are.
	var page bytes.Buffer
	err = htmlTemplate().Execute(&page, htmlPageData{
		Overview: ov,
		CSS:      template.CSS(htmlCSS), //nolint:gosec // G203: our own embedded style sheet
		JS:       template.JS(htmlJS),   //nolint:gosec // G203: our own embedded script
		Data:     dataMarker,
	})
	if err != nil {
		return err
	}
	before, after, ok := bytes.Cut(page.Bytes(), []byte(dataMarker))
	if !ok {
		return errors.New("html template lost the data marker")
	}
	// A write error sticks to buf: Write reports it when it flushes.
	_, _ = buf.Write(before)
	_, _ = buf.Write(data)
	_, _ = buf.Write(after)
	return nil
}

// dataMarker stands for the data in the rendered template, which holds
// nothing else like it (the data is spliced in after rendering).
const dataMarker = `"trustlint-data"`

// conditionTexts renders conditions as IAM writes them, and lists their
// guard kinds (sorted, distinct).
func conditionTexts(cs []audit.Condition) (texts, guards []string) {
	for _, c := range cs {
		texts = append(texts, c.String())
		if c.Guard != "" && !slices.Contains(guards, c.Guard) {
			guards = append(guards, c.Guard)
		}
	}
	slices.Sort(guards)
	return texts, guards
}
