// Package scan wires one trustlint run: it walks the paths it is given,
// hands each relevant file to its parser, evaluates the roles the parsers
// emit on a pool of workers, and resolves every finding to the source range
// of the element at fault. A file that cannot be read or parsed becomes a
// diagnostic; every other file is still analyzed.
package scan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/trustlint/trustlint/config"
	"github.com/trustlint/trustlint/internal/par"
	"github.com/trustlint/trustlint/internal/safefs"
	"github.com/trustlint/trustlint/internal/textenc"
	"github.com/trustlint/trustlint/model"
	"github.com/trustlint/trustlint/parser"
	"github.com/trustlint/trustlint/rules"
)

// skipDirs are directory names never walked into.
var skipDirs = map[string]bool{".git": true, ".terraform": true, "node_modules": true, ".hg": true, ".svn": true}

// Options configure a scan.
type Options struct {
	// Paths are files and directories to scan; none means ".".
	Paths []string
	// Root, when set, is the project root (--root): nothing outside it is
	// read. Otherwise each path's project root is safefs.FindRoot's (the
	// git work tree that holds it, else the path itself).
	Root string
	// MaxFileSize bounds the size of an input file read; 0 means
	// safefs.DefaultMaxSize.
	MaxFileSize int64
	// Limits are the parsers' limits (zero fields: their defaults).
	Limits parser.Limits
	// Stdin is the content of standard input, read for a path "-" or
	// "/dev/stdin" (the caller reads it, bounded by MaxFileSize); its
	// findings are in the file StdinName ("<stdin>" when empty).
	Stdin     []byte
	StdinName string
	// SkipUnrelated skips a named file that no parser reads, as a directory
	// walk does, instead of reporting an error (the pre-commit hook passes
	// every staged .json and .yaml file by name).
	SkipUnrelated bool
	// Config supplies exclude globs; nil means defaults.
	Config *config.Config
	// Engine evaluates the rules.
	Engine *rules.Engine
	// Verbose, when set, receives one line per skipped file or directory.
	Verbose func(msg string)
	// Workers bounds parallelism; 0 means GOMAXPROCS.
	Workers int
	// Baseline holds fingerprints of accepted findings (from a previous
	// SARIF report): findings with these fingerprints are left out.
	Baseline map[string]bool
	// Progress, when set, is called after each role is evaluated with the
	// number of roles evaluated and the number the parsers emitted so far
	// (the total grows while files are parsed). It is called from several
	// goroutines at once and must be cheap. (Added for the CLI's progress
	// bar, cmd/trustlint/progress.go; scan owner: keep or reshape.)
	Progress func(done, total int)
	// BytesProgress, when set, is called as the input is analyzed with the
	// bytes of the input files analyzed so far and their total, known after
	// the walk: a single big export moves the count as its roles are
	// evaluated (a role counts the bytes up to its end). It is called from
	// several goroutines at once and must be cheap.
	BytesProgress func(done, total int64)
	// Roles, when set, receives every role a parser emits, before it is
	// evaluated (the audit collects them). It is called from several
	// goroutines at once.
	Roles func(*model.Role)
	// Account, when set, receives the identity side of account exports
	// (users, groups, role permissions, managed policies) from the parsers
	// that read it (parser.AccountParser).
	Account model.AccountSink
}

// Result is what a scan found.
type Result struct {
	// Findings are all findings, suppressed ones included (marked).
	Findings    []model.Finding
	Diagnostics []model.Diagnostic
	Stats       model.Stats
	// Baselined counts findings left out because the baseline has them.
	Baselined int
}

// Reported returns the findings that are not suppressed.
func (r *Result) Reported() []model.Finding {
	out := make([]model.Finding, 0, len(r.Findings))
	for _, f := range r.Findings {
		if f.Suppressed == nil {
			out = append(out, f)
		}
	}
	return out
}

// Errors reports whether any diagnostic is an error (not a note).
func (r *Result) Errors() bool {
	for _, d := range r.Diagnostics {
		if d.IsError() {
			return true
		}
	}
	return false
}

