//! The history rule: buses that reference each other around a cycle read each other's
//! previous sample. Buses are grouped into strongly connected components (Tarjan's
//! algorithm) and lowered dependencies first; inside a cyclic component every member has
//! a history cell `~name'` that references between members read.

use super::patterns::Val;
use super::{Lowerer, Scope, Value, MAX_NESTING};
use crate::ir;
use crate::key::{Key, Root};
use kanon_lang::ast::{self, Expr, ExprKind, Item};
use kanon_lang::diag::nearest;
use kanon_lang::{Diagnostic, Span};
use std::collections::{HashMap, HashSet};

impl<'a> Lowerer<'a> {
    /// Lowers every bus, component by component, dependencies first; returns the bus
    /// names in source order.
    pub(super) fn buses(&mut self, program: &'a ast::Program) -> Vec<&'a str> {
        // Buses in source order, then grouped into strongly connected components.
        let order: Vec<&'a str> = program
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Bus { name, .. } => Some(name.name.as_str()),
                _ => None,
            })
            .filter(|n| self.buses.contains_key(n))
            .collect();
        let mut edges: HashMap<&'a str, Vec<&'a str>> = HashMap::new();
        for &name in &order {
            let mut refs = Vec::new();
            let mut seen_fns = HashSet::new();
            self.bus_refs(self.buses[name].body, &mut refs, &mut seen_fns);
            refs.retain(|r| self.buses.contains_key(r));
            edges.insert(name, refs);
        }
        let components = tarjan(&order, &edges);
        for (i, comp) in components.iter().enumerate() {
            for &name in comp {
                self.component.insert(name, i);
            }
        }
        for comp in &components {
            let cyclic = comp.len() > 1 || edges[comp[0]].contains(&comp[0]);
            self.lower_component(comp, cyclic);
        }

