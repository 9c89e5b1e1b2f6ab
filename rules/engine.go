package rules

import (
	"cmp"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/trustlint/trustlint/internal/par"
	"github.com/trustlint/trustlint/model"
)

//go:embed lib checks data
var builtin embed.FS

// rulePackagePrefix is the package path every rule lives under.
const rulePackagePrefix = "data.trustlint.rules."

// RawFinding is what one rule reported for one role, before positions.
type RawFinding struct {
	Rule    *model.RuleMeta
	Message string
	Path    model.Path
	// Key is set when the finding points at the key of an object member.
	Key bool
	// Properties are facts about the finding for machine-readable reports
	// (the vendor of a known third-party account: "vendor").
	Properties map[string]string
}

// Options configure an Engine.
type Options struct {
	// Config is the configuration rules read as data.trustlint.config
	// (own_account, trusted_accounts, trusted_org_ids, max_session_duration,
	// require_mfa_own_account).
	Config map[string]any
	// Disabled lists rule IDs that are not compiled at all.
	Disabled []string
	// Custom holds the user's own rule modules (LoadDir); their _test.rego
	// files are left out of evaluation like the built-in ones.
	Custom []Module
	// NoShare evaluates every role on its own, even when another role with
	// an identical input was evaluated already (for benchmarks and debugging).
	NoShare bool
	// Limits bound each custom rule's evaluation of one role; zero fields
	// take the defaults (DefaultRuleTimeout, DefaultRuleMemory).
	Limits Limits
	// FromSource parses the built-in rules and compiles them with every
	// compiler stage and check, as a set with the user's rules is, instead
	// of taking them compiled from builtin.ast (slower; tests compare the
	// two).
	FromSource bool
	// noPrune evaluates every rule on every role (prune.go), for tests
	// that compare.
	noPrune bool
}

// Stats counts the work an Engine did.
type Stats struct {
	// Roles is the number of roles given to EvalRole.
	Roles int64
	// Evaluations is the number of Rego evaluations run. A role may need
	// one per group of rules that read the same parts of the input (see
	// share.go), or none.
	Evaluations int64
	// Reused is the number of roles whose findings all came from earlier
	// evaluations of roles that agree on everything the rules read.
	Reused int64
}

// Engine holds the compiled rule set. It is safe for concurrent use.
type Engine struct {
	query rego.PreparedEvalQuery // every built-in rule at once
	names []string               // query's rule packages (denyQuery)
	// custom are the user's rule packages, each evaluated on its own under
	// limits, so that a runaway rule is named and the others still report.
	custom  []customRule
	limits  Limits
	catalog []model.RuleMeta
	byPkg   map[string]*model.RuleMeta
	// groups hold the rules by what they read of the input; nil when
	// sharing is off.
	groups []*group
	// groupOf is the index in groups of each rule's group.
	groupOf map[*model.RuleMeta]int
	// top lists the top-level input members some group is keyed on.
	top []string
	// compiler and store compile the group queries (groupQuery), one at
	// a time (prepMu).
	compiler *ast.Compiler
	store    storage.Store
	// data caches the store's documents for every evaluation.
	data   dataCache
	prepMu sync.Mutex
	memo   sync.Map // digest of the group keys -> []RawFinding
	single sync.Map // rule package name -> *preparedQuery (evalEach)
	// prune leaves out the rules that cannot fire on a policy (prune.go);
	// nil when every rule is evaluated. skipped counts the rules left out.
	prune   *pruner
	skipped atomic.Int64
	subsets sync.Map // kept rule names joined by NUL -> *subsetQuery
	roles   atomic.Int64
	evals   atomic.Int64
	reused  atomic.Int64
	// ready is closed when compilation has finished, with err its outcome
	// (Start compiles in the background).
	ready chan struct{}
	err   error
}

// Wait waits until the rules are compiled and returns the compile error.
func (e *Engine) Wait() error {
	<-e.ready
	return e.err
}

// Stats returns how many roles were evaluated and how many evaluations ran.
func (e *Engine) Stats() Stats {
	return Stats{Roles: e.roles.Load(), Evaluations: e.evals.Load(), Reused: e.reused.Load()}
}

// Module is one Rego source file.
type Module struct {
	Name string // file name used in errors
	Src  string
	// Test marks a _test.rego file: never part of the evaluated rule set.
	Test bool
}

// BuiltinModules returns the embedded Rego files, including tests.
func BuiltinModules() ([]Module, error) {
	mods, err := builtinModules()
	return slices.Clone(mods), err
}

// builtinModules reads the embedded Rego files once per process: a scan
// needs them for the catalog and again to compile, and each read copies
// them.
var builtinModules = sync.OnceValues(func() ([]Module, error) {
	var mods []Module
	err := fs.WalkDir(builtin, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		b, err := builtin.ReadFile(p)
		if err != nil {
			return err
		}
		mods = append(mods, Module{Name: path.Join("rules", p), Src: string(b), Test: strings.HasSuffix(p, "_test.rego")})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read embedded rules: %w", err)
	}
	return mods, nil
})