// Run scans opts.Paths. The error is only for problems with the run itself
// (a cancelled context); problems with inputs are Result.Diagnostics.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if opts.Engine == nil {
		return nil, errors.New("scan: no rule engine")
	}
	if opts.Config == nil {
		opts.Config = config.Default()
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	paths := opts.Paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	s := &scanner{opts: opts, res: &Result{}, claimed: map[string]bool{}, boundaries: map[string]*safefs.Boundary{}}
	s.suppress = newSuppressor(opts.Config, opts.Engine.Catalog())
	defer s.closeBoundaries()

	// Walk first: Terraform modules are read as directory units, and the
	// files they read (file("trust.json")) are theirs, not bare documents.
	for _, p := range paths {
		s.walk(p)
	}
	if opts.BytesProgress != nil {
		for _, in := range s.files {
			if st, err := os.Stat(in.path); err == nil && in.root != nil {
				s.totalBytes += st.Size()
			}
		}
	}
	s.dropCalled()

	roles := make(chan evalItem, 256)
	var evalWG sync.WaitGroup
	for range workers {
		evalWG.Add(1)
		go func() {
			defer evalWG.Done()
			for it := range roles {
				s.evalRole(ctx, it)
			}
		}()
	}
	par.Each(workers, len(s.modules), func(i int) { s.parseModule(ctx, s.modules[i], roles) })
	par.Each(workers, len(s.files), func(i int) { s.parseFile(ctx, s.files[i], roles) })
	close(roles)
	evalWG.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.res.Diagnostics = append(s.res.Diagnostics, s.suppress.notes()...)
	s.res.Findings = slices.Concat(s.found...)
	model.SortFindings(s.res.Findings)
	s.res.Findings = dedupe(s.res.Findings)
	s.res.Diagnostics = model.CapDiagnostics(s.res.Diagnostics, model.MaxFileDiagnostics)
	return s.res, nil
}

// module is a directory read as one unit by a module parser.
type module struct {
	dir    string
	root   *safefs.Boundary
	parser parser.ModuleParser
	// files counts the configuration files of the module the walk found
	// (or the user named): the summary counts files, not modules.
	files int
	// named are the files of the unit the user named; walked is set when
	// a directory walk found the unit too (then every role counts).
	named  []string
	walked bool
}

// focus returns the named files that select which roles of the unit are
// evaluated, or nil for all of them.
func (m *module) focus() []string {
	if m.walked {
		return nil
	}
	return m.named
}

// evalItem is a role to evaluate.
type evalItem struct {
	role *model.Role
	// bytes are the bytes of its file that the role completes, for
	// Options.BytesProgress.
	bytes int64
	// root is the project root of the role's files (nil for standard
	// input): fingerprints name files relative to it.
	root *safefs.Boundary
}

type scanner struct {
	opts Options

	// boundaries are the project roots' read boundaries by directory.
	boundaries map[string]*safefs.Boundary

	files   []input
	modules []*module
	byDir   map[string]*module
	scoped  map[parser.ModuleParser]parser.ModuleParser // module parsers for this scan (forScan)

	mu  sync.Mutex
	res *Result
	// found holds each role's findings until the scan ends: appending
	// them to one slice copied it at every doubling (25,000 findings of
	// an export: 15 MB of fresh memory).
	found    [][]model.Finding
	claimed  map[string]bool // files read by a module as part of a role
	suppress *suppressor

	totalBytes         int64        // of the files to parse, after the walk
	doneBytes          atomic.Int64 // analyzed so far
	emitted, evaluated atomic.Int64 // roles, for Options.Progress
}

// input is a file to parse and the boundary it is read through.
type input struct {
	path string
	root *safefs.Boundary // nil for standard input
	// named is set for a file the user named (or standard input): it is
	// read by its content, and when no parser reads it that is an error.
	named bool
}

// StdinName is the file name of standard input's findings by default.
const StdinName = "<stdin>"

// IsStdin reports whether a path given to scan means standard input.
func IsStdin(p string) bool { return p == "-" || p == "/dev/stdin" }

func (s *scanner) stdinName() string {
	if s.opts.StdinName != "" {
		return s.opts.StdinName
	}
	return StdinName
}