        order
    }

    /// Lowers one strongly connected component of buses. In a cyclic one, every
    /// member gets a history cell first, and references between members read it.
    pub(super) fn lower_component(&mut self, comp: &[&'a str], cyclic: bool) {
        if cyclic {
            for &name in comp {
                let def = self.buses[name];
                let init = match def.init {
                    Some(e) => {
                        let mut sc = Scope::root(None, Root::Bus(name.to_string()), e);
                        match self.constant(e, &mut sc, "an initial value") {
                            Ok(v) => v,
                            Err(d) => {
                                self.errors.push(d);
                                0.0
                            }
                        }
                    }
                    None => 0.0,
                };
                match self.b.cell(Key::history(name), init) {
                    Ok(cell) => {
                        self.history.insert(name, cell);
                    }
                    Err(e) => self.errors.push(Diagnostic::error(e, def.name.span)),
                }
            }
        }
        for &name in comp {
            let def = self.buses[name];
            if !cyclic {
                if let Some(init) = def.init {
                    self.warnings.push(
                        Diagnostic::warning(
                            format!("`init` has no effect: `~{name}` is not on a feedback cycle"),
                            init.span,
                        )
                        .with_help("only a bus that reads itself (directly or around a cycle) has a history to start"),
                    );
                }
            }
            let mut sc = Scope::root(Some(name), Root::Bus(name.to_string()), def.body);
            // Off a cycle, a bus may be a pattern (or a pattern function): it is played
            // where a signal is wanted (see `play`), not here.
            let value = if cyclic {
                self.expr(def.body, &mut sc)
            } else {
                match self.term(def.body, &mut sc) {
                    Ok(Val::Sig(v)) => Ok(v),
                    Ok(v) => {
                        self.pattern_buses.insert(name, v);
                        continue;
                    }
                    Err(d) => Err(d),
                }
            };
            let value = match value {
                Ok(v) => v,
                Err(d) => {
                    self.errors.push(d);
                    vec![self.b.constant(0.0)]
                }
            };
            if cyclic {
                if value.len() != 1 {
                    self.errors.push(
                        Diagnostic::error(
                            format!(
                                "`~{name}` is on a feedback cycle and must be one channel, but it has {}",
                                value.len()
                            ),
                            def.name.span,
                        )
                        .with_help("split the channels into separate buses"),
                    );
                } else {
                    self.b.set_next(self.history[name], value[0]);
                }
            }
            self.values.insert(name, value);
        }
        if cyclic {
            for &name in comp {
                if !self.values.contains_key(name) {
                    let z = self.b.constant(0.0);
                    self.b.set_next(self.history[name], z);
                }
            }
        }
    }

    /// Buses an expression refers to, looking through user functions it calls.
    pub(super) fn bus_refs(
        &self,
        e: &'a Expr,
        out: &mut Vec<&'a str>,
        seen_fns: &mut HashSet<&'a str>,
    ) {
        self.refs(e, 0, out, seen_fns);
    }

    /// [`Self::bus_refs`] at nesting `depth`. Deeper than [`MAX_NESTING`] it stops: lowering
    /// that path fails anyway, and the recursion stays bounded.
    pub(super) fn refs(
        &self,
        e: &'a Expr,
        depth: usize,
        out: &mut Vec<&'a str>,
        seen_fns: &mut HashSet<&'a str>,
    ) {
        if depth > MAX_NESTING {
            return;
        }
        let mut called = |name: &str, out: &mut Vec<&'a str>| {
            if let Some((&k, f)) = self.fns.get_key_value(name) {
                if seen_fns.insert(k) {
                    self.refs(f.body, depth + 1, out, seen_fns);
                }
            }
        };
        match &e.kind {
            ExprKind::Num(_) | ExprKind::Str(_) => {}
            ExprKind::Bus(b) => out.push(b),
            ExprKind::Name(n) => called(n, out),
            ExprKind::App { func, args, .. } => {
                called(&func.name, out);
                for a in args {
                    self.refs(a, depth + 1, out, seen_fns);
                }
            }
            ExprKind::Binary { lhs, rhs, .. } | ExprKind::Dollar { lhs, rhs } => {
                self.refs(lhs, depth + 1, out, seen_fns);
                self.refs(rhs, depth + 1, out, seen_fns);
            }
            ExprKind::Neg(a) | ExprKind::Prev(a) => self.refs(a, depth + 1, out, seen_fns),
            ExprKind::Keyword { value, .. } => self.refs(value, depth + 1, out, seen_fns),
            ExprKind::List(items) => {
                for a in items {
                    self.refs(a, depth + 1, out, seen_fns);
                }
            }
            ExprKind::Sum { from, to, body, .. } => {
                for a in [from, to, body] {
                    self.refs(a, depth + 1, out, seen_fns);
                }
            }
        }
    }

    pub(super) fn bus_ref(
        &mut self,
        name: &'a str,
        span: Span,
        sc: &Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        if !self.buses.contains_key(name) {
            let mut d = Diagnostic::error(format!("there is no bus `~{name}`"), span);
            let mut buses: Vec<&str> = self.buses.keys().copied().collect();
            buses.sort_unstable();
            if let Some(n) = nearest(name, buses) {
                d = d.with_label(format!("did you mean `~{n}`?"));
            } else {
                d = d.with_help(format!("define it on a line of its own: `~{name}: …`"));
            }
            return Err(d);
        }
        if let Some(reader) = sc.bus {
            if self.component.get(reader) == self.component.get(name) {
                if let Some(&cell) = self.history.get(name) {
                    self.b.program_mut().histories.push(ir::History {
                        reader: reader.to_string(),
                        bus: name.to_string(),
                        cell,
                        at: span.start,
                    });
                    return Ok(vec![self.b.read(cell)]);
                }
            }
        }
        match self.values.get(name) {
            Some(v) => Ok(v.clone()),
            // Only reachable when the bus itself failed to lower; its error is reported.
            None => Ok(vec![self.b.constant(0.0)]),
        }
    }

    /// A bus reference as what the bus is: its pattern or function, or its signal.
    pub(super) fn bus_val(
        &mut self,
        name: &'a str,
        span: Span,
        sc: &Scope<'a>,
    ) -> Result<Val, Diagnostic> {
        match self.pattern_buses.get(name) {
            Some(v) => Ok(v.clone()),
            None => self.bus_ref(name, span, sc).map(Val::Sig),
        }
    }

    /// A pattern bus played as a signal: once, keyed at the bus, whoever asks.
    pub(super) fn bus_signal(&mut self, name: &'a str, span: Span) -> Result<Value, Diagnostic> {
        if let Some(v) = self.values.get(name) {
            return Ok(v.clone());
        }
        let v = match self.pattern_buses.get(name).cloned() {
            Some(Val::Pat(p)) => {
                let site =
                    crate::key::Path::root(Root::Bus(name.to_string())).call("pattern", 0, 0);
                self.play(p, &site, span)?
            }
            Some(Val::Func(_)) => {
                return Err(Diagnostic::error(
                    format!("`~{name}` is a pattern function still waiting for its pattern"),
                    span,
                )
                .with_help(format!("apply it to a pattern: `\"bd sn\" $ ~{name}`")))
            }
            _ => vec![self.b.constant(0.0)],
        };
        self.values.insert(name, v.clone());
        Ok(v)
    }
}

/// Tarjan's algorithm: strongly connected components, each after every component it
/// references (dependencies first). Members keep source order.
pub(super) fn tarjan<'a>(
    order: &[&'a str],
    edges: &HashMap<&'a str, Vec<&'a str>>,
) -> Vec<Vec<&'a str>> {
    struct State<'a, 'e> {
        edges: &'e HashMap<&'a str, Vec<&'a str>>,
        index: HashMap<&'a str, usize>,
        low: HashMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: HashSet<&'a str>,
        out: Vec<Vec<&'a str>>,
    }
    pub(super) fn visit<'a>(s: &mut State<'a, '_>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for &w in &s.edges[v] {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack.remove(w);
                comp.push(w);
                if w == v {
                    break;
                }
            }
            s.out.push(comp);
        }
    }
    let mut s = State {
        edges,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on_stack: HashSet::new(),
        out: Vec::new(),
    };
    for &v in order {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    let pos: HashMap<&str, usize> = order.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    for comp in &mut s.out {
        comp.sort_by_key(|n| pos[n]);
    }
    s.out
}
