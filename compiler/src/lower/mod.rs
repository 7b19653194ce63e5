//! AST → IR. Gives names their meaning, inlines user functions and `sum`, expands
//! multichannel values, places history reads, and keys every piece of state.
//!
//! **History rule.** Buses referencing each other form a graph. A reference between two
//! buses of the same strongly connected component (a self-reference included) reads
//! the referenced bus's value from the previous sample, through a history cell keyed
//! `~name'`; every other reference reads the current sample's value. Buses are lowered
//! component by component, dependencies first, so the result never depends on the order
//! of the lines.
//!
//! **State keys.** A stateful call is keyed by where it stands: the enclosing path (the
//! bus, `out` or `oN`, then user-function call sites and `sum` iterations), the builtin's
//! name and its index among calls of that name in the same definition, counted left to
//! right in the text: `~bass/lpf#0`, `~pad/voice#1/saw#0`, `~bank/sum#0[7]/sine#0`.
//! Channel `c > 0` of a multichannel expansion appends `@c`. A slot name follows a dot:
//! `~bass/lpf#0.y1`.

use crate::builtins::{self, Emitter};
use crate::ir::{self, BinOp, Builder, CellId, NodeId, UnOp};
use kanon_lang::ast::{self, Expr, ExprKind, Item, OutTarget};
use kanon_lang::diag::{nearest, Severity};
use kanon_lang::{Diagnostic, Span};
use std::collections::{HashMap, HashSet};

/// A value: one node per channel.
type Value = Vec<NodeId>;

/// Most iterations one `sum` may unroll to, and all of a program's `sum`s together.
pub const MAX_SUM: i64 = 100_000;

/// Most output channels a program may have (`oN` with N up to this, or as wide an `out`).
pub const MAX_CHANNELS: usize = 1024;

/// Deepest nesting of expressions while lowering, counting the bodies of inlined
/// functions: bounds the recursion (each level costs a few KiB of stack in a debug build).
pub const MAX_NESTING: usize = 400;

/// Most expressions lowered for one program, counting every inlined copy: bounds the
/// compile time of programs whose functions call each other in a doubling pattern.
pub const MAX_WORK: usize = 2_000_000;

/// Names that are constants.
const CONSTANTS: &[&str] = &["pi", "tau", "sr", "cps"];

/// The lowered program and any warnings, or the errors.
pub fn lower(
    program: &ast::Program,
    text: &str,
    sample_rate: f64,
) -> Result<(ir::Program, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut l = Lowerer::new(program, text, sample_rate)?;
    l.run(program);
    if l.errors.is_empty() {
        Ok((l.b.finish(), l.warnings))
    } else {
        Err(l.errors)
    }
}

#[derive(Clone, Copy)]
struct BusDef<'a> {
    name: &'a ast::Ident,
    body: &'a Expr,
    init: Option<&'a Expr>,
}

#[derive(Clone, Copy)]
struct FnDef<'a> {
    params: &'a [ast::Ident],
    body: &'a Expr,
}

/// Where an expression is being lowered: whose state it creates, which bus it defines,
/// what local names are bound.
#[derive(Clone)]
struct Scope<'a> {
    /// The bus being defined, for the history rule.
    bus: Option<&'a str>,
    /// Key prefix, e.g. `~pad/voice#1`.
    path: String,
    /// Index of each stateful call site among same-named calls, by (name, position).
    numbering: HashMap<(String, usize), usize>,
    /// Function parameters and `sum` indices, innermost last.
    env: Vec<(String, Value)>,
    /// User functions being inlined, to catch recursion.
    calls: Vec<String>,
}

struct Lowerer<'a> {
    text: &'a str,
    b: Builder,
    buses: HashMap<&'a str, BusDef<'a>>,
    fns: HashMap<&'a str, FnDef<'a>>,
    component: HashMap<&'a str, usize>,
    values: HashMap<&'a str, Value>,
    history: HashMap<&'a str, CellId>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Expressions being lowered, innermost last (see [`MAX_NESTING`]).
    depth: usize,
    /// `sum` iterations unrolled so far (at most [`MAX_SUM`] in all).
    unrolled: i64,
    /// Expressions lowered so far (at most [`MAX_WORK`]).
    work: usize,
}