// boundary returns the read boundary of the project root of path p (see
// Options.Root), opening it once.
func (s *scanner) boundary(p string) (*safefs.Boundary, error) {
	dir := s.opts.Root
	if dir == "" {
		var err error
		if dir, err = safefs.FindRoot(p); err != nil {
			return nil, err
		}
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if b, ok := s.boundaries[dir]; ok {
		return b, nil
	}
	b, err := safefs.Open(dir, s.opts.MaxFileSize)
	if err != nil {
		return nil, err
	}
	s.boundaries[dir] = b
	return b, nil
}

func (s *scanner) closeBoundaries() {
	for _, b := range s.boundaries {
		_ = b.Close() // directories opened for reading
	}
}

func (s *scanner) verbose(format string, args ...any) {
	if s.opts.Verbose != nil {
		s.opts.Verbose(fmt.Sprintf(format, args...))
	}
}

func (s *scanner) diag(d model.Diagnostic) {
	s.mu.Lock()
	s.res.Diagnostics = append(s.res.Diagnostics, d)
	s.mu.Unlock()
}

func (s *scanner) skipped(path, why string) {
	s.verbose("%s: skipped: %s", path, why)
	s.mu.Lock()
	s.res.Stats.FilesSkipped++
	s.mu.Unlock()
}

// walk records the files below root (or root itself) that some parser may
// read, and the directories that module parsers read as units. Explicitly
// named files are considered whatever their depth; directories are walked
// without following symbolic links, so a scan never reads outside the tree
// it was given.
func (s *scanner) walk(root string) {
	if IsStdin(root) {
		s.files = append(s.files, input{path: s.stdinName(), named: true})
		return
	}
	st, err := os.Stat(root)
	if err != nil {
		s.diag(model.Diagnostic{Range: model.Range{File: root}, Message: "cannot read: " + errMsg(err)})
		return
	}
	tree, err := s.boundary(root)
	if err != nil {
		s.diag(model.Diagnostic{Range: model.Range{File: root}, Message: "cannot open the project root: " + errMsg(err)})
		return
	}
	if !tree.Contains(root) {
		s.diag(model.Diagnostic{Range: model.Range{File: root}, Message: "outside the project root " + tree.Dir() + " (--root); not read"})
		return
	}
	if !st.IsDir() {
		if s.excluded(root) {
			s.skipped(root, "excluded by configuration")
			return
		}
		if dir, mp := parser.ModuleUnitFor(root, tree.Dir()); mp != nil {
			s.addModule(dir, tree, mp, root)
			return
		}
		s.files = append(s.files, input{path: root, root: tree, named: true})
		return
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			s.diag(model.Diagnostic{Range: model.Range{File: p}, Message: "cannot read: " + errMsg(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != root && (skipDirs[d.Name()] || isCDKAsset(p)) {
				s.verbose("%s: skipped directory", p)
				return fs.SkipDir
			}
			if p != root && s.excluded(p) {
				s.verbose("%s: skipped directory: excluded by configuration", p)
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			if d.Type()&fs.ModeSymlink != 0 {
				s.skipped(p, "symbolic link (not followed)")
			}
			return nil
		}
		if mp := parser.ModuleParserFor(p); mp != nil {
			if s.excluded(p) {
				s.skipped(p, "excluded by configuration")
				return nil
			}
			s.addModule(filepath.Dir(p), tree, mp, "")
			return nil
		}
		if !parser.Considered(p) {
			return nil
		}
		if s.excluded(p) {
			s.skipped(p, "excluded by configuration")
			return nil
		}
		s.files = append(s.files, input{path: p, root: tree})
		return nil
	})
	if err != nil {
		s.diag(model.Diagnostic{Range: model.Range{File: root}, Message: "cannot walk: " + errMsg(err)})
	}
}

// addModule records dir as a module unit, for a file the walk found
// (named "") or the user named. A named file of the unit (a pre-commit
// hook passes the staged ones) selects the whole unit, since a change to
// variables.tf or terraform.tfvars can open a role defined in another
// file, or in a template; but a unit that only named files selected emits
// only the roles they can affect (parser.FocusModuleParser).
func (s *scanner) addModule(dir string, root *safefs.Boundary, mp parser.ModuleParser, named string) {
	if s.byDir == nil {
		s.byDir = map[string]*module{}
	}
	mp = s.forScan(mp)
	m, ok := s.byDir[dir]
	if !ok {
		m = &module{dir: dir, root: root, parser: mp}
		s.byDir[dir] = m
		s.modules = append(s.modules, m)
	}
	m.files++
	if named == "" {
		m.walked = true
	} else {
		m.named = append(m.named, named)
	}
}

// forScan returns the instance of module parser mp for this scan: one
// that shares work between the units of the scan (Terraform reads a module
// that several root modules call once), or mp itself.
func (s *scanner) forScan(mp parser.ModuleParser) parser.ModuleParser {
	sp, ok := mp.(interface{ ForScan() any })
	if !ok {
		return mp
	}
	if x, ok := s.scoped[mp]; ok {
		return x
	}
	x, ok := sp.ForScan().(parser.ModuleParser)
	if !ok {
		return mp
	}
	if s.scoped == nil {
		s.scoped = map[parser.ModuleParser]parser.ModuleParser{}
	}
	s.scoped[mp] = x
	return x
}

// dropCalled removes the module units that another scanned unit calls
// (parser.ModuleCaller): they are analyzed through their calls.
func (s *scanner) dropCalled() {
	type group struct {
		mc   parser.ModuleCaller
		root string
		dirs []string
	}
	var groups []*group
	for _, m := range s.modules {
		mc, ok := m.parser.(parser.ModuleCaller)
		if !ok {
			continue
		}
		var g *group
		for _, x := range groups {
			if x.mc == mc && x.root == m.root.Dir() {
				g = x
			}
		}
		if g == nil {
			g = &group{mc: mc, root: m.root.Dir()}
			groups = append(groups, g)
		}
		g.dirs = append(g.dirs, m.dir)
	}
	called := map[string]bool{}
	for _, g := range groups {
		if len(g.dirs) < 2 {
			continue
		}
		for d := range g.mc.CalledModules(g.dirs, g.root) {
			called[d] = true
		}
	}
	if len(called) == 0 {
		return
	}
	kept := s.modules[:0]
	namedCalled := false
	for _, m := range s.modules {
		if called[m.dir] {
			s.verbose("%s: Terraform module called by another scanned module: analyzed through its calls", m.dir)
			namedCalled = namedCalled || m.focus() != nil
			continue
		}
		kept = append(kept, m)
	}
	s.modules = kept
	if namedCalled {
		// A named file of a called module can affect any role of its
		// callers (through outputs): they evaluate every role.
		for _, m := range kept {
			m.walked = true
		}
	}
}

// isCDKAsset reports whether p is a cdk.out asset directory (bundled Lambda
// code and the like, never templates).
func isCDKAsset(p string) bool {
	return strings.HasPrefix(filepath.Base(p), "asset.") && filepath.Base(filepath.Dir(p)) == "cdk.out"
}

func (s *scanner) excluded(p string) bool {
	if len(s.opts.Config.Exclude) == 0 {
		return false
	}
	return s.opts.Config.Excluded(configRel(s.opts.Config, p))
}

// configRel makes a path relative to the directory of the configuration
// file (or the current directory without one), with forward slashes: the
// paths that exclude and ignore globs are written against, as in
// .gitignore.
func configRel(cfg *config.Config, p string) string {
	base := "."
	if cfg.File != "" {
		base = filepath.Dir(cfg.File)
	}
	absBase, err1 := filepath.Abs(base)
	absP, err2 := filepath.Abs(p)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absBase, absP); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

func (s *scanner) parseModule(ctx context.Context, m *module, roles chan<- evalItem) {
	if ctx.Err() != nil {
		return
	}
	emit := func(r *model.Role) {
		s.claim(r)
		if s.opts.Roles != nil {
			s.opts.Roles(r)
		}
		s.emitted.Add(1)
		roles <- evalItem{role: r, root: m.root}
	}
	var diags []model.Diagnostic
	if fp, ok := m.parser.(parser.FocusModuleParser); ok {
		diags = fp.ParseModuleFocus(m.dir, m.root.Dir(), m.focus(), emit, s.suppress.comments)
	} else if cp, ok := m.parser.(parser.CommentModuleParser); ok {
		diags = cp.ParseModuleComments(m.dir, m.root.Dir(), emit, s.suppress.comments)
	} else {
		diags = m.parser.ParseModule(m.dir, m.root.Dir(), emit)
	}
	s.mu.Lock()
	s.res.Stats.FilesScanned += max(m.files, 1)
	s.res.Diagnostics = append(s.res.Diagnostics, diags...)
	s.mu.Unlock()
}

// claim records the files other than the role's own that its policy was
// read from (Terraform file("trust.json")): they are part of that role, not
// bare documents to report again.
func (s *scanner) claim(r *model.Role) {
	if r.Source == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range r.Source.Files() {
		if f != "" && f != r.File {
			s.claimed[filepath.Clean(f)] = true
		}
	}
}

func (s *scanner) parseFile(ctx context.Context, in input, roles chan<- evalItem) {
	if ctx.Err() != nil {
		return
	}
	path := in.path
	s.mu.Lock()
	claimed := s.claimed[filepath.Clean(path)]
	s.mu.Unlock()
	if claimed {
		s.skipped(path, "read as part of a Terraform role (file())")
		return
	}
	src, err := s.readInput(in)
	if err != nil {
		s.diag(model.Diagnostic{Range: model.Range{File: path}, Message: "cannot read: " + errMsg(err)})
		return
	}
	choose := parser.ForFile
	if in.named {
		choose = parser.ForNamed
	}
	p, why := choose(path, src)
	if p != nil {
		p = parser.WithLimits(p, s.opts.Limits)
	}
	if p == nil {
		if in.named && !s.opts.SkipUnrelated {
			s.diag(model.Diagnostic{Range: model.Range{File: path}, Message: "not read: no trust policy format fits this file (" + why + ")"})
			return
		}
		s.skipped(path, why)
		return
	}
	name := s.docName(in)
	last := 0 // end of the last role emitted, for BytesProgress
	defer func() { s.advance(int64(len(src) - last)) }()
	emit := func(r *model.Role) {
		var adv int64
		if end := r.Range.End.Byte; r.Range.File == path && end > last && end <= len(src) {
			adv, last = int64(end-last), end
		}
		if r.File == "" {
			r.File = path
		}
		if r.Name == path {
			r.Name = name // a bare document: named relative to the project root
		}
		if s.opts.Roles != nil {
			s.opts.Roles(r)
		}
		s.emitted.Add(1)
		roles <- evalItem{role: r, root: in.root, bytes: adv}
	}
	var diags []model.Diagnostic
	if ap, ok := p.(parser.AccountParser); ok && s.opts.Account != nil {
		diags = ap.ParseAccount(path, src, emit, s.opts.Account)
	} else if cp, ok := p.(parser.CommentParser); ok {
		diags = cp.ParseComments(path, src, emit, s.suppress.comments)
	} else {
		diags = p.Parse(path, src, emit)
	}
	s.mu.Lock()
	s.res.Stats.FilesScanned++
	s.res.Diagnostics = append(s.res.Diagnostics, diags...)
	s.mu.Unlock()
}

// readInput reads a file to parse (standard input's content for standard
// input) and decodes it to UTF-8.
func (s *scanner) readInput(in input) ([]byte, error) {
	src := s.opts.Stdin
	if in.root != nil {
		var err error
		if src, err = in.root.ReadFile(in.path); err != nil {
			return nil, err
		}
	}
	return textenc.Decode(src)
}

// docName is the name of a bare policy document of input in: its path
// relative to the project root, whatever spelling the user gave the path,
// so that names and fingerprints do not depend on how the scan was
// started.
func (s *scanner) docName(in input) string {
	if in.root == nil {
		return in.path
	}
	return rootRel(in.root, in.path)
}

// rootRel is p relative to the project root b (slash-separated), or p as
// given when it lies outside.
func rootRel(b *safefs.Boundary, p string) string {
	if b == nil {
		return filepath.ToSlash(p)
	}
	rel, err := b.Rel(p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return rel
}

// splitErrors returns the errors joined in err (errors.Join), or err.
func splitErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// errMsg strips the Go-specific "open path:" prefix of file errors.
func errMsg(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// advance counts n more bytes analyzed and reports the progress.
func (s *scanner) advance(n int64) {
	if s.opts.BytesProgress == nil {
		return
	}
	s.opts.BytesProgress(s.doneBytes.Add(n), s.totalBytes)
}

func (s *scanner) evalRole(ctx context.Context, it evalItem) {
	if it.bytes > 0 {
		defer s.advance(it.bytes)
	}
	if s.opts.Progress != nil {
		defer func() { s.opts.Progress(int(s.evaluated.Add(1)), int(s.emitted.Load())) }()
	}
	r := it.role
	if ctx.Err() != nil {
		return
	}
	in := r.Input()
	if s.opts.Roles == nil {
		// Nothing reads the Go policy after this (findings are placed
		// through the source map); the engine evaluates its own copy
		// of it, and the scan's peak memory need not hold both.
		r.Policy = nil
	}
	raws, err := s.opts.Engine.EvalInput(ctx, in)
	if err != nil {
		for _, e := range splitErrors(err) {
			s.diag(model.Diagnostic{Range: r.Range, Message: fmt.Sprintf("role %s: %v", model.Quote(r.Name), e)})
		}
		// A rule that failed (a custom rule stopped at its limits, a
		// rule's evaluation error) loses its own findings for this
		// role: every other rule's findings, returned with the error,
		// stand.
		if len(raws) == 0 {
			return
		}
	}
	fs := make([]model.Finding, 0, len(raws))
	for _, raw := range raws {
		rg := r.Locate(raw.Path, raw.Key)
		if rg.File == "" {
			rg.File = r.File
		}
		path := raw.Path.String()
		fp := Fingerprint(raw.Rule.ID, rootRel(it.root, rg.File), r.Name, r.RootModule, r.Document, path)
		if s.opts.Baseline[fp] {
			s.mu.Lock()
			s.res.Baselined++
			s.mu.Unlock()
			continue
		}
		fs = append(fs, model.Finding{
			RuleID:      raw.Rule.ID,
			RuleName:    raw.Rule.Name,
			Severity:    raw.Rule.Severity,
			Level:       raw.Rule.Level(),
			Message:     r.Show(raw.Message),
			Role:        r.Name,
			RoleContext: r.Context,
			RootModule:  r.RootModule,
			Document:    r.Document,
			Path:        path,
			Range:       rg,
			Fingerprint: fp,
			Properties:  raw.Properties,
		})
		s.suppress.apply(&fs[len(fs)-1], r)
	}
	s.mu.Lock()
	if len(fs) > 0 {
		s.found = append(s.found, fs)
	}
	s.res.Stats.RolesAnalyzed++
	s.mu.Unlock()
}

// dedupe keeps one finding per rule, role and element (a role is its name
// and, in a called Terraform module, its root module): a parser may emit
// several variants of one role (the branches of a CloudFormation Fn::If),
// and a finding that holds in several of them is still one finding. The
// element is its source range: a variant that drops a list element
// (AWS::NoValue) shifts the indexes, not the range nor the message. Two
// values from one source node (a Ref to a list parameter) differ in their
// messages and both stay. The first of a set of duplicates in sorted order
// stays.
func dedupe(fs []model.Finding) []model.Finding {
	type key struct {
		rule, msg string
		role      model.RoleRef
		rng       model.Range
	}
	seen := make(map[key]bool, len(fs))
	out := fs[:0]
	for _, f := range fs {
		k := key{f.RuleID, f.Message, f.Ref(), f.Range}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

// Fingerprint identifies a finding by rule, file, role and element path, so
// it stays the same when unrelated lines move. rootModule and document are
// the role's model.Role.RootModule and Document: two roots calling one
// module, or two JSON documents of one file, give roles of the same name in
// the same file, told apart by them. They are empty for every other role,
// whose fingerprint is what it was before they counted (baselines written
// then still serve; a document appended to a file changes none of the
// earlier documents' fingerprints).
func Fingerprint(ruleID, file, role, rootModule string, document int, path string) string {
	s := ruleID + "\x00" + filepath.ToSlash(file) + "\x00" + role + "\x00" + path
	if rootModule != "" {
		s += "\x00" + rootModule
	}
	if document != 0 {
		s += "\x00document " + strconv.Itoa(document)
	}
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:16])
}