// BuiltinData returns the data documents rules read besides the
// configuration (data.trustlint.providers, ...): every rules/data/*.json
// object merged under data.trustlint.
func BuiltinData() (map[string]any, error) {
	out := map[string]any{}
	entries, err := fs.ReadDir(builtin, "data")
	if err != nil {
		return nil, fmt.Errorf("read embedded rule data: %w", err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := builtin.ReadFile("data/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("read embedded rule data: %w", err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("rules/data/%s: %w", e.Name(), err)
		}
		for k, v := range doc {
			out[k] = v
		}
	}
	return out, nil
}

// Store returns the data store rules evaluate against: the built-in data
// and the configuration under data.trustlint.
func Store(cfg map[string]any) (storage.Store, error) {
	base, err := BuiltinData()
	if err != nil {
		return nil, err
	}
	if cfg == nil {
		cfg = map[string]any{}
	}
	base["config"] = cfg
	data, err := jsonRoundTrip(map[string]any{"trustlint": base})
	if err != nil {
		return nil, fmt.Errorf("rule configuration: %w", err)
	}
	return inmem.NewFromObjectWithOpts(data, inmem.OptReturnASTValuesOnRead(true)), nil
}

// ParseModules parses Rego v1 source with METADATA annotations, on up to
// GOMAXPROCS goroutines: parsing the built-in rules comes before anything
// else a scan does.
func ParseModules(mods []Module) (map[string]*ast.Module, error) {
	out := make([]*ast.Module, len(mods))
	errs := make([]error, len(mods))
	par.Each(0, len(mods), func(i int) {
		out[i], errs[i] = ast.ParseModuleWithOpts(mods[i].Name, mods[i].Src, ast.ParserOptions{
			ProcessAnnotation: true,
			RegoVersion:       ast.RegoV1,
			Capabilities:      Capabilities(),
		})
	})
	parsed := make(map[string]*ast.Module, len(mods))
	for i, m := range mods {
		if errs[i] == nil {
			parsed[m.Name] = out[i]
		}
	}
	return parsed, errors.Join(errs...)
}

// Capabilities is the sandbox the rules run in: every builtin of this OPA
// version except the nondeterministic ones (http.send, net.lookup_ip_addr,
// time.now_ns, rand.intn, uuid.rfc4122, remote-schema JSON checks, JWT
// signing), opa.runtime (environment and configuration) and trace; no
// network hosts.
var Capabilities = sync.OnceValue(func() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	denied := map[string]bool{"opa.runtime": true, "trace": true}
	kept := caps.Builtins[:0:0]
	for _, b := range caps.Builtins {
		if b.Nondeterministic || denied[b.Name] {
			continue
		}
		kept = append(kept, b)
	}
	caps.Builtins = kept
	caps.AllowNet = []string{}
	return caps
})