impl<'a> Lowerer<'a> {
    fn new(
        program: &'a ast::Program,
        text: &'a str,
        sample_rate: f64,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut buses: HashMap<&str, BusDef> = HashMap::new();
        let mut fns: HashMap<&str, FnDef> = HashMap::new();
        let mut first: HashMap<String, Span> = HashMap::new();
        for item in &program.items {
            let (key, span) = match item {
                Item::Bus { name, .. } => (format!("~{}", name.name), name.span),
                Item::Fn { name, .. } => (format!("fn {}", name.name), name.span),
                Item::Out { target, span, .. } => (out_name(*target), *span),
                Item::Tempo { span, .. } => ("tempo".to_string(), *span),
            };
            if let Some(prev) = first.get(&key) {
                let line = text[..prev.start.min(text.len())].matches('\n').count() + 1;
                errors.push(
                    Diagnostic::error(format!("`{key}` is defined twice"), span)
                        .with_label(format!("first defined on line {line}"))
                        .with_help(
                            "each bus, output and function is defined once; remove or rename one",
                        ),
                );
                continue;
            }
            first.insert(key, span);
            match item {
                Item::Bus {
                    name, body, init, ..
                } => {
                    buses.insert(
                        &name.name,
                        BusDef {
                            name,
                            body,
                            init: init.as_ref(),
                        },
                    );
                }
                Item::Fn {
                    name, params, body, ..
                } => {
                    if builtins::find(&name.name).is_some()
                        || CONSTANTS.contains(&name.name.as_str())
                    {
                        errors.push(
                            Diagnostic::error(
                                format!("`{}` is a builtin and cannot be redefined", name.name),
                                name.span,
                            )
                            .with_help("give your function another name"),
                        );
                        continue;
                    }
                    fns.insert(&name.name, FnDef { params, body });
                }
                _ => {}
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Lowerer {
            text,
            b: Builder::new(sample_rate),
            buses,
            fns,
            component: HashMap::new(),
            values: HashMap::new(),
            history: HashMap::new(),
            errors,
            warnings: Vec::new(),
            depth: 0,
            unrolled: 0,
            work: 0,
        })
    }

    fn run(&mut self, program: &'a ast::Program) {
        for item in &program.items {
            if let Item::Tempo { value, .. } = item {
                let mut sc = Scope::root(None, "tempo", value);
                match self.constant(value, &mut sc, "the tempo") {
                    Ok(v) if v > 0.0 => self.b.program_mut().tempo = v,
                    Ok(_) => self.errors.push(Diagnostic::error(
                        "the tempo must be above 0 cycles per second",
                        value.span,
                    )),
                    Err(d) => self.errors.push(d),
                }
            }
        }

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

        let mut bus_values = Vec::new();
        for &name in &order {
            bus_values.push((name.to_string(), self.values[name].clone()));
        }
        self.b.program_mut().buses = bus_values;

        // Outputs.
        let mut main: Option<Value> = None;
        let mut channels: Vec<(u32, NodeId)> = Vec::new();
        for item in &program.items {
            let Item::Out { target, body, span } = item else {
                continue;
            };
            let name = out_name(*target);
            if matches!(target, OutTarget::Channel(n) if *n as usize > MAX_CHANNELS) {
                self.errors.push(
                    Diagnostic::error(format!("there is no channel `{name}`"), *span).with_help(
                        format!("channel outputs are numbered from 1 to {MAX_CHANNELS}"),
                    ),
                );
                continue;
            }
            let mut sc = Scope::root(None, &name, body);
            let v = match self.expr(body, &mut sc) {
                Ok(v) => v,
                Err(d) => {
                    self.errors.push(d);
                    continue;
                }
            };
            if v.len() > MAX_CHANNELS {
                self.errors.push(Diagnostic::error(
                    format!(
                        "this is {} channels; a program has at most {MAX_CHANNELS}",
                        v.len()
                    ),
                    body.span,
                ));
                continue;
            }
            match target {
                OutTarget::Main => main = Some(v),
                OutTarget::Channel(n) => {
                    if v.len() != 1 {
                        self.errors.push(
                            Diagnostic::error(
                                format!("`{name}` is one channel, but this is {} channels", v.len()),
                                body.span,
                            )
                            .with_help("send a multichannel value to `out:`, or pick one channel per `oN:`"),
                        );
                        continue;
                    }
                    channels.push((*n, v[0]));
                }
            }
        }
        let width = main
            .as_ref()
            .map_or(0, Vec::len)
            .max(channels.iter().map(|&(n, _)| n as usize).max().unwrap_or(0));
        if width == 0 {
            self.warnings.push(Diagnostic {
                severity: Severity::Warning,
                ..Diagnostic::global(
                    "the program has no output: add `out: …` (or `o1: …`) to hear it",
                )
            });
        }
        let mut outputs = Vec::new();
        for ch in 0..width {
            let mut acc: Option<NodeId> = None;
            let mut mix = |b: &mut Builder, v: NodeId| {
                acc = Some(match acc {
                    None => v,
                    Some(a) => b.binary(BinOp::Add, a, v),
                });
            };
            if let Some(m) = &main {
                if m.len() == 1 {
                    mix(&mut self.b, m[0]);
                } else if ch < m.len() {
                    mix(&mut self.b, m[ch]);
                }
            }
            for &(n, v) in &channels {
                if n as usize == ch + 1 {
                    mix(&mut self.b, v);
                }
            }
            let v = acc.unwrap_or_else(|| self.b.constant(0.0));
            outputs.push(v);
        }
        self.b.program_mut().outputs = outputs;
    }

    /// Lowers one strongly connected component of buses. In a cyclic one, every
    /// member gets a history cell first, and references between members read it.
    fn lower_component(&mut self, comp: &[&'a str], cyclic: bool) {
        if cyclic {
            for &name in comp {
                let def = self.buses[name];
                let init = match def.init {
                    Some(e) => {
                        let mut sc = Scope::root(None, &format!("~{name}"), e);
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
                let cell = self.b.cell(format!("~{name}'"), init);
                self.history.insert(name, cell);
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
            let mut sc = Scope::root(Some(name), &format!("~{name}"), def.body);
            let value = match self.expr(def.body, &mut sc) {
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
    fn bus_refs(&self, e: &'a Expr, out: &mut Vec<&'a str>, seen_fns: &mut HashSet<&'a str>) {
        self.refs(e, 0, out, seen_fns);
    }

    /// [`Self::bus_refs`] at nesting `depth`. Deeper than [`MAX_NESTING`] it stops: lowering
    /// that path fails anyway, and the recursion stays bounded.
    fn refs(
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
            ExprKind::Num(_) => {}
            ExprKind::Bus(b) => out.push(b),
            ExprKind::Name(n) => called(n, out),
            ExprKind::App { func, args, .. } => {
                called(&func.name, out);
                for a in args {
                    self.refs(a, depth + 1, out, seen_fns);
                }
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                self.refs(lhs, depth + 1, out, seen_fns);
                self.refs(rhs, depth + 1, out, seen_fns);
            }
            ExprKind::Neg(a) | ExprKind::Prev(a) => self.refs(a, depth + 1, out, seen_fns),
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

    /// Lowers an expression that must be a compile-time constant.
    fn constant(&mut self, e: &'a Expr, sc: &mut Scope<'a>, what: &str) -> Result<f64, Diagnostic> {
        let v = self.expr(e, sc)?;
        match v.as_slice() {
            [n] => self.b.program().constant(*n).ok_or_else(|| {
                Diagnostic::error(format!("{what} must be a constant"), e.span)
                    .with_label("this changes while the program runs")
            }),
            _ => Err(Diagnostic::error(
                format!("{what} must be a single number, not {} channels", v.len()),
                e.span,
            )),
        }
    }

    /// Lowers an expression. Every kind of node has its own method, so a debug build does
    /// not put every arm's temporaries in each frame of this recursion; `depth` bounds it
    /// through nested function calls.
    fn expr(&mut self, e: &'a Expr, sc: &mut Scope<'a>) -> Result<Value, Diagnostic> {
        if self.depth >= MAX_NESTING {
            return Err(Diagnostic::error(
                "this expression is nested too deeply (counting the bodies of the functions it calls)",
                e.span,
            )
            .with_help("split it into buses (`~part: …`) and combine those"));
        }
        self.work += 1;
        if self.work > MAX_WORK {
            // Report once, where the budget ran out.
            return Err(Diagnostic::error(
                format!("this program expands to more than {MAX_WORK} expressions"),
                e.span,
            )
            .with_help("functions are inlined at every call and `sum` copies its body: calls that double at each level grow fast"));
        }
        self.depth += 1;
        let v = match &e.kind {
            ExprKind::Num(v) => Ok(vec![self.b.constant(*v)]),
            ExprKind::Bus(name) => self.bus_ref(name, e.span, sc),
            ExprKind::Name(name) => self.name(name, e, sc),
            ExprKind::App { func, args, pipe } => self.app(func, args, *pipe, e, sc),
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, e.span, sc),
            ExprKind::Neg(a) => self.neg(a, sc),
            ExprKind::Prev(a) => self.prev(a, e, sc),
            ExprKind::List(items) => self.list(items, sc),
            ExprKind::Sum {
                var,
                from,
                to,
                body,
            } => self.sum(var, from, to, body, e, sc),
        };
        self.depth -= 1;
        v
    }

    fn binary(
        &mut self,
        op: ast::BinOp,
        lhs: &'a Expr,
        rhs: &'a Expr,
        span: Span,
        sc: &mut Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        let a = self.expr(lhs, sc)?;
        let b = self.expr(rhs, sc)?;
        let (a, b) = self.broadcast(a, b, span)?;
        Ok(a.iter()
            .zip(&b)
            .map(|(&x, &y)| self.binop(op, x, y))
            .collect())
    }

    fn neg(&mut self, a: &'a Expr, sc: &mut Scope<'a>) -> Result<Value, Diagnostic> {
        let a = self.expr(a, sc)?;
        Ok(a.into_iter().map(|x| self.b.unary(UnOp::Neg, x)).collect())
    }

    /// `a'`: a `mem` call site of its own.
    fn prev(&mut self, a: &'a Expr, e: &'a Expr, sc: &mut Scope<'a>) -> Result<Value, Diagnostic> {
        let v = self.expr(a, sc)?;
        let mem = builtins::find("mem").expect("mem is a builtin");
        let (name, pos) = site(e).expect("prev is a call site");
        let index = sc.numbering[&(name.to_string(), pos)];
        let zero = self.b.constant(0.0);
        let args: Vec<Value> = vec![v, vec![zero]];
        self.call_builtin(mem, &args, index, e.span, sc)
    }

    fn list(&mut self, items: &'a [Expr], sc: &mut Scope<'a>) -> Result<Value, Diagnostic> {
        let mut out = Vec::new();
        for i in items {
            out.extend(self.expr(i, sc)?);
        }
        Ok(out)
    }

    /// `sum i from..to: body`, unrolled; each iteration keyed by its index.
    fn sum(
        &mut self,
        var: &'a ast::Ident,
        from: &'a Expr,
        to: &'a Expr,
        body: &'a Expr,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        let lo = self.constant(from, sc, "the start of a `sum` range")?;
        let hi = self.constant(to, sc, "the end of a `sum` range")?;
        if lo.fract() != 0.0 || hi.fract() != 0.0 {
            return Err(Diagnostic::error(
                "a `sum` range runs over whole numbers",
                from.span.to(to.span),
            )
            .with_help("write it like `sum i 0..100: …`"));
        }
        // Counted in f64: the bounds may be far outside i64.
        let count = (hi - lo).max(0.0);
        if count > MAX_SUM as f64 {
            return Err(Diagnostic::error(
                format!(
                    "a `sum` unrolls to at most {MAX_SUM} copies, this one to {}",
                    crate::fmt_num(count)
                ),
                from.span.to(to.span),
            ));
        }
        // Nested `sum`s multiply: bound the copies of the whole program too.
        self.unrolled += count as i64;
        if self.unrolled > MAX_SUM {
            return Err(Diagnostic::error(
                format!("the `sum`s of this program unroll to more than {MAX_SUM} copies in all"),
                from.span.to(to.span),
            )
            .with_help("nested `sum`s multiply: 0..1000 inside 0..1000 is a million copies"));
        }
        let (lo, hi) = (lo as i64, hi as i64);
        let (name, pos) = site(e).expect("sum is a call site");
        let index = sc.numbering[&(name.to_string(), pos)];
        let mut acc: Option<Value> = None;
        for i in lo..hi {
            let mut inner = sc.nested(format!("{}/sum#{index}[{i}]", sc.path), body);
            let iv = self.b.constant(i as f64);
            inner.env.push((var.name.clone(), vec![iv]));
            let v = self.expr(body, &mut inner)?;
            acc = Some(match acc {
                None => v,
                Some(a) => {
                    let (a, v) = self.broadcast(a, v, body.span)?;
                    a.iter()
                        .zip(&v)
                        .map(|(&x, &y)| self.b.binary(BinOp::Add, x, y))
                        .collect()
                }
            });
        }
        Ok(acc.unwrap_or_else(|| vec![self.b.constant(0.0)]))
    }

    fn binop(&mut self, op: ast::BinOp, x: NodeId, y: NodeId) -> NodeId {
        let b = &mut self.b;
        let simple = |op| Some(op);
        let ir_op = match op {
            ast::BinOp::Add => simple(BinOp::Add),
            ast::BinOp::Sub => simple(BinOp::Sub),
            ast::BinOp::Mul => simple(BinOp::Mul),
            ast::BinOp::Div => simple(BinOp::Div),
            ast::BinOp::Pow => simple(BinOp::Pow),
            ast::BinOp::Lt => simple(BinOp::Lt),
            ast::BinOp::Le => simple(BinOp::Le),
            ast::BinOp::Gt => simple(BinOp::Gt),
            ast::BinOp::Ge => simple(BinOp::Ge),
            ast::BinOp::Eq => simple(BinOp::Eq),
            ast::BinOp::Ne => simple(BinOp::Ne),
            ast::BinOp::Mod => None,
        };
        match ir_op {
            Some(o) => b.binary(o, x, y),
            None => {
                // Floored modulo: the result has the sign of the divisor, so `(~p + d) % 1`
                // stays in [0, 1) for negative d too.
                let q = b.binary(BinOp::Div, x, y);
                let f = b.unary(UnOp::Floor, q);
                let m = b.binary(BinOp::Mul, y, f);
                b.binary(BinOp::Sub, x, m)
            }
        }
    }

    fn broadcast(&mut self, a: Value, b: Value, span: Span) -> Result<(Value, Value), Diagnostic> {
        match (a.len(), b.len()) {
            (x, y) if x == y => Ok((a, b)),
            (1, y) => Ok((vec![a[0]; y], b)),
            (x, 1) => Ok((a, vec![b[0]; x])),
            (x, y) => Err(Diagnostic::error(
                format!("cannot combine {x} channels with {y} channels"),
                span,
            )
            .with_help("multichannel values combine channel by channel, or with a single channel")),
        }
    }

    fn bus_ref(&mut self, name: &'a str, span: Span, sc: &Scope<'a>) -> Result<Value, Diagnostic> {
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

    fn name(
        &mut self,
        name: &'a str,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        if let Some((_, v)) = sc.env.iter().rev().find(|(n, _)| n == name) {
            return Ok(v.clone());
        }
        let p = self.b.program();
        let c = match name {
            "pi" => Some(std::f64::consts::PI),
            "tau" => Some(std::f64::consts::TAU),
            "sr" => Some(p.sample_rate),
            "cps" => Some(p.tempo),
            _ => None,
        };
        if let Some(c) = c {
            return Ok(vec![self.b.constant(c)]);
        }
        if self.fns.contains_key(name) || builtins::find(name).is_some() {
            let func = ast::Ident {
                name: name.to_string(),
                span: e.span,
            };
            // A bare function name is a call with no arguments (`noise`).
            return self.app_resolved(&func, &[], None, e, sc);
        }
        // The user's own names first: they win ties.
        let mut known: Vec<&str> = sc.env.iter().rev().map(|(n, _)| n.as_str()).collect();
        known.extend(self.user_fns());
        known.extend(CONSTANTS);
        known.extend(builtins::all().map(|b| b.name));
        let mut d = Diagnostic::error(format!("unknown name `{name}`"), e.span);
        if self.buses.contains_key(name) {
            d = d.with_label(format!("did you mean the bus `~{name}`?"));
        } else if let Some(n) = nearest(name, known) {
            d = d.with_label(format!("did you mean `{n}`?"));
        } else {
            d = d.with_help(
                "a name is a function parameter, a `sum` index, a constant (`pi`, `tau`, `sr`, `cps`) or a function; bus names start with `~`",
            );
        }
        Err(d)
    }

    fn app(
        &mut self,
        func: &'a ast::Ident,
        args: &'a [Expr],
        pipe: Option<Span>,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        if sc.env.iter().any(|(n, _)| *n == func.name) {
            return Err(Diagnostic::error(
                format!("`{}` is a value here, not a function", func.name),
                func.span,
            ));
        }
        self.app_resolved(func, args, pipe, e, sc)
    }

    fn app_resolved(
        &mut self,
        func: &ast::Ident,
        args: &'a [Expr],
        pipe: Option<Span>,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        let name = func.name.as_str();
        let index = site(e)
            .and_then(|(n, pos)| sc.numbering.get(&(n.to_string(), pos)).copied())
            .unwrap_or(0);
        if let Some((&fname, &f)) = self.fns.get_key_value(name) {
            return self.call_fn(fname, f, func, args, pipe, index, sc);
        }
        let Some(builtin) = builtins::find(name) else {
            return Err(self.unknown_function(func, pipe));
        };
        let (min, max) = (builtin.min_args(), builtin.params.len());
        if args.len() < min || args.len() > max {
            let wanted = if min == max {
                format!("{min}")
            } else {
                format!("{min} to {max}")
            };
            return Err(Diagnostic::error(
                format!(
                    "`{name}` takes {wanted} argument{}, but {}{}",
                    plural(max),
                    given(args.len()),
                    piped(pipe)
                ),
                e.span,
            )
            .with_label(format!("signature: {}", builtin.signature())));
        }
        let mut values = Vec::new();
        for a in args {
            values.push(self.expr(a, sc)?);
        }
        for p in &builtin.params[args.len()..] {
            let d = p.default.expect("optional parameters are trailing");
            values.push(vec![self.b.constant(d)]);
        }
        self.call_builtin(builtin, &values, index, e.span, sc)
    }

    /// Inlines a user function at a call site keyed `<path>/<name>#<index>`.
    #[allow(clippy::too_many_arguments)]
    fn call_fn(
        &mut self,
        fname: &'a str,
        f: FnDef<'a>,
        func: &ast::Ident,
        args: &'a [Expr],
        pipe: Option<Span>,
        index: usize,
        sc: &mut Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        let name = fname;
        if f.params.len() != args.len() {
            let params: Vec<&str> = f.params.iter().map(|p| p.name.as_str()).collect();
            let mut sig = format!("signature: fn {name}");
            for p in params {
                sig.push(' ');
                sig.push_str(p);
            }
            return Err(Diagnostic::error(
                format!(
                    "`{name}` takes {} argument{}, but {}{}",
                    f.params.len(),
                    plural(f.params.len()),
                    given(args.len()),
                    piped(pipe)
                ),
                func.span,
            )
            .with_label(sig));
        }
        if let Some(at) = sc.calls.iter().position(|c| c == name) {
            let through = &sc.calls[at + 1..];
            let message = if through.is_empty() {
                format!("`{name}` calls itself; functions are inlined, so they cannot recurse")
            } else {
                format!(
                    "`{name}` calls itself through `{}`; functions are inlined, so they cannot recurse",
                    through.join("` → `")
                )
            };
            return Err(Diagnostic::error(message, func.span).with_help(
                "for a signal that feeds back, use a bus that reads itself: `~x: ~x * 0.5 + …`",
            ));
        }
        let mut values = Vec::new();
        for a in args {
            values.push(self.expr(a, sc)?);
        }
        let mut inner = sc.nested(format!("{}/{name}#{index}", sc.path), f.body);
        inner.env = f
            .params
            .iter()
            .map(|p| p.name.clone())
            .zip(values)
            .collect();
        inner.calls.push(fname.to_string());
        self.expr(f.body, &mut inner)
    }

    /// The user functions' names, sorted (suggestions must not depend on hashing).
    fn user_fns(&self) -> Vec<&'a str> {
        let mut v: Vec<&str> = self.fns.keys().copied().collect();
        v.sort_unstable();
        v
    }

    /// The error for a call of a name that is neither a builtin nor a user function.
    fn unknown_function(&self, func: &ast::Ident, pipe: Option<Span>) -> Diagnostic {
        let name = func.name.as_str();
        let known = self
            .user_fns()
            .into_iter()
            .chain(builtins::all().map(|b| b.name));
        let mut d = Diagnostic::error(format!("unknown function `{name}`"), func.span);
        if let Some(n) = nearest(name, known) {
            d = d.with_label(format!("did you mean `{n}`?"));
        }
        if let Some(p) = pipe {
            if self.text[..p.start]
                .rsplit('\n')
                .next()
                .is_some_and(|l| l.trim().is_empty())
            {
                d = d.with_help(
                    "an indented `#` pipes into a function; write comments with `--` or `//`",
                );
            }
        }
        d
    }

    /// Calls a builtin once per channel of its widest argument.
    fn call_builtin(
        &mut self,
        builtin: &builtins::Builtin,
        args: &[Value],
        index: usize,
        span: Span,
        sc: &Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        let width = args.iter().map(Vec::len).max().unwrap_or(1).max(1);
        if let Some(bad) = args.iter().find(|a| a.len() != 1 && a.len() != width) {
            return Err(Diagnostic::error(
                format!(
                    "`{}` got arguments of {} and {width} channels",
                    builtin.name,
                    bad.len()
                ),
                span,
            ));
        }
        let mut out = Vec::with_capacity(width);
        for ch in 0..width {
            let key = if ch == 0 {
                format!("{}/{}#{index}", sc.path, builtin.name)
            } else {
                format!("{}/{}#{index}@{ch}", sc.path, builtin.name)
            };
            let chan: Vec<NodeId> = args
                .iter()
                .map(|a| if a.len() == 1 { a[0] } else { a[ch] })
                .collect();
            let mut em = Emitter::new(&mut self.b, &key);
            let v = (builtin.lower)(&mut em, &chan).map_err(|m| {
                Diagnostic::error(m, span).with_label(format!("signature: {}", builtin.signature()))
            })?;
            out.push(v);
        }
        Ok(out)
    }
}

impl<'a> Scope<'a> {
    fn root(bus: Option<&'a str>, path: &str, body: &'a Expr) -> Self {
        Scope {
            bus,
            path: path.to_string(),
            numbering: numbering(body),
            env: Vec::new(),
            calls: Vec::new(),
        }
    }

    /// A scope for an inlined body: same bus, deeper path, its own numbering.
    fn nested(&self, path: String, body: &'a Expr) -> Self {
        Scope {
            bus: self.bus,
            path,
            numbering: numbering(body),
            env: self.env.clone(),
            calls: self.calls.clone(),
        }
    }
}

/// The (name, position) of an expression that may own state, if it is one.
fn site(e: &Expr) -> Option<(&str, usize)> {
    match &e.kind {
        ExprKind::App { func, .. } => Some((&func.name, func.span.start)),
        ExprKind::Name(n) => Some((n, e.span.start)),
        // Position of the `'`, which nothing else shares.
        ExprKind::Prev(_) => Some(("mem", e.span.end.saturating_sub(1))),
        ExprKind::Sum { .. } => Some(("sum", e.span.start)),
        _ => None,
    }
}

/// Numbers the call sites of one definition: per name, left to right in the text.
/// A `sum` body is numbered on its own (each iteration has its own path).
fn numbering(body: &Expr) -> HashMap<(String, usize), usize> {
    let mut sites: Vec<(String, usize)> = Vec::new();
    fn visit(e: &Expr, sites: &mut Vec<(String, usize)>) {
        if let Some((n, pos)) = site(e) {
            sites.push((n.to_string(), pos));
        }
        match &e.kind {
            ExprKind::Sum { from, to, .. } => {
                visit(from, sites);
                visit(to, sites);
            }
            _ => children(e, |c| visit(c, sites)),
        }
    }
    visit(body, &mut sites);
    sites.sort_by(|a, b| (a.0.as_str(), a.1).cmp(&(b.0.as_str(), b.1)));
    sites.dedup();
    let mut out = HashMap::new();
    let mut last: Option<&str> = None;
    let mut k = 0;
    for (name, pos) in &sites {
        if last != Some(name.as_str()) {
            k = 0;
            last = Some(name);
        }
        out.insert((name.clone(), *pos), k);
        k += 1;
    }
    out
}

fn children(e: &Expr, mut f: impl FnMut(&Expr)) {
    match &e.kind {
        ExprKind::Num(_) | ExprKind::Bus(_) | ExprKind::Name(_) => {}
        ExprKind::App { args, .. } => args.iter().for_each(f),
        ExprKind::Binary { lhs, rhs, .. } => {
            f(lhs);
            f(rhs);
        }
        ExprKind::Neg(a) | ExprKind::Prev(a) => f(a),
        ExprKind::List(items) => items.iter().for_each(f),
        ExprKind::Sum { from, to, body, .. } => {
            f(from);
            f(to);
            f(body);
        }
    }
}

/// Tarjan's algorithm: strongly connected components, each after every component it
/// references (dependencies first). Members keep source order.
fn tarjan<'a>(order: &[&'a str], edges: &HashMap<&'a str, Vec<&'a str>>) -> Vec<Vec<&'a str>> {
    struct State<'a, 'e> {
        edges: &'e HashMap<&'a str, Vec<&'a str>>,
        index: HashMap<&'a str, usize>,
        low: HashMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: HashSet<&'a str>,
        out: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(s: &mut State<'a, '_>, v: &'a str) {
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

fn out_name(t: OutTarget) -> String {
    match t {
        OutTarget::Main => "out".to_string(),
        OutTarget::Channel(n) => format!("o{n}"),
    }
}

/// "2 were given", "1 was given".
fn given(n: usize) -> String {
    format!("{n} {} given", if n == 1 { "was" } else { "were" })
}

/// The note on an argument count that includes a value piped in.
fn piped(pipe: Option<Span>) -> &'static str {
    if pipe.is_some() {
        " (counting the value piped in with `#`)"
    } else {
        ""
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
