package audit

import "slices"

// chains computes role chains and cycles from the assumers of each role:
// an edge runs from a user or role to each role it may assume. A cycle
// (strongly connected roles, or a role that may assume itself) lets a
// holder renew its session for ever, past expiry and revocation.
func (a *Account) chains() {
	g := &graph{index: map[string]int{}}
	roleOf := map[string]*Role{}
	for _, r := range a.Roles {
		if r.ARN == "" {
			continue
		}
		to := g.node(r.ARN)
		roleOf[r.ARN] = r
		for _, as := range r.Assumers {
			from := g.node(as.ARN)
			g.edges[from] = append(g.edges[from], to)
			if from == to {
				g.self[from] = true
			}
		}
	}
	sccs := g.tarjan()
	// Tarjan emits a component after every component it reaches: walking
	// the list backwards visits each component after all that reach it.
	comp := make([]int, len(g.names))
	for ci, c := range sccs {
		for _, n := range c {
			comp[n] = ci
		}
	}
	depth := make([]int, len(sccs))
	pred := make([]int, len(g.names)) // the node a longest chain comes from
	for i := range pred {
		pred[i] = -1
	}
	for ci := len(sccs) - 1; ci >= 0; ci-- {
		for _, n := range sccs[ci] {
			for _, m := range g.edges[n] {
				cm := comp[m]
				if cm == ci {
					continue
				}
				if depth[ci]+1 > depth[cm] {
					depth[cm] = depth[ci] + 1
					// m is entered from n; the rest of its cycle from m.
					for _, x := range sccs[cm] {
						pred[x] = m
					}
					pred[m] = n
				}
			}
		}
	}
	for ci, c := range sccs {
		if len(c) > 1 || g.self[c[0]] {
			var cyc []string
			for _, n := range c {
				cyc = append(cyc, g.names[n])
				if r := roleOf[g.names[n]]; r != nil {
					r.Cycle = true
				}
			}
			slices.Sort(cyc)
			a.Cycles = append(a.Cycles, cyc)
		}
		for _, n := range c {
			r := roleOf[g.names[n]]
			if r == nil || depth[ci] == 0 {
				continue
			}
			r.ChainDepth = depth[ci]
			chain := []string{g.names[n]}
			for p := pred[n]; p >= 0 && len(chain) <= len(sccs); p = pred[p] {
				chain = append(chain, g.names[p])
			}
			slices.Reverse(chain)
			r.Chain = chain
		}
	}
	slices.SortFunc(a.Cycles, slices.Compare)
}

// graph is a directed graph of principals by ARN.
type graph struct {
	names []string
	index map[string]int
	edges [][]int
	self  map[int]bool
}

func (g *graph) node(arn string) int {
	if i, ok := g.index[arn]; ok {
		return i
	}
	if g.self == nil {
		g.self = map[int]bool{}
	}
	i := len(g.names)
	g.index[arn] = i
	g.names = append(g.names, arn)
	g.edges = append(g.edges, nil)
	return i
}

// tarjan returns the strongly connected components, each component after
// every component reachable from it. It is iterative: chains may be long.
func (g *graph) tarjan() [][]int {
	n := len(g.names)
	index := make([]int, n)
	low := make([]int, n)
	on := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	var out [][]int
	next := 0
	type frame struct{ v, e int }
	for root := range n {
		if index[root] >= 0 {
			continue
		}
		call := []frame{{root, 0}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		on[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			if f.e < len(g.edges[f.v]) {
				w := g.edges[f.v][f.e]
				f.e++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					on[w] = true
					call = append(call, frame{w, 0})
				} else if on[w] {
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] == index[v] {
				var c []int
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					on[w] = false
					c = append(c, w)
					if w == v {
						break
					}
				}
				slices.Sort(c)
				out = append(out, c)
			}
		}
	}
	return out
}
