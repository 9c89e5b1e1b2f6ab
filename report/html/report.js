// trustlint HTML report: renders the tables, the trust graph and the role
// details from the JSON document in #data. No library, no network.
"use strict";
(function () {
  const D = JSON.parse(document.getElementById("data").textContent);
  const LEVELS = ["low", "medium", "high", "critical"];
  const rank = (l) => LEVELS.indexOf(l) + 1; // 0 for none
  const ROW_LIMIT = 1000; // findings rows drawn before "show all"
  const GRAPH_ROLES = 150; // more visible roles than this are aggregated
  const GRAPH_SERVICES = 12, GRAPH_USERS = 40;
  const $ = (id) => document.getElementById(id);

  // el builds an element: el("td", {class: "num"}, "text", child...).
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) {
      if (k.startsWith("on")) e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    }
    for (const k of kids) if (k !== null && k !== undefined) e.append(k);
    return e;
  }
  const sev = (l) => el("span", { class: "sev sev-" + (l || "none") }, l || "none");
  const tags = (list, cls) => (list || []).map((t) => el("span", { class: "tag " + (cls || "") }, t));
  const roleLink = (i) => el("a", { href: "#role/" + i }, D.roles[i].n);
  function sevOptions(select) {
    select.append(el("option", { value: "0" }, "any severity"));
    LEVELS.forEach((l, i) => select.append(el("option", { value: String(i + 1) }, l + " and above")));
  }
  function principalLabel(g) {
    let s = g.k === "account" ? g.ac || g.p : g.p;
    if (g.v) s += " (" + g.v + ")";
    return s;
  }

  // table draws a sortable table: cols are {name, key(row) for sorting,
  // cell(row) -> node or text, num}.
  function table(host, cols, rows, opts) {
    opts = opts || {};
    let sortCol = -1, dir = 1;
    const t = el("table", { class: "wide" + (opts.cls ? " " + opts.cls : "") });
    const head = el("tr");
    cols.forEach((c, i) => {
      const th = el("th", { onclick: () => { dir = sortCol === i ? -dir : 1; sortCol = i; draw(); } }, c.name);
      head.append(th);
    });
    t.append(el("thead", null, head));
    const body = el("tbody");
    t.append(body);
    host.replaceChildren(t);
    let shown = opts.limit || Infinity;
    function draw() {
      let list = rows();
      if (sortCol >= 0) {
        const key = cols[sortCol].key;
        list = list.slice().sort((a, b) => {
          const x = key(a), y = key(b);
          return (x < y ? -1 : x > y ? 1 : 0) * dir;
        });
      }
      [...head.children].forEach((th, i) => th.className = i === sortCol ? (dir > 0 ? "asc" : "desc") : "");
      const frag = document.createDocumentFragment();
      list.slice(0, shown).forEach((r) => {
        const tr = el("tr");
        cols.forEach((c) => tr.append(el("td", c.num ? { class: "num" } : null, c.cell(r))));
        frag.append(tr);
      });
      if (list.length > shown) {
        frag.append(el("tr", null, el("td", { colspan: String(cols.length) },
          el("button", { class: "more", type: "button", onclick: () => { shown = Infinity; draw(); } },
            "Show all " + list.length + " rows"))));
      }
      body.replaceChildren(frag);
      if (opts.count) opts.count(list.length);
    }
    draw();
    return draw;
  }

  // Who can get in from outside.
  const whoDraw = table($("who-table"), [
    { name: "Principal", key: (o) => principalLabel(o), cell: (o) => el("span", null, el("code", null, principalLabel(o))) },
    { name: "Kind", key: (o) => o.k, cell: (o) => o.k },
    { name: "Roles", key: (o) => -o.ro.length, num: true, cell: (o) => String(o.ro.length) },
    { name: "Reaches", key: (o) => o.ro.length ? D.roles[o.ro[0]].n : "", cell: (o) => listOfRoles(o.ro) },
    { name: "Guarded on every grant by", key: (o) => o.gu.join(","), cell: (o) => el("span", null, ...tags(o.gu, "guard")) },
    { name: "Unguarded grants", key: (o) => -o.ug, num: true, cell: (o) => String(o.ug) },
    { name: "Worst finding", key: (o) => -rank(o.w), cell: (o) => sev(o.w) },
  ], () => {
    const q = $("who-search").value.toLowerCase();
    return D.outside.filter((o) => !q || (principalLabel(o) + " " + o.ro.map((i) => D.roles[i].n).join(" ")).toLowerCase().includes(q));
  }, { cls: "who" });
  $("who-search").addEventListener("input", whoDraw);

  function listOfRoles(idx) {
    const span = el("span");
    const first = idx.slice(0, 8);
    first.forEach((i, n) => { if (n) span.append(", "); span.append(roleLink(i)); });
    if (idx.length > first.length) {
      span.append(" ", el("button", { class: "more", type: "button", onclick: () => span.replaceWith(listAll(idx)) },
        "and " + (idx.length - first.length) + " more"));
    }
    return span;
  }
  function listAll(idx) {
    const span = el("span");
    idx.forEach((i, n) => { if (n) span.append(", "); span.append(roleLink(i)); });
    return span;
  }

  // Roles: every role is a row; filters hide rows.
  const exposures = [...new Set(D.roles.flatMap((r) => r.x))].sort();
  exposures.forEach((x) => $("role-exposure").append(el("option", { value: x }, x)));
  sevOptions($("role-sev"));
  const roleDraw = table($("role-table"), [
    { name: "Role", key: (i) => D.roles[i].n, cell: (i) => roleLink(i) },
    { name: "Exposure", key: (i) => D.roles[i].x.join(","), cell: (i) => el("span", null, ...tags(D.roles[i].x)) },
    { name: "Worst", key: (i) => -rank(D.roles[i].w), cell: (i) => sev(D.roles[i].w) },
    { name: "Findings", key: (i) => -(D.roles[i].fi || []).length, num: true, cell: (i) => String((D.roles[i].fi || []).length) },
    { name: "Trusted", key: (i) => -D.roles[i].g.length, num: true, cell: (i) => String((D.roles[i].g || []).length) },
    { name: "Assumable by (inside)", key: (i) => -(D.roles[i].i || []).length, num: true, cell: (i) => D.inside ? String((D.roles[i].i || []).length) : "" },
    { name: "Chain", key: (i) => -(D.roles[i].cd || 0), cell: (i) => chainCell(D.roles[i]) },
    { name: "Last used", key: (i) => D.roles[i].lu || "", cell: (i) => D.roles[i].lu || "" },
    { name: "File", key: (i) => D.files[D.roles[i].f], cell: (i) => el("code", null, D.files[D.roles[i].f]) },
  ], () => {
    const q = $("role-search").value.toLowerCase(), x = $("role-exposure").value, s = +$("role-sev").value;
    const out = [];
    D.roles.forEach((r, i) => {
      if (q && !(r.n + " " + (r.a || "")).toLowerCase().includes(q)) return;
      if (x && !r.x.includes(x)) return;
      if (s && rank(r.w) < s) return;
      out.push(i);
    });
    return out;
  }, { cls: "roles", count: (n) => $("role-count").textContent = n + " of " + D.roles.length + " roles" });
  ["role-search", "role-exposure", "role-sev"].forEach((id) => $(id).addEventListener("input", roleDraw));

  function chainCell(r) {
    const s = el("span");
    if (r.cy) s.append(el("span", { class: "tag warn" }, "cycle"));
    if (r.cd > 1) s.append(el("span", { class: "tag warn" }, "chain of " + r.cd));
    if (r.rv) s.append(el("span", { class: "tag guard" }, "sessions revoked"));
    return s;
  }

  // Findings.
  const rules = new Map(D.rules.map((r) => [r.id, r]));
  [...new Set(D.findings.map((f) => f.r))].sort().forEach((id) =>
    $("finding-rule").append(el("option", { value: id }, id + " " + (rules.has(id) ? rules.get(id).n : ""))));
  sevOptions($("finding-sev"));
  const findingDraw = table($("finding-table"), [
    { name: "Severity", key: (f) => -rank(f.l), cell: (f) => sev(f.l) },
    { name: "Rule", key: (f) => f.r, cell: (f) => el("span", { title: rules.has(f.r) ? rules.get(f.r).t : "" }, f.r) },
    { name: "Role", key: (f) => f.ro >= 0 ? D.roles[f.ro].n : "", cell: (f) => f.ro >= 0 ? roleLink(f.ro) : "" },
    { name: "Message", key: (f) => f.m, cell: (f) => f.m },
    { name: "Location", key: (f) => f.f + ":" + String(f.ln).padStart(9, "0"), cell: (f) => el("code", null, f.f + ":" + f.ln + ":" + f.co) },
  ], () => {
    const r = $("finding-rule").value, s = +$("finding-sev").value, q = $("finding-search").value.toLowerCase();
    return D.findings.filter((f) => (!r || f.r === r) && (!s || rank(f.l) >= s) &&
      (!q || (f.m + " " + f.r + " " + (f.ro >= 0 ? D.roles[f.ro].n : "") + " " + f.f).toLowerCase().includes(q)));
  }, { cls: "findings", limit: ROW_LIMIT, count: (n) => $("finding-count").textContent = n + " of " + D.findings.length + " findings" });
  ["finding-rule", "finding-sev", "finding-search"].forEach((id) => $(id).addEventListener("input", findingDraw));

  // Role detail, shown for #role/N.
  function showDetail() {
    const m = /^#role\/(\d+)$/.exec(location.hash);
    const box = $("detail");
    if (!m || !D.roles[+m[1]]) { box.hidden = true; return; }
    const r = D.roles[+m[1]];
    const fs = (r.fi || []).map((i) => D.findings[i]);
    box.replaceChildren(el("h2", null, "Role ", el("code", null, r.n), " ", sev(r.w)));
    const facts = el("table", { class: "small" });
    const fact = (k, v) => v && facts.append(el("tr", null, el("td", null, k), el("td", null, v)));
    fact("ARN", r.a && el("code", null, r.a));
    fact("File", el("code", null, D.files[r.f]));
    fact("Exposure", el("span", null, ...tags(r.x)));
    fact("Last used", r.lu || (D.inside ? "never (no RoleLastUsed)" : ""));
    fact("Sessions", r.rv ? "older sessions revoked (AWSRevokeOlderSessions)" : "");
    fact("Chain", r.cd > 1 ? (r.ch || []).join(" \u2192 ") : "");
    fact("Cycle", r.cy ? "on a cycle of roles: a holder can renew its session past expiry and revocation" : "");
    box.append(facts);
    box.append(el("h3", null, "Trusted principals (trust policy)"));
    box.append(grantTable(r.g || []));
    if (D.inside) {
      box.append(el("h3", null, "Who inside the account can assume it"));
      box.append((r.i || []).length ? assumerTable(r.i) : el("p", { class: "note" }, "Nobody: no principal of the account is named in the trust policy, and the policy does not trust the account itself (or no identity policy allows sts:AssumeRole on it)."));
    }
    box.append(el("h3", null, "Findings"));
    if (!fs.length) box.append(el("p", { class: "note" }, "None."));
    fs.forEach((f) => {
      const rule = rules.get(f.r) || {};
      box.append(el("p", null, sev(f.l), " ", el("b", null, f.r + " " + (rule.n || "")), ": " + f.m, " ", el("code", null, f.p)));
      if (rule.d) box.append(el("details", null, el("summary", null, "Why, and how to fix it"), el("pre", { style: "white-space: pre-wrap" }, rule.d + (rule.rm ? "\n\n" + rule.rm : ""))));
    });
    box.append(el("h3", null, "Trust policy"));
    box.append(policyView(r.p, new Set(fs.map((f) => f.p))));
    box.hidden = false;
    box.scrollIntoView();
  }
  function grantTable(gs) {
    const t = el("table", { class: "wide" }, el("tr", null, el("th", null, "Principal"), el("th", null, "Kind"), el("th", null, "Conditions (shown, not evaluated)"), el("th", null, "Findings")));
    gs.forEach((g) => t.append(el("tr", null, el("td", null, el("code", null, principalLabel(g)), g.o ? " (own account)" : ""),
      el("td", null, g.k), el("td", null, ...(g.c || []).map((c) => el("div", null, el("code", null, c)))),
      el("td", null, sev(g.w), " ", (g.r || []).join(", ")))));
    return t;
  }
  function assumerTable(as) {
    const t = el("table", { class: "wide" }, el("tr", null, el("th", null, "Principal"), el("th", null, "Gets in through"), el("th", null, "Allowed by"), el("th", null, "Conditions (shown, not evaluated)")));
    as.forEach((a) => t.append(el("tr", null, el("td", null, a.k + " ", el("code", null, a.n)),
      el("td", null, a.via === "trust-policy" ? "named in the trust policy (no identity policy needed)" : "identity policy (the trust policy trusts the account)"),
      el("td", null, (a.po || []).join(", ") + ((a.gr || []).length ? " via group " + a.gr.join(", ") : "")),
      el("td", null, ...(a.c || []).map((c) => el("div", null, el("code", null, c)))))));
    return t;
  }
  // policyView prints the trust policy as JSON, marking the elements at
  // the paths of findings (policy.Statement[0].Principal.AWS[1]).
  function policyView(p, marks) {
    const pre = el("pre", { class: "policy" });
    const key = (base, k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? base + "." + k : base + "[" + JSON.stringify(k) + "]";
    function put(v, path, ind, parent) {
      const marked = marks.has(path);
      const host = marked ? el("mark", { title: path }) : parent;
      if (marked) parent.append(host);
      if (Array.isArray(v)) {
        host.append("[\n");
        v.forEach((x, i) => { host.append(ind + "  "); put(x, path + "[" + i + "]", ind + "  ", host); host.append(i < v.length - 1 ? ",\n" : "\n"); });
        host.append(ind + "]");
      } else if (v && typeof v === "object") {
        const ks = Object.keys(v);
        host.append("{\n");
        ks.forEach((k, i) => { host.append(ind + "  " + JSON.stringify(k) + ": "); put(v[k], key(path, k), ind + "  ", host); host.append(i < ks.length - 1 ? ",\n" : "\n"); });
        host.append(ind + "}");
      } else host.append(JSON.stringify(v));
    }
    if (p === undefined) pre.append("(no trust policy)");
    else put(p, "policy", "", pre);
    return pre;
  }
  window.addEventListener("hashchange", showDetail);

  // Trust graph: outside principals and services, users, groups and the
  // account, and roles, in four columns; edges coloured by the worst
  // finding. Many roles are aggregated by exposure and severity; a click on
  // an aggregate, a filter or a search shows its roles one by one.
  const SVGNS = "http://www.w3.org/2000/svg";
  const sv = (tag, attrs, ...kids) => {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    kids.forEach((k) => e.append(k));
    return e;
  };
  D.outside.forEach((o) => $("graph-source").append(el("option", { value: o.k + ":" + (o.k === "account" ? o.ac : o.p) }, principalLabel(o))));
  sevOptions($("graph-sev"));
  let expand = ""; // the aggregate being shown role by role
  function graphRoles() {
    const src = $("graph-source").value, s = +$("graph-sev").value, q = $("graph-search").value.toLowerCase();
    const out = [];
    D.roles.forEach((r, i) => {
      if (s && rank(r.w) < s) return;
      if (q && !r.n.toLowerCase().includes(q)) return;
      if (src && !r.g.some((g) => g.k + ":" + (g.k === "account" ? g.ac : g.p) === src)) return;
      if (expand && aggKey(r) !== expand) return;
      out.push(i);
    });
    return out;
  }
  const aggKey = (r) => r.x[0] + "/" + (r.w || "none");
  function drawGraph() {
    const roles = graphRoles();
    const aggregate = roles.length > GRAPH_ROLES;
    const nodes = new Map(), edges = new Map();
    const node = (id, col, label, kind, extra) => {
      if (!nodes.has(id)) nodes.set(id, Object.assign({ id, col, label, kind, n: 0 }, extra || {}));
      const nd = nodes.get(id); nd.n++; return nd;
    };
    const edge = (from, to, level, cls) => {
      const k = from + "\u0000" + to;
      const e = edges.get(k);
      if (!e) edges.set(k, { from, to, level: level || "", cls: cls || "" });
      else if (rank(level) > rank(e.level)) e.level = level;
    };
    const svcCount = new Set(roles.flatMap((i) => D.roles[i].g.filter((g) => g.k === "service").map((g) => g.p))).size;
    const eachSvc = svcCount <= GRAPH_SERVICES || $("graph-services").checked;
    const userCount = new Set(roles.flatMap((i) => (D.roles[i].i || []).filter((a) => a.k === "user").map((a) => a.a))).size;
    const eachUser = userCount <= GRAPH_USERS || $("graph-users").checked;
    const roleSet = new Set(roles);
    const roleByArn = new Map();
    roles.forEach((i) => { if (D.roles[i].a) roleByArn.set(D.roles[i].a, i); });
    for (const i of roles) {
      const r = D.roles[i];
      const target = aggregate ? "agg:" + aggKey(r) : "role:" + r.n;
      if (aggregate) node(target, 3, "", "role", { agg: aggKey(r), level: r.w });
      else node(target, 3, r.n, "role", { role: i, level: r.w });
      for (const g of r.g) {
        let id, label;
        if (g.k === "service") {
          id = eachSvc ? "svc:" + g.p : "svc:*"; label = eachSvc ? g.p : "AWS services";
          node(id, 0, label, "service");
        } else if (g.o) {
          if (D.inside) continue; // the assumers below say who
          id = "own:" + (g.ac || "account"); node(id, 2, "own account " + (g.ac || "") + " (identity policies)", "account");
        } else {
          id = "out:" + g.k + ":" + (g.k === "account" ? g.ac : g.p); node(id, 0, principalLabel(g), g.k);
        }
        edge(id, target, g.w || r.w);
      }
      for (const a of r.i || []) {
        if (a.k === "role") {
          const j = roleByArn.get(a.a);
          if (j === undefined || !roleSet.has(j)) continue;
          edge(aggregate ? "agg:" + aggKey(D.roles[j]) : "role:" + D.roles[j].n, target, r.w, "chain");
          continue;
        }
        const uid = eachUser ? "user:" + a.n : "user:*";
        node(uid, 1, eachUser ? a.n : "users", "user");
        if ((a.gr || []).length) {
          for (const gname of a.gr) {
            node("group:" + gname, 2, gname + " (group)", "group");
            edge(uid, "group:" + gname, "", "member");
            edge("group:" + gname, target, r.w);
          }
        } else edge(uid, target, r.w);
      }
    }
    for (const nd of nodes.values()) {
      if (nd.agg) nd.label = nd.n + " roles \u00b7 " + nd.agg.replace("/", " \u00b7 ");
      if (nd.id === "svc:*") nd.label = "AWS services (" + svcCount + ")";
      if (nd.id === "user:*") nd.label = "users (" + userCount + ")";
    }
    // Layout: columns left to right, nodes sorted by label.
    const W = 220, GAP = 70, H = 22, STEP = 27;
    const cols = [[], [], [], []];
    [...nodes.values()].sort((a, b) => a.label < b.label ? -1 : a.label > b.label ? 1 : 0).forEach((n) => cols[n.col].push(n));
    cols.forEach((c) => c.forEach((n, k) => { n.x = n.col * (W + GAP) + 10; n.y = k * STEP + 10; }));
    const height = Math.max(1, ...cols.map((c) => c.length)) * STEP + 20;
    const svg = sv("svg", { xmlns: SVGNS, width: String(4 * (W + GAP) + 60), height: String(height), id: "trust-graph", role: "img" });
    svg.append(sv("title", {}, "Trust graph"));
    const eg = sv("g", { class: "edges" }), ng = sv("g", { class: "nodes" });
    svg.append(eg, ng);
    for (const e of edges.values()) {
      const a = nodes.get(e.from), b = nodes.get(e.to);
      if (!a || !b) continue;
      let d;
      const y1 = a.y + H / 2, y2 = b.y + H / 2;
      if (a.col === b.col) { // role to role: an arc on the right
        const x = a.x + W, bend = a === b ? 40 : 40 + Math.min(200, Math.abs(y2 - y1) / 4);
        d = a === b ? `M${x} ${y1 - 5}C${x + bend} ${y1 - 25} ${x + bend} ${y1 + 25} ${x} ${y1 + 5}` : `M${x} ${y1}C${x + bend} ${y1} ${x + bend} ${y2} ${x} ${y2}`;
      } else {
        const x1 = a.x + W, x2 = b.x;
        d = `M${x1} ${y1}C${x1 + GAP / 2} ${y1} ${x2 - GAP / 2} ${y2} ${x2} ${y2}`;
      }
      eg.append(sv("path", { d, class: "edge" + (e.level ? " sev-" + e.level : "") + (e.cls ? " " + e.cls : ""), "data-from": e.from, "data-to": e.to }));
    }
    const q = $("graph-search").value.toLowerCase();
    for (const n of nodes.values()) {
      const g = sv("g", { class: "node kind-" + n.kind + (n.agg ? " agg" : "") + (q && n.label.toLowerCase().includes(q) ? " hit" : ""), "data-id": n.id, transform: `translate(${n.x},${n.y})` });
      const label = n.label.length > 33 ? n.label.slice(0, 31) + "\u2026" : n.label;
      g.append(sv("title", {}, n.label), sv("rect", { width: String(W), height: String(H), rx: "4" }), sv("text", { x: "6", y: "15" }, label));
      if (n.agg) g.addEventListener("click", () => { expand = n.agg; drawGraph(); });
      else if (n.role !== undefined) g.addEventListener("click", () => { location.hash = "#role/" + n.role; });
      ng.append(g);
    }
    $("graph-view").replaceChildren(svg);
    $("graph-note").textContent = roles.length + " of " + D.roles.length + " roles" +
      (aggregate ? ", aggregated by exposure and worst finding: click an aggregate, filter or search to see its roles" : "") +
      (expand ? " (showing one aggregate: Reset to see all)" : "") + "; " + nodes.size + " nodes, " + edges.size + " edges.";
  }
  ["graph-source", "graph-sev", "graph-search", "graph-services", "graph-users"].forEach((id) => $(id).addEventListener("input", drawGraph));
  $("graph-reset").addEventListener("click", () => {
    expand = ""; $("graph-source").value = ""; $("graph-sev").value = "0"; $("graph-search").value = "";
    drawGraph();
  });
  drawGraph();
  showDetail();
})();