// New compiles the built-in rules and opts.Custom.
func New(ctx context.Context, opts Options) (*Engine, error) {
	e, err := Start(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := e.Wait(); err != nil {
		return nil, err
	}
	return e, nil
}

// Start reads the catalog of the built-in rules and opts.Custom (the
// built-in one pre-read, the user's rules parsed), then decodes and
// compiles the rules in the background, so that a scan walks and parses
// its inputs meanwhile: Catalog is ready at once, evaluations wait for the
// compilation, and Wait returns its error.
func Start(ctx context.Context, opts Options) (*Engine, error) {
	mods, err := BuiltinModules()
	if err != nil {
		return nil, err
	}
	return start(ctx, append(mods, opts.Custom...), opts)
}

// parsedBuiltin holds the parsed embedded rules by module name. A scan
// needs them twice (the catalog resolves rule names before the engine
// compiles), and parsing is a third of compiling. OPA's compiler copies the
// modules it compiles, so the parsed modules can be shared.
var parsedBuiltin sync.Map // name -> parsedModule

type parsedModule struct {
	src string
	mod *ast.Module
}

// parseRules parses the modules that are not tests.
func parseRules(mods []Module) (map[string]*ast.Module, error) {
	var src []Module
	cached := map[string]*ast.Module{}
	for _, m := range mods {
		if m.Test {
			continue
		}
		if v, ok := parsedBuiltin.Load(m.Name); ok && v.(parsedModule).src == m.Src {
			cached[m.Name] = v.(parsedModule).mod
			continue
		}
		src = append(src, m)
	}
	parsed, err := ParseModules(src)
	if err != nil {
		return nil, fmt.Errorf("parse rules: %w", err)
	}
	for _, m := range src {
		if isBuiltinName(m.Name) {
			parsedBuiltin.Store(m.Name, parsedModule{src: m.Src, mod: parsed[m.Name]})
		}
	}
	for name, m := range cached {
		parsed[name] = m
	}
	return parsed, nil
}

// Compile compiles the given modules (tests are left out) into an Engine.
func Compile(ctx context.Context, mods []Module, opts Options) (*Engine, error) {
	e, err := start(ctx, mods, opts)
	if err != nil {
		return nil, err
	}
	if err := e.Wait(); err != nil {
		return nil, err
	}
	return e, nil
}

// start reads the catalog of mods, and decodes or parses and compiles
// them in the background (loadRules).
func start(ctx context.Context, mods []Module, opts Options) (*Engine, error) {
	load, catalog, byPkg, err := loadRules(mods, opts.Custom, true, opts.FromSource)
	if err != nil {
		return nil, err
	}
	e := &Engine{catalog: catalog, byPkg: byPkg, limits: opts.Limits.withDefaults(), ready: make(chan struct{})}
	go func() {
		defer close(e.ready)
		parsed, form, err := load()
		if err != nil {
			e.err = err
			return
		}
		e.err = e.compile(ctx, parsed, opts, form)
	}()
	return e, nil
}

// ruleForm says what a set of rule modules is, and so which compiler
// stages it needs (newCompiler).
type ruleForm int

const (
	// formChecked: parsed modules with any of the user's rules (or the
	// embedded ones when Options.FromSource asks): every stage and check.
	formChecked ruleForm = iota
	// formParsed: the parsed embedded rules (builtin.ast is stale or
	// unreadable): every stage but the checkOnlyStages.
	formParsed
	// formCompiled: the embedded rules as the compiler left them, from
	// builtin.ast: only the compiledStages.
	formCompiled
)

// loadRules reads the catalog of mods and returns it with a function that
// returns their modules and what form they are in. The unchanged embedded
// rules come compiled with their catalog (builtin.ast), so the catalog is
// ready at once and the trees are decoded when load is called. With any
// other module, or fromSource, the whole set is parsed at once, its
// METADATA read and every check run; checkUser checks the user's modules
// custom against the built-in ones first.
func loadRules(mods, custom []Module, checkUser, fromSource bool) (load func() (map[string]*ast.Module, ruleForm, error), catalog []model.RuleMeta, byPkg map[string]*model.RuleMeta, err error) {
	if todo, entries, ok := preparsed(mods); ok && !fromSource {
		catalog, byPkg = preparsedCatalog(entries)
		return func() (map[string]*ast.Module, ruleForm, error) {
			if compiled, ok := decodeModules(todo); ok {
				return compiled, formCompiled, nil
			}
			// Never, unless builtin.ast is damaged.
			parsed, err := parseRules(mods)
			return parsed, formParsed, err
		}, catalog, byPkg, nil
	}
	parsed, err := parseRules(mods)
	if err != nil {
		return nil, nil, nil, err
	}
	if checkUser {
		if err := checkCustom(custom, parsed); err != nil {
			return nil, nil, nil, err
		}
	}
	if catalog, byPkg, err = buildCatalog(parsed); err != nil {
		return nil, nil, nil, err
	}
	form := formChecked
	if embeddedOnly(mods) && !fromSource {
		form = formParsed
	}
	return func() (map[string]*ast.Module, ruleForm, error) { return parsed, form, nil }, catalog, byPkg, nil
}

// embeddedOnly reports whether every module that is not a test is one of
// the embedded rule files, unchanged.
func embeddedOnly(mods []Module) bool {
	for _, m := range mods {
		if m.Test {
			continue
		}
		name, ok := strings.CutPrefix(m.Name, "rules/")
		if !ok {
			return false
		}
		if b, err := builtin.ReadFile(name); err != nil || string(b) != m.Src {
			return false
		}
	}
	return true
}

// compile prepares the queries of the rules in parsed, compiling them as
// their form requires (see newCompiler).
func (e *Engine) compile(ctx context.Context, parsed map[string]*ast.Module, opts Options, form ruleForm) error {
	checked := form == formChecked
	byPkg := e.byPkg
	disabled := map[string]bool{}
	for _, id := range opts.Disabled {
		disabled[id] = true
	}
	names := make([]string, 0, len(parsed))
	for name := range parsed {
		names = append(names, name)
	}
	sort.Strings(names)
	// One compiler for every query: the modules are compiled once, and
	// each group query only compiles itself.
	r := []func(*rego.Rego){
		rego.Capabilities(Capabilities()),
		rego.Strict(true),
	}
	mainMods := map[string]*ast.Module{}
	customNames := map[string]bool{}
	for _, m := range opts.Custom {
		customNames[m.Name] = true
	}
	enabled := map[string]*ast.Module{}
	var customPkgs []string
	for _, name := range names {
		m := parsed[name]
		if meta, ok := byPkg[m.Package.Path.String()]; ok && disabled[meta.ID] {
			continue
		}
		enabled[name] = m
		if customNames[name] && strings.HasPrefix(m.Package.Path.String(), rulePackagePrefix) {
			// Evaluated on its own, under limits (compileCustom).
			customPkgs = append(customPkgs, name)
			continue
		}
		mainMods[name] = m
	}
	e.names = ruleNames(mainMods)
	r = append(r, rego.Query(denyQuery(e.names)))
	var compiler *ast.Compiler
	if checked {
		// rego compiles the modules with the query: with every check,
		// data paths included.
		compiler = newCompiler(formChecked)
		for _, name := range names {
			if m, ok := mainMods[name]; ok {
				r = append(r, rego.ParsedModule(m))
			}
		}
	} else {
		// The embedded rules: compiled apart (and perhaps ahead, Prewarm),
		// then the query on them.
		var err error
		if compiler, err = compileEmbedded(mainMods, form); err != nil {
			return err
		}
	}
	store, err := Store(opts.Config)
	if err != nil {
		return err
	}
	r = append(r, rego.Compiler(compiler), rego.Store(store))
	if e.query, err = rego.New(r...).PrepareForEval(ctx); err != nil {
		return fmt.Errorf("compile rules: %w", err)
	}
	if e.custom, err = compileCustom(ctx, enabled, customPkgs, store); err != nil {
		return err
	}
	e.compiler, e.store = compiler, store
	if !checked && !opts.noPrune {
		e.prune = newPruner(ctx, compiler, store, e.names)
	}
	if opts.NoShare {
		return nil
	}
	e.groups = groupRules(compiler)
	e.groupOf = map[*model.RuleMeta]int{}
	for i, g := range e.groups {
		for _, name := range g.names {
			if meta, ok := byPkg[rulePackagePrefix+name]; ok {
				e.groupOf[meta] = i
			}
		}
		if checked {
			// The user's rule sets report every compile error up front.
			if _, err := e.groupQuery(ctx, i); err != nil {
				return err
			}
		}
		for _, k := range g.reads.top {
			if !slices.Contains(e.top, k) {
				e.top = append(e.top, k)
			}
		}
	}
	return nil
}

// groupQuery returns the query of group i, compiled on first use: a role
// needs one only when another role agreed with it on what every group but
// one reads (otherwise all rules run at once, e.query), so a scan of one
// file seldom needs any, and compiling them all was on the way of the
// first evaluation. They are compiled one at a time; evaluations of the
// compiled queries only read the compiler meanwhile.
func (e *Engine) groupQuery(ctx context.Context, i int) (rego.PreparedEvalQuery, error) {
	g := e.groups[i]
	g.prepare.Do(func() { g.query, g.prepErr = e.prepare(ctx, denyQuery(g.names)) })
	return g.query, g.prepErr
}

// preparedQuery is a query prepared on first use.
type preparedQuery struct {
	once  sync.Once
	query rego.PreparedEvalQuery
	err   error
}

// prepare prepares a query of the compiled rules, one at a time (prepMu).
func (e *Engine) prepare(ctx context.Context, query string) (rego.PreparedEvalQuery, error) {
	e.prepMu.Lock()
	defer e.prepMu.Unlock()
	q, err := rego.New(
		rego.Query(query),
		rego.Compiler(e.compiler),
		rego.Capabilities(Capabilities()),
		rego.Strict(true),
		rego.Store(e.store),
	).PrepareForEval(context.WithoutCancel(ctx))
	if err != nil {
		return q, fmt.Errorf("compile rules: %w", err)
	}
	return q, nil
}

// checkOnlyStages are the compiler stages that only look for mistakes in
// the modules (types, unsafe variables in rule heads, undefined functions,
// conflicts, recursion, unused or duplicate imports, capabilities): they
// never change what the compiled rules do. They are a third of compiling
// the built-in rules, the largest part of a one-file scan, and the built-in
// rules pass them: TestBuiltinChecked compiles them with every stage. The
// stages that rewrite or index the rules always run (the body safety check
// reorders expressions, so it is no mere check).
var checkOnlyStages = []ast.StageID{
	ast.StageCheckUnusedImports,
	ast.StageCheckKeywordOverrides,
	ast.StageCheckDuplicateImports,
	ast.StageCheckVoidCalls,
	ast.StageCheckRuleConflicts,
	ast.StageCheckUndefinedFuncs,
	ast.StageCheckSafetyRuleHeads,
	ast.StageCheckRecursion,
	ast.StageCheckTypes,
	ast.StageCheckUnsafeBuiltins,
	ast.StageCheckDeprecatedBuiltins,
	ast.StageBuildRequiredCapabilities,
}

// compiledStages are the compiler stages that still run on the compiled
// modules of builtin.ast: the ones that build what evaluation, query
// compiles and groupRules read from the compiler (the module and rule
// trees, the dependency graph, the rule and comprehension indices) or that
// set what a compile of parsed modules leaves on it (an empty annotation
// set). Every other stage either rewrites the modules, which builtin.ast
// holds rewritten, or only checks them or feeds the rewrites (the local
// variable generator): none of them may run twice. (The comprehension
// indices are skipped too when builtin.ast says the compiler built none,
// compileModules.) TestPrecompiledSame
// compares the compiler state they leave with a compile of the parsed
// rules.
var compiledStages = []ast.StageID{
	ast.StageRemoveImports,
	ast.StageSetModuleTree,
	ast.StageSetRuleTree,
	ast.StageParseMetadataBlocks,
	ast.StageSetAnnotationSet,
	ast.StageSetGraph,
	ast.StageBuildRuleIndices,
	ast.StageBuildComprehensionIndices,
}

// newCompiler returns the compiler of an engine for rules of the given
// form. Only checked compiles run the checkOnlyStages: a rule set with any
// module other than the embedded ones must be checked (the sandbox rests on
// the undefined-function check, and a rule that replaces a function with
// "with" needs the types); the embedded rules were checked by the tests.
// Compiled rules run only the compiledStages.
func newCompiler(form ruleForm) *ast.Compiler {
	c := ast.NewCompiler().
		WithCapabilities(Capabilities()).
		WithStrict(true).
		WithUseTypeCheckAnnotations(true).
		WithDefaultRegoVersion(ast.RegoV1)
	switch form {
	case formParsed:
		c = c.WithSkipStages(checkOnlyStages...)
	case formCompiled:
		var skip []ast.StageID
		for _, s := range ast.AllStages() {
			if !slices.Contains(compiledStages, s) {
				skip = append(skip, s)
			}
		}
		c = c.WithSkipStages(skip...)
	}
	return c
}

// jsonRoundTrip turns typed Go values (slices of strings, ints) into the
// plain JSON shapes the OPA store accepts.
func jsonRoundTrip(v map[string]any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Catalog returns the metadata of every rule, sorted by ID.
func (e *Engine) Catalog() []model.RuleMeta { return slices.Clone(e.catalog) }

// EvalRole runs every enabled rule on one role. Each group of rules is
// evaluated once per distinct value of what it reads (see share.go); the
// findings of the others are reused. The returned slice is shared: do not
// modify it.
func (e *Engine) EvalRole(ctx context.Context, r *model.Role) ([]RawFinding, error) {
	return e.EvalInput(ctx, r.Input())
}

// EvalInput is EvalRole on a role's rule input (model.Role.Input). The
// engine keeps no reference to in: once it has made the rules' own copy of
// it, a caller that holds none either lets the Go values go during the
// evaluation (a policy of 100,000 statements: about 200 MB).
func (e *Engine) EvalInput(ctx context.Context, in map[string]any) ([]RawFinding, error) {
	if err := e.Wait(); err != nil {
		return nil, err
	}
	e.roles.Add(1)
	if e.groups == nil {
		return e.Eval(ctx, in)
	}
	top := make(map[string]digest, len(e.top))
	for _, k := range e.top {
		if v, ok := in[k]; ok {
			top[k] = hashValue(v)
		}
	}
	keys := make([]any, len(e.groups))
	gkeys := make([]digest, len(e.groups))
	for i, g := range e.groups {
		gkeys[i] = g.key(i, in, top)
		keys[i] = string(gkeys[i][:])
	}
	all := hashValue(keys)
	if v, ok := e.memo.Load(all); ok && e.custom == nil {
		e.reused.Add(1)
		return v.([]RawFinding), nil
	}
	var (
		val    ast.Value
		facts  *ast.Term // lib's facts of the policy, when pruning
		out    []RawFinding
		misses []int
		failed []error // rules that could not be evaluated on this role
	)
	for i, g := range e.groups {
		if v, ok := g.memo.Load(gkeys[i]); ok {
			out = append(out, v.([]RawFinding)...)
			continue
		}
		misses = append(misses, i)
	}
	if len(misses) > 0 {
		val = toValue(in)
		in = nil // the rules read val from here on (see EvalInput)
		if e.prune != nil {
			facts = e.prune.facts(val)
		}
	}
	if len(misses) > 1 {
		// A role unlike any before: one evaluation of every rule costs
		// less than one per group (each pays the fixed cost and the
		// shared lib facts again); its findings fill the groups' memos.
		fs, err := e.evalAll(ctx, val, facts)
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, err
		case err != nil && errors.As(err, new(*RuleError)):
			// Evaluated rule by rule (evalAll): only the failed
			// rules' findings are missing.
			out = append(out, fs...)
			failed = append(failed, err)
		case err != nil:
			fs, err = e.evalEach(ctx, e.names, val)
			if ctx.Err() != nil {
				return nil, err
			}
			out = append(out, fs...)
			failed = append(failed, err)
		default:
			per := make([][]RawFinding, len(e.groups))
			for _, f := range fs {
				i, ok := e.groupOf[f.Rule]
				if !ok {
					return nil, fmt.Errorf("evaluate rules: rule %s is in no group", f.Rule.ID)
				}
				per[i] = append(per[i], f)
			}
			for _, i := range misses {
				e.groups[i].memo.Store(gkeys[i], per[i])
				out = append(out, per[i]...)
			}
		}
		misses = nil
	}
	for _, i := range misses {
		g := e.groups[i]
		q, err := e.groupQuery(ctx, i)
		if err != nil {
			return nil, err
		}
		fs, err := e.eval(ctx, q, g.names, val, facts)
		if err != nil && ctx.Err() == nil {
			fs, err = e.evalEach(ctx, g.names, val)
			if ctx.Err() == nil {
				out = append(out, fs...)
				failed = append(failed, err)
				continue
			}
		}
		if err != nil {
			return nil, err
		}
		g.memo.Store(gkeys[i], fs)
		out = append(out, fs...)
	}
	if e.custom != nil {
		// The user's rules are evaluated on every role, each under its
		// limits: a stopped rule is an error beside the other findings.
		if val == nil {
			val = toValue(in)
		}
		cs, err := e.evalCustom(ctx, val)
		out = append(out, cs...)
		sortFindings(out)
		return out, errors.Join(append(failed, err)...)
	}
	sortFindings(out)
	if err := errors.Join(failed...); err != nil {
		return out, err
	}
	e.memo.Store(all, out)
	return out, nil
}

// RuleError is a rule that failed on one role (an evaluation error: two
// values for one function input, a builtin's error); the role's other
// findings stand.
type RuleError struct {
	Rule string // the rule's ID
	Err  error
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("rule %s could not be evaluated on this role, its findings for this role are missing: %v", e.Rule, e.Err)
}

func (e *RuleError) Unwrap() error { return e.Err }

// evalEach evaluates the rule packages names one at a time, after an
// evaluation of them all failed: only the failing rules' findings are
// then missing, each failure a *RuleError (joined).
func (e *Engine) evalEach(ctx context.Context, names []string, val ast.Value) ([]RawFinding, error) {
	var (
		out  []RawFinding
		errs []error
	)
	for _, name := range names {
		q, err := e.packageQuery(ctx, name)
		if err == nil {
			var fs []RawFinding
			fs, err = e.eval(ctx, q, []string{name}, val, nil)
			out = append(out, fs...)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			errs = append(errs, &RuleError{Rule: e.ruleID(name), Err: err})
		}
	}
	return out, errors.Join(errs...)
}

// ruleID is the ID of the built-in rule package name (the name itself when
// it has no metadata).
func (e *Engine) ruleID(name string) string {
	if meta, ok := e.byPkg[rulePackagePrefix+name]; ok {
		return meta.ID
	}
	return name
}

// packageQuery prepares (once) the query of the one rule package name.
func (e *Engine) packageQuery(ctx context.Context, name string) (rego.PreparedEvalQuery, error) {
	v, _ := e.single.LoadOrStore(name, &preparedQuery{})
	p := v.(*preparedQuery)
	p.once.Do(func() { p.query, p.err = e.prepare(ctx, denyQuery([]string{name})) })
	return p.query, p.err
}

// Eval runs every enabled rule on one rule input and returns the findings
// in a deterministic order.
//
// A custom rule that exceeds its limits is a *LimitError (joined with any
// others); the findings of every other rule are returned with it.
func (e *Engine) Eval(ctx context.Context, input map[string]any) ([]RawFinding, error) {
	if err := e.Wait(); err != nil {
		return nil, err
	}
	val := toValue(input)
	var facts *ast.Term
	if e.prune != nil {
		facts = e.prune.facts(val)
	}
	out, err := e.evalAll(ctx, val, facts)
	if err != nil && !errors.As(err, new(*RuleError)) {
		return nil, err
	}
	// A built-in rule that failed in a split evaluation (evalAll) loses
	// only its own findings: the others and the custom rules still run.
	cs, cerr := e.evalCustom(ctx, val)
	out = append(out, cs...)
	sortFindings(out)
	if err == nil {
		return out, cerr
	}
	return out, errors.Join(err, cerr)
}

// splitStatements is the policy size from which the rules are evaluated
// one package at a time, on every core: a policy this large takes tens of
// milliseconds per rule, far more than a query's fixed cost, and one
// evaluation of every rule would leave all but one core idle while a scan
// of one such policy waits for it (issue 9: 100,000 statements).
const splitStatements = 1000

// evalAll evaluates every built-in rule (e.query) on val. On a policy of
// splitStatements or more statements, with more than one core, each rule
// package that can fire is its own evaluation, on up to GOMAXPROCS
// goroutines; a rule that fails is then a *RuleError beside the others'
// findings, as evalEach makes it.
func (e *Engine) evalAll(ctx context.Context, val ast.Value, facts *ast.Term) ([]RawFinding, error) {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || len(e.names) < 2 || statementCount(val) < splitStatements {
		return e.eval(ctx, e.query, e.names, val, facts)
	}
	names := slices.Clone(e.names)
	if facts != nil && e.prune != nil {
		skip := e.prune.pruned(names, facts)
		e.skipped.Add(int64(len(skip)))
		names = slices.DeleteFunc(names, func(n string) bool { return slices.Contains(skip, n) })
		// The workers take the rules in order: the heaviest first, so
		// that no core is left alone with one at the end. A rule of
		// unknown weight walks the statements, about as much as one
		// that enumerates them.
		n := statementCount(val)
		weight := make(map[string]int, len(names))
		for _, name := range names {
			if w := e.prune.weight(name, facts); w >= 0 {
				weight[name] = w
			} else {
				weight[name] = n
			}
		}
		slices.SortStableFunc(names, func(a, b string) int { return weight[b] - weight[a] })
	}
	found := make([][]RawFinding, len(names))
	errs := make([]error, len(names))
	par.Each(workers, len(names), func(i int) {
		q, err := e.packageQuery(ctx, names[i])
		if err == nil {
			found[i], err = e.eval(ctx, q, names[i:i+1], val, facts)
		}
		if err != nil && ctx.Err() == nil {
			errs[i] = &RuleError{Rule: e.ruleID(names[i]), Err: err}
		} else {
			errs[i] = err
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return slices.Concat(found...), errors.Join(errs...)
}

// statementCount is the number of statements of the rule input's policy.
func statementCount(val ast.Value) int {
	in, ok := val.(ast.Object)
	if !ok {
		return 0
	}
	pol, ok := member(in, "policy").(ast.Object)
	if !ok {
		return 0
	}
	if stmts, ok := member(pol, "Statement").(*ast.Array); ok {
		return stmts.Len()
	}
	return 1
}

// eval runs one prepared query and decodes its findings, unsorted. The
// result set is decoded from OPA's terms (decodeFindings) rather than from
// the generic JSON values OPA would make of it first: a policy may have
// 100,000 findings, each a map of maps. facts, when not nil, are lib's
// facts of the input's policy (prune.go): the evaluation does not compute
// them again, and the deny sets of the rules of names that cannot report
// on such a policy are empty in its cache, where OPA finds them before
// evaluating any rule; when none of names can report, nothing is
// evaluated.
func (e *Engine) eval(ctx context.Context, q rego.PreparedEvalQuery, names []string, input ast.Value, facts *ast.Term) ([]RawFinding, error) {
	cache := newCallCache(maxCachedCalls)
	if facts != nil && e.prune != nil {
		cache.Put(factsRef, facts)
		skip := e.prune.pruned(names, facts)
		e.skipped.Add(int64(len(skip)))
		switch {
		case len(skip) == len(names):
			return nil, nil
		case len(skip) > 0:
			if sq, kept := e.subsetQuery(ctx, names, skip); kept != nil {
				q, names = sq, kept
				break
			}
			for _, name := range skip {
				cache.Put(e.prune.deny[name], ast.SetTerm())
			}
		}
	}
	e.evals.Add(1)
	decode := func(t *ast.Term, _ *rego.EvalContext) (any, error) { return e.decodeFindings(names, t) }
	rs, err := q.Eval(ctx, rego.EvalParsedInput(input), rego.EvalGenerateJSON(decode), rego.EvalVirtualCache(cache),
		rego.EvalBaseCache(&e.data))
	if err != nil {
		return nil, fmt.Errorf("evaluate rules: %w", err)
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil, nil
	}
	out, ok := rs[0].Expressions[0].Value.([]RawFinding)
	if !ok {
		return nil, fmt.Errorf("evaluate rules: unexpected result %T", rs[0].Expressions[0].Value)
	}
	return out, nil
}

// subsetAfter is how many evaluations may leave out the same rules before
// the query of the rules they keep is prepared: preparing one costs about
// as much as evaluating a role (a one-file scan meets a few subsets a few
// times each), and it saves a sixth of each later evaluation (an export
// meets a dozen subsets thousands of times). Until then the rules left
// out are empty in the evaluation's cache: cheaper than evaluating them,
// dearer than leaving them out of the query.
const subsetAfter = 8

// subsetQuery is a query of the rules that some evaluations keep.
type subsetQuery struct {
	seen  atomic.Int64
	once  sync.Once
	query rego.PreparedEvalQuery
	err   error
}

// subsetQuery returns the query of the rule packages of names but skip and
// their names, once subsetAfter evaluations asked for it; nil names until
// then, or when it does not compile.
func (e *Engine) subsetQuery(ctx context.Context, names, skip []string) (rego.PreparedEvalQuery, []string) {
	kept := make([]string, 0, len(names)-len(skip))
	for _, n := range names {
		if !slices.Contains(skip, n) {
			kept = append(kept, n)
		}
	}
	v, _ := e.subsets.LoadOrStore(strings.Join(kept, "\x00"), &subsetQuery{})
	sq := v.(*subsetQuery)
	if sq.seen.Add(1) <= subsetAfter {
		return rego.PreparedEvalQuery{}, nil
	}
	sq.once.Do(func() { sq.query, sq.err = e.prepare(ctx, denyQuery(kept)) })
	if sq.err != nil {
		return rego.PreparedEvalQuery{}, nil
	}
	return sq.query, kept
}

// decodeFindings decodes the result of a rules query (denyQuery of names):
// the array of the packages' deny sets.
func (e *Engine) decodeFindings(names []string, t *ast.Term) ([]RawFinding, error) {
	sets, ok := t.Value.(*ast.Array)
	if !ok || sets.Len() != len(names) {
		return nil, fmt.Errorf("unexpected result %v", t)
	}
	n := 0
	for i := range names {
		set, ok := sets.Elem(i).Value.(ast.Set)
		if !ok {
			return nil, fmt.Errorf("rule package %s: deny is not a set", names[i])
		}
		n += set.Len()
	}
	out := make([]RawFinding, 0, n)
	for i, name := range names {
		set := sets.Elem(i).Value.(ast.Set)
		if set.Len() == 0 {
			continue // most rules find nothing: no closure to allocate
		}
		err := set.Iter(func(item *ast.Term) error {
			f, err := e.decode(name, item.Value)
			out = append(out, f)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sortFindings orders one role's findings by rule, path and message. Each
// path is rendered once, not at every comparison: one policy may have
// 100,000 findings.
func sortFindings(out []RawFinding) {
	type keyed struct {
		path string
		f    RawFinding
	}
	ks := make([]keyed, len(out))
	for i, f := range out {
		ks[i] = keyed{f.Path.String(), f}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(a.f.Rule.ID, b.f.Rule.ID), cmp.Compare(a.path, b.path), cmp.Compare(a.f.Message, b.f.Message))
	})
	for i, k := range ks {
		out[i] = k.f
	}
}

// member is the value of obj's member key, nil when it has none.
func member(obj ast.Object, key string) ast.Value {
	if t := obj.Get(ast.InternedTerm(key)); t != nil {
		return t.Value
	}
	return nil
}

// decode reads one finding f of the rule package name (a value of its
// deny set, made by lib.finding).
func (e *Engine) decode(name string, finding ast.Value) (RawFinding, error) {
	meta, ok := e.byPkg[rulePackagePrefix+name]
	if !ok {
		return RawFinding{}, fmt.Errorf("evaluate rules: finding from unknown rule package %q", name)
	}
	f, ok := finding.(ast.Object)
	if !ok {
		return RawFinding{}, fmt.Errorf("rule %s: deny must contain objects made by lib.finding, got %v", meta.ID, finding)
	}
	msg, ok := member(f, "msg").(ast.String)
	if !ok {
		return RawFinding{}, fmt.Errorf("rule %s: finding without a msg string", meta.ID)
	}
	rawPath, ok := member(f, "path").(*ast.Array)
	if !ok {
		return RawFinding{}, fmt.Errorf("rule %s: finding without a path array", meta.ID)
	}
	p := make(model.Path, rawPath.Len())
	for i := range rawPath.Len() {
		switch v := rawPath.Elem(i).Value.(type) {
		case ast.String:
			p[i] = string(v)
		case ast.Number:
			n, ok := v.Int()
			if !ok {
				return RawFinding{}, fmt.Errorf("rule %s: bad path index %v", meta.ID, v)
			}
			p[i] = n
		default:
			return RawFinding{}, fmt.Errorf("rule %s: bad path element %v", meta.ID, v)
		}
	}
	key, _ := member(f, "key").(ast.Boolean)
	var props map[string]string
	if m, ok := member(f, "properties").(ast.Object); ok {
		props = make(map[string]string, m.Len())
		err := m.Iter(func(k, v *ast.Term) error {
			ks, _ := k.Value.(ast.String)
			s, ok := v.Value.(ast.String)
			if !ok {
				return fmt.Errorf("rule %s: finding property %q is not a string", meta.ID, ks)
			}
			props[string(ks)] = string(s)
			return nil
		})
		if err != nil {
			return RawFinding{}, err
		}
	}
	return RawFinding{Rule: meta, Message: string(msg), Path: p, Key: bool(key), Properties: props}, nil
}
