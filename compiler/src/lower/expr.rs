//! Expressions: numbers, names, operators, multichannel lists, `x'`, `sum`, and calls of
//! builtins and (inlined) user functions, each stateful call keyed by its site.

use super::patterns::{self, Val};
use super::{FnDef, Lowerer, Scope, Value, CONSTANTS, MAX_NESTING, MAX_SUM, MAX_WORK};
use crate::builtins::{self, Emitter};
use crate::ir::{BinOp, NodeId, UnOp};
use crate::key::Step;
use kanon_lang::ast::{self, Expr, ExprKind};
use kanon_lang::diag::nearest;
use kanon_lang::{Diagnostic, Span};

impl<'a> Lowerer<'a> {
    pub(super) fn constant(
        &mut self,
        e: &'a Expr,
        sc: &mut Scope<'a>,
        what: &str,
    ) -> Result<f64, Diagnostic> {
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

    /// Lowers an expression to a signal (a pattern is played: see [`super::play`]).
    pub(super) fn expr(&mut self, e: &'a Expr, sc: &mut Scope<'a>) -> Result<Value, Diagnostic> {
        let v = self.term(e, sc)?;
        self.signal_of(v, e, sc)
    }

    /// Lowers an expression to what it is: a signal, a pattern, or a pattern function.
    /// Every kind of node has its own method, so a debug build does not put every arm's
    /// temporaries in each frame of this recursion; `depth` bounds it through nested
    /// function calls.
    pub(super) fn term(&mut self, e: &'a Expr, sc: &mut Scope<'a>) -> Result<Val, Diagnostic> {
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
        let sig = Val::Sig;
        let v = match &e.kind {
            ExprKind::Num(v) => Ok(sig(vec![self.b.constant(*v)])),
            ExprKind::Str(text) => self.string(text, e),
            ExprKind::Bus(name) => self.bus_val(name, e.span, sc),
            ExprKind::Name(name) => self.name(name, e, sc),
            ExprKind::App { func, args, pipe } => self.app(func, args, *pipe, e, sc),
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, e, sc),
            ExprKind::Dollar { lhs, rhs } => self.dollar(lhs, rhs, e, sc),
            ExprKind::Keyword { name, .. } => Err(Diagnostic::error(
                format!(
                    "`:{}` is a keyword argument, and belongs in a call",
                    name.name
                ),
                e.span,
            )
            .with_help("write it after a function's arguments: `reverb 0.8 0.5 :mix 0.4`")),
            ExprKind::Neg(a) => self.neg(a, sc).map(sig),
            ExprKind::Prev(a) => self.prev(a, e, sc).map(sig),
            ExprKind::List(items) => self.list(items, sc).map(sig),
            ExprKind::Sum {
                var,
                from,
                to,
                body,
            } => self.sum(var, from, to, body, e, sc).map(sig),
        };
        self.depth -= 1;
        v
    }

    /// `a op b`: on patterns (or a pattern and a constant) a pattern, else signal
    /// arithmetic channel by channel.
    pub(super) fn binary(
        &mut self,
        op: ast::BinOp,
        lhs: &'a Expr,
        rhs: &'a Expr,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Val, Diagnostic> {
        let a = self.term(lhs, sc)?;
        let b = self.term(rhs, sc)?;
        self.binary_vals(op, a, b, lhs, rhs, e, sc)
    }

    /// `a op b` of lowered operands (`lhs` and `rhs` are where they came from).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn binary_vals(
        &mut self,
        op: ast::BinOp,
        a: Val,
        b: Val,
        lhs: &'a Expr,
        rhs: &'a Expr,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Val, Diagnostic> {
        if let Some(p) = self.pattern_arith(op, &a, &b) {
            return Ok(Val::Pat(p));
        }
        let a = self.signal_of(a, lhs, sc)?;
        let b = self.signal_of(b, rhs, sc)?;
        let (a, b) = self.broadcast(a, b, e.span)?;
        Ok(Val::Sig(
            a.iter()
                .zip(&b)
                .map(|(&x, &y)| self.binop(op, x, y))
                .collect(),
        ))
    }

    pub(super) fn neg(&mut self, a: &'a Expr, sc: &mut Scope<'a>) -> Result<Value, Diagnostic> {
        let a = self.expr(a, sc)?;
        Ok(a.into_iter().map(|x| self.b.unary(UnOp::Neg, x)).collect())
    }

    /// `a'`: a `mem` call site of its own.
    pub(super) fn prev(
        &mut self,
        a: &'a Expr,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        let v = self.expr(a, sc)?;
        let mem = builtins::find("mem").expect("mem is a builtin");
        let index = sc.numbering.of(e);
        let zero = self.b.constant(0.0);
        let args: Vec<Value> = vec![v, vec![zero]];
        self.call_builtin(mem, &args, &[], &[], index, e.span, sc)
    }

    pub(super) fn list(
        &mut self,
        items: &'a [Expr],
        sc: &mut Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        let mut out = Vec::new();
        for i in items {
            out.extend(self.expr(i, sc)?);
        }
        Ok(out)
    }

    /// `sum i from..to: body`, unrolled; each iteration keyed by its index.
    pub(super) fn sum(
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
        let index = sc.numbering.of(e);
        let mut acc: Option<Value> = None;
        let numbering = super::sites::number(body);
        for i in lo..hi {
            let path = sc.path.then(Step::Sum { index, i });
            let mut inner = sc.nested_numbered(path, numbering.clone());
            let iv = self.b.constant(i as f64);
            inner.env.push((var.name.clone(), Val::Sig(vec![iv])));
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

    pub(super) fn binop(&mut self, op: ast::BinOp, x: NodeId, y: NodeId) -> NodeId {
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

    pub(super) fn broadcast(
        &mut self,
        a: Value,
        b: Value,
        span: Span,
    ) -> Result<(Value, Value), Diagnostic> {
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

    pub(super) fn name(
        &mut self,
        name: &'a str,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Val, Diagnostic> {
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
            return Ok(Val::Sig(vec![self.b.constant(c)]));
        }
        if self.fns.contains_key(name)
            || builtins::find(name).is_some()
            || patterns::is_pattern_fn(name)
        {
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

    pub(super) fn app(
        &mut self,
        func: &'a ast::Ident,
        args: &'a [Expr],
        pipe: Option<Span>,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Val, Diagnostic> {
        if sc.env.iter().any(|(n, _)| *n == func.name) {
            return Err(Diagnostic::error(
                format!("`{}` is a value here, not a function", func.name),
                func.span,
            ));
        }
        self.app_resolved(func, args, pipe, e, sc)
    }

    pub(super) fn app_resolved(
        &mut self,
        func: &ast::Ident,
        args: &'a [Expr],
        pipe: Option<Span>,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Val, Diagnostic> {
        let name = func.name.as_str();
        let index = sc.numbering.of(e);
        if let Some((&fname, &f)) = self.fns.get_key_value(name) {
            return self.call_fn(fname, f, func, args, pipe, index, sc);
        }
        if patterns::PLAY_FORMS.contains(&name) && builtins::find(name).is_none() {
            return self.play_call(name, args, e, sc);
        }
        if patterns::is_pattern_fn(name) {
            return self.pattern_call(func, args, pipe, e, sc);
        }
        if let Some(v) = self.cycle_form(name, args, pipe, e, sc)? {
            return Ok(v);
        }
        // `s "bd*4" # ar 0.001 0.1`: each voice's own envelope (on a signal, the
        // envelope builtin, if there is one).
        let mut first = None;
        if patterns::VOICE_ENVELOPES.contains(&name) && !args.is_empty() {
            match self.term(&args[0], sc)? {
                Val::Pat(p) if p.origin.is_some() => {
                    return self.voice_envelope(name, p, &args[1..], e, sc);
                }
                v => first = Some(self.signal_of(v, &args[0], sc)?),
            }
        }
        if name == "select" && args.len() > 3 {
            return self.select_by_index(args, sc);
        }
        // Phonon's `delay input time feedback mix` (four arguments; kanon's `delay` takes
        // at most three) is its echo, `fbdelay`.
        let name = if is_phonon_delay(name, args) {
            "fbdelay"
        } else {
            name
        };
        let Some(builtin) = builtins::find(name) else {
            return Err(self.unknown_function(func, pipe));
        };
        self.builtin_call(builtin, args, first, pipe, index, e, sc)
    }

    /// Phonon's `select index s0 s1 s2 …` (three inputs or more): the input at
    /// `round(index)` (half away from zero) wrapped into 0…N−1 (Euclidean), as Phonon's
    /// `SignalNode::Select`. With two inputs `select` keeps kanon's meaning, `c ≠ 0 ? a : b`:
    /// the argument count tells them apart.
    fn select_by_index(&mut self, args: &'a [Expr], sc: &mut Scope<'a>) -> Result<Val, Diagnostic> {
        if let Some(k) = args
            .iter()
            .find(|a| matches!(a.kind, ExprKind::Keyword { .. }))
        {
            return Err(Diagnostic::error(
                "`select index s0 s1 s2 …` takes no keyword arguments",
                k.span,
            ));
        }
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            vals.push(self.expr(a, sc)?);
        }
        let width = vals.iter().map(Vec::len).max().unwrap_or(1);
        let mut chans = Vec::with_capacity(vals.len());
        for (v, a) in vals.into_iter().zip(args) {
            let zero = vec![self.b.constant(0.0); width];
            let (v, _) = self.broadcast(v, zero, a.span)?;
            chans.push(v);
        }
        let n = (chans.len() - 1) as f64;
        let b = &mut self.b;
        let mut out = Vec::with_capacity(width);
        for c in 0..width {
            let x = chans[0][c];
            // round half away from zero: sign(x)·floor(|x| + 0.5)
            let half = b.constant(0.5);
            let ax = b.unary(UnOp::Abs, x);
            let ah = b.binary(BinOp::Add, ax, half);
            let r = b.unary(UnOp::Floor, ah);
            let zero = b.constant(0.0);
            let neg = b.binary(BinOp::Lt, x, zero);
            let nr = b.unary(UnOp::Neg, r);
            let r = b.add(crate::ir::Op::Select(neg, nr, r));
            let nn = b.constant(n);
            let q = b.binary(BinOp::Div, r, nn);
            let f = b.unary(UnOp::Floor, q);
            let m = b.binary(BinOp::Mul, nn, f);
            let i = b.binary(BinOp::Sub, r, m);
            let mut y = chans[chans.len() - 1][c];
            for k in (0..chans.len() - 2).rev() {
                let kc = b.constant(k as f64);
                let is = b.binary(BinOp::Eq, i, kc);
                y = b.add(crate::ir::Op::Select(is, chans[k + 1][c], y));
            }
            out.push(y);
        }
        Ok(Val::Sig(out))
    }

    /// `trig "…"` or `gate "…"`.
    fn play_call(
        &mut self,
        name: &str,
        args: &'a [Expr],
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Val, Diagnostic> {
        let [a] = args else {
            return Err(Diagnostic::error(
                format!("`{name}` takes one pattern: `{name} \"x ~ x x\"`"),
                e.span,
            ));
        };
        let p = self.pattern_of(a, name, sc)?;
        self.play_form(name, p, e, sc).map(Val::Sig)
    }

    /// A builtin called with `args` (positional, then keyword), defaults filled in;
    /// `first` is the first argument when it was lowered already.
    #[allow(clippy::too_many_arguments)]
    fn builtin_call(
        &mut self,
        builtin: &'static builtins::Builtin,
        args: &'a [Expr],
        mut first: Option<Value>,
        pipe: Option<Span>,
        index: usize,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Val, Diagnostic> {
        let name = builtin.name;
        let names: Vec<&str> = builtin.params.iter().map(|p| p.name).collect();
        let (slots, positional) = self.arrange(name, &names, args)?;
        let (min, max) = (builtin.min_args(), builtin.params.len());
        let ignored = PHONON_IGNORES
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, k)| *k);
        let positional = if positional > max && positional - max <= ignored {
            // Phonon's programs pass settings it never reads: say so, and play.
            let extra: Vec<&Expr> = args
                .iter()
                .filter(|a| !matches!(a.kind, ExprKind::Keyword { .. }))
                .skip(max)
                .collect();
            let span = extra.first().map_or(e.span, |a| a.span);
            self.warnings.push(
                Diagnostic::warning(
                    format!(
                        "`{name}` takes {max} arguments; Phonon ignores the {} after them, and so does kanonc",
                        if extra.len() == 1 { "one".to_string() } else { extra.len().to_string() }
                    ),
                    span,
                )
                .with_label(format!("signature: {}", builtin.signature())),
            );
            max
        } else {
            positional
        };
        let missing = builtin
            .params
            .iter()
            .zip(&slots)
            .any(|(p, s)| s.is_none() && p.default.is_none());
        if positional > max || missing {
            let given_n = if missing { positional } else { args.len() };
            let wanted = if min == max {
                format!("{min}")
            } else {
                format!("{min} to {max}")
            };
            return Err(Diagnostic::error(
                format!(
                    "`{name}` takes {wanted} argument{}, but {}{}",
                    plural(max),
                    given(given_n),
                    piped(pipe)
                ),
                e.span,
            )
            .with_label(format!("signature: {}", builtin.signature())));
        }
        let given: Vec<bool> = slots.iter().map(Option::is_some).collect();
        let mut values = Vec::new();
        let mut texts = vec![None; builtin.params.len()];
        for (i, (p, slot)) in builtin.params.iter().zip(slots).enumerate() {
            if p.text {
                if slot.is_none() && p.default.is_some() {
                    // An optional name left out.
                    values.push(vec![self.b.constant(0.0)]);
                    continue;
                }
                // A name, not a signal: it must be written out in quotes.
                let Some(ExprKind::Str(t)) = slot.map(|a| &a.kind) else {
                    let at = slot.map_or(e.span, |a| a.span);
                    return Err(Diagnostic::error(
                        format!(
                            "the `{}` of `{name}` must be {} in quotes",
                            p.name,
                            // `segments "0 1 0" "0.1 0.2"`: lists of numbers, as Phonon writes them.
                            if name == "segments" {
                                "a list of numbers"
                            } else {
                                "a name"
                            }
                        ),
                        at,
                    )
                    .with_label(format!("signature: {}", builtin.signature())));
                };
                texts[i] = Some(t.clone());
                values.push(vec![self.b.constant(0.0)]);
                continue;
            }
            values.push(match slot {
                Some(_) if i == 0 && first.is_some() => first.take().unwrap_or_default(),
                Some(a) => self.expr(a, sc)?,
                None => {
                    let d = p.default.expect("checked above");
                    let d = if d.is_nan() {
                        self.b.program().tempo
                    } else {
                        d
                    };
                    vec![self.b.constant(d)]
                }
            });
        }
        self.call_builtin(builtin, &values, &texts, &given, index, e.span, sc)
            .map(Val::Sig)
    }

    /// The arguments of a call in parameter order: positional ones first, then each
    /// keyword argument (`:mix 0.4`) in its parameter's place. Returns the slots and how
    /// many positional arguments there were (more than `names` is the caller's error).
    pub(super) fn arrange(
        &self,
        fname: &str,
        names: &[&str],
        args: &'a [Expr],
    ) -> Result<(Vec<Option<&'a Expr>>, usize), Diagnostic> {
        let mut slots: Vec<Option<&'a Expr>> = vec![None; names.len()];
        let mut positional = 0;
        for a in args {
            match &a.kind {
                ExprKind::Keyword { name, value } => {
                    let Some(i) = names.iter().position(|n| *n == name.name) else {
                        let mut d = Diagnostic::error(
                            format!("`{fname}` has no parameter `{}`", name.name),
                            name.span,
                        );
                        if let Some(n) = nearest(&name.name, names.iter().copied()) {
                            d = d.with_label(format!("did you mean `:{n}`?"));
                        }
                        return Err(d.with_help(format!("its parameters: {}", names.join(", "))));
                    };
                    if slots[i].is_some() {
                        return Err(Diagnostic::error(
                            format!("`{}` of `{fname}` is given twice", name.name),
                            name.span,
                        ));
                    }
                    slots[i] = Some(value);
                }
                _ => {
                    if positional < slots.len() {
                        if slots[positional].is_some() {
                            return Err(Diagnostic::error(
                                format!("`{}` of `{fname}` is given twice", names[positional]),
                                a.span,
                            ));
                        }
                        slots[positional] = Some(a);
                    }
                    positional += 1;
                }
            }
        }
        Ok((slots, positional))
    }

    /// Inlines a user function at a call site keyed `<path>/<name>#<index>`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn call_fn(
        &mut self,
        fname: &'a str,
        f: FnDef<'a>,
        func: &ast::Ident,
        args: &'a [Expr],
        pipe: Option<Span>,
        index: usize,
        sc: &mut Scope<'a>,
    ) -> Result<Val, Diagnostic> {
        let name = fname;
        let names: Vec<&str> = f.params.iter().map(|p| p.name.as_str()).collect();
        let (slots, positional) = self.arrange(name, &names, args)?;
        if positional > names.len() || slots.iter().any(Option::is_none) {
            let mut sig = format!("signature: fn {name}");
            for p in &names {
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
        for a in slots.into_iter().flatten() {
            values.push(self.term(a, sc)?);
        }
        let mut inner = sc.nested(sc.path.call(name, index, 0), f.body);
        inner.env = f
            .params
            .iter()
            .map(|p| p.name.clone())
            .zip(values)
            .collect();
        inner.calls.push(fname.to_string());
        self.term(f.body, &mut inner)
    }

    /// The user functions' names, sorted (suggestions must not depend on hashing).
    pub(super) fn user_fns(&self) -> Vec<&'a str> {
        let mut v: Vec<&str> = self.fns.keys().copied().collect();
        v.sort_unstable();
        v
    }

    /// The error for a call of a name that is neither a builtin nor a user function.
    pub(super) fn unknown_function(&self, func: &ast::Ident, pipe: Option<Span>) -> Diagnostic {
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
    #[allow(clippy::too_many_arguments)]
    pub(super) fn call_builtin(
        &mut self,
        builtin: &builtins::Builtin,
        args: &[Value],
        texts: &[Option<String>],
        given: &[bool],
        index: usize,
        span: Span,
        sc: &Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        if builtins::reverb::STEREO.contains(&builtin.name) {
            return self.call_stereo(builtin, args, index, span, sc);
        }
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
            let site = sc.path.call(builtin.name, index, ch);
            let chan: Vec<NodeId> = args
                .iter()
                .map(|a| if a.len() == 1 { a[0] } else { a[ch] })
                .collect();
            let mut em = Emitter::new(&mut self.b, &site)
                .with_texts(texts)
                .with_given(given);
            let v = (builtin.lower)(&mut em, &chan).map_err(|m| {
                Diagnostic::error(m, span).with_label(format!("signature: {}", builtin.signature()))
            })?;
            out.push(v);
        }
        Ok(out)
    }
}

impl<'a> Lowerer<'a> {
    /// Calls a stereo builtin (`reverb`): its input is mono or `[l, r]`, its other
    /// arguments single signals, and its value `[left, right]`.
    fn call_stereo(
        &mut self,
        builtin: &builtins::Builtin,
        args: &[Value],
        index: usize,
        span: Span,
        sc: &Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        let input = &args[0];
        if input.len() > 2 || args[1..].iter().any(|a| a.len() != 1) {
            return Err(Diagnostic::error(
                format!(
                    "`{}` takes a mono or stereo input and single-channel settings",
                    builtin.name
                ),
                span,
            )
            .with_label(format!("signature: {}", builtin.signature())));
        }
        let site = sc.path.call(builtin.name, index, 0);
        let chan: Vec<NodeId> = args.iter().map(|a| a[0]).collect();
        let mut em = Emitter::new(&mut self.b, &site);
        if let [_, r] = input.as_slice() {
            em = em.with_right_input(*r);
        }
        let l = (builtin.lower)(&mut em, &chan).map_err(|m| {
            Diagnostic::error(m, span).with_label(format!("signature: {}", builtin.signature()))
        })?;
        let r = em.right_output().unwrap_or(l);
        Ok(vec![l, r])
    }
}

impl<'a> Lowerer<'a> {
    /// Phonon's `saw "110 220" $ fast 2`: a builtin called on a pattern string, with a
    /// pattern function after `$`, is the builtin on the transformed pattern
    /// (`saw ("110 220" $ fast 2)`). `None` when `lhs $ rhs` is not of that shape.
    pub(super) fn dollar_into_call(
        &mut self,
        lhs: &'a Expr,
        rhs: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Option<Val>, Diagnostic> {
        // `call $ f $ g` reads `(call $ f) $ g`: the functions, innermost first.
        let mut fs = vec![rhs];
        let mut call = lhs;
        while let ExprKind::Dollar { lhs: l, rhs: r } = &call.kind {
            fs.push(r);
            call = l;
        }
        fs.reverse();
        let lhs = call;
        let ExprKind::App {
            func,
            args,
            pipe: None,
        } = &lhs.kind
        else {
            return Ok(None);
        };
        let name = func.name.as_str();
        let Some(builtin) = builtins::find(name) else {
            return Ok(None);
        };
        let shadowed = self.fns.contains_key(name) || sc.env.iter().any(|(n, _)| n == name);
        let Some(first) = args.first() else {
            return Ok(None);
        };
        let all = fs.iter().all(|f| pattern_function(f));
        if shadowed || !matches!(first.kind, ExprKind::Str(_)) || !all {
            return Ok(None);
        }
        let Val::Pat(mut p) = self.term(first, sc)? else {
            return Ok(None);
        };
        for f in fs {
            let Val::Func(f) = self.term(f, sc)? else {
                return Ok(None);
            };
            p.p = f(&p.p);
        }
        let sig = self.signal_of(Val::Pat(p), first, sc)?;
        let index = sc.numbering.of(lhs);
        self.builtin_call(builtin, args, Some(sig), None, index, lhs, sc)
            .map(Some)
    }
}

/// Whether `e` is, by its shape, a pattern function waiting for its pattern: `fast 2`,
/// `rev`, `every 4 rev`, or several joined by `$`.
pub(super) fn pattern_function(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Name(n) => patterns::is_pattern_fn(n),
        ExprKind::App { func, .. } => patterns::is_pattern_fn(&func.name),
        ExprKind::Dollar { lhs, rhs } => pattern_function(lhs) && pattern_function(rhs),
        _ => false,
    }
}

/// Builtins to which Phonon's programs pass more settings than Phonon reads, and how many
/// trailing positional arguments past the last parameter it ignores: Phonon's `chorus`
/// reads rate, depth and mix and drops a fourth (`# chorus 3 0.8 0.2 0.5` in its
/// examples). kanonc ignores them too, with a warning, and refuses any more.
const PHONON_IGNORES: &[(&str, usize)] = &[("chorus", 1)];

/// Whether a call is Phonon's `delay input time feedback mix`: four positional
/// arguments, one more than kanon's `delay` takes. It is `fbdelay`, also in its site's
/// numbering (`sites.rs`), so its state keys are `fbdelay`'s.
pub(super) fn is_phonon_delay(name: &str, args: &[Expr]) -> bool {
    name == "delay"
        && args
            .iter()
            .filter(|a| !matches!(a.kind, ExprKind::Keyword { .. }))
            .count()
            == 4
}

/// "2 were given", "1 was given".
pub(super) fn given(n: usize) -> String {
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
