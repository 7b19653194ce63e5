//! Patterns in expressions: mini-notation strings, pattern functions and controls applied
//! by juxtaposition, `#` and `$`, and pattern arithmetic. These are compile-time values
//! (`kanon_pattern::Pattern`), built here and turned into signals only where a signal is
//! needed ([`super::play`]).
//!
//! - `"bd sn"` is a pattern; `fast 2 "bd sn"`, `"bd sn" $ fast 2`, `fast 2 $ "bd sn"` and
//!   `"bd sn" # fast 2` are the same pattern (a piped value is the pattern argument, which
//!   pattern functions take last, as Tidal's do).
//! - A pattern function given fewer arguments than it takes is a function (`fast 2`,
//!   `rev`, `every 4 (fast 2)`); `$` applies a function to a pattern on either side, and
//!   composes two functions (`jux rev $ fast 2`).
//! - A control applied to a pattern combines with Tidal's `#`: the structure from the
//!   left, values from the right (`s "bd*4" # gain "1 0.5"`).
//! - Signal builtins win over pattern functions of the same name: `sine`, `delay`,
//!   `lpf` are kanon's signal functions; a pattern reaching one is played as a signal.

use super::{Lowerer, Scope, Value};
use crate::builtins;
use crate::key::Path;
use kanon_lang::ast::{self, Expr, ExprKind};
use kanon_lang::{Diagnostic, Span};
use kanon_pattern::functions::{self as pf, Arg, Param};
use kanon_pattern::ops::Func;
use kanon_pattern::{Pattern, Value as PValue};
use std::sync::Arc;

/// What an expression lowers to.
#[derive(Clone)]
pub(super) enum Val {
    /// A signal: one node per channel.
    Sig(Value),
    /// A pattern.
    Pat(Pat),
    /// A pattern function still waiting for its pattern.
    Func(Func),
}

/// A pattern with what its signal needs to know.
#[derive(Clone)]
pub(super) struct Pat {
    /// The pattern.
    pub p: Pattern<PValue>,
    /// The call site of the `s` that made it a pattern of sounds: its voices are keyed
    /// there, so they ring on through edits of what surrounds it.
    pub origin: Option<Path>,
}

impl Pat {
    fn new(p: Pattern<PValue>) -> Pat {
        Pat { p, origin: None }
    }
    fn map(self, f: impl FnOnce(Pattern<PValue>) -> Pattern<PValue>) -> Pat {
        Pat {
            p: f(self.p),
            origin: self.origin,
        }
    }
}

/// Envelopes that, piped from a pattern of sounds, shape each voice instead (`ar`, and
/// Phonon's `ad`, its other name; `adsr` and `asr` need a gate, so on sounds they are an
/// error that says so).
pub(super) const VOICE_ENVELOPES: &[&str] = &["ar", "ad", "adsr", "asr"];

/// Names that make a pattern into a trigger or gate signal, not pattern functions.
pub(super) const PLAY_FORMS: &[&str] = &["trig", "gate"];

/// Whether `name` is a pattern function or control (and not shadowed by a builtin).
pub(super) fn is_pattern_fn(name: &str) -> bool {
    builtins::find(name).is_none() && pf::arity(name).is_some()
}

impl<'a> Lowerer<'a> {
    /// A string literal: its pattern, or the error pointing into the string.
    pub(super) fn string(&mut self, text: &str, e: &Expr) -> Result<Val, Diagnostic> {
        match kanon_pattern::mini::pattern(text) {
            Ok(p) => Ok(Val::Pat(Pat::new(p))),
            Err(err) => {
                // The text starts one byte after the opening quote.
                let at = (e.span.start + 1 + err.offset).min(e.span.end.saturating_sub(1));
                let end = text[err.offset.min(text.len())..]
                    .chars()
                    .next()
                    .map_or(at, |c| at + c.len_utf8());
                Err(Diagnostic::error(
                    format!("in this pattern: {}", err.message),
                    Span::new(at, end.max(at)),
                )
                .with_help("mini-notation is described in docs/patterns.md"))
            }
        }
    }

    /// A pattern function or control called `func` with `args` (the piped value, if any,
    /// first: it becomes the pattern argument, taken last).
    pub(super) fn pattern_call(
        &mut self,
        func: &ast::Ident,
        args: &'a [Expr],
        pipe: Option<Span>,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Val, Diagnostic> {
        let name = func.name.as_str();
        if pf::is_control(name) {
            // Phonon's `s "bd*4" :gain 0.8` is `s "bd*4" # gain 0.8`.
            let first_kw = args
                .iter()
                .position(|a| matches!(a.kind, ExprKind::Keyword { .. }))
                .unwrap_or(args.len());
            let (plain, keywords) = args.split_at(first_kw);
            let mut v = self.control(func, plain, e, sc)?;
            for k in keywords {
                let ExprKind::Keyword { name: kname, value } = &k.kind else {
                    return Err(Diagnostic::error(
                        "positional arguments come before keyword arguments",
                        k.span,
                    ));
                };
                if !pf::is_control(&kname.name) {
                    return Err(Diagnostic::error(
                        format!("`:{}` is not a control of a sound", kname.name),
                        kname.span,
                    ));
                }
                let Val::Pat(base) = v else {
                    return Err(Diagnostic::error(
                        "keyword controls go on a pattern",
                        k.span,
                    ));
                };
                let c = self.pattern_of(value, &kname.name, sc)?;
                let c = pf::apply(&kname.name, &[Arg::Pattern(c.p)])
                    .unwrap_or_else(|_| Pattern::silence());
                let p = pf::operator("#", &base.p, &c).unwrap_or_else(Pattern::silence);
                v = Val::Pat(Pat {
                    p,
                    origin: base.origin,
                });
            }
            return Ok(v);
        }
        if name == "stack" {
            if let Some(v) = self.stack_of_signals(args, e, sc)? {
                return Ok(v);
            }
        }
        let params = pf::params(name).unwrap_or_default();
        let mut order: Vec<&'a Expr> = args.iter().collect();
        if pipe.is_some() && !order.is_empty() {
            let piped = order.remove(0);
            order.push(piped);
        }
        // A parameter the call left out (`groove "mpc"`): its default goes in its place.
        let written = order.len() - usize::from(pipe.is_some());
        let default = pf::lookup(name)
            .and_then(|f| f.optional)
            .filter(|&(at, _)| written == at);
        let mut kinds = params.clone();
        if let Some((at, _)) = default {
            kinds.remove(at);
        }
        if order.len() > params.len() {
            return Err(Diagnostic::error(
                format!(
                    "`{name}` takes {} argument{}, but {} were given",
                    params.len(),
                    if params.len() == 1 { "" } else { "s" },
                    order.len()
                ),
                e.span,
            )
            .with_label(format!("signature: {}", signature(name))));
        }
        let fill = |given: &mut Vec<Arg>| {
            if let Some((at, v)) = default.filter(|&(at, _)| given.len() == at) {
                given.insert(at, Arg::Pattern(Pattern::pure(PValue::Num(v))));
            }
        };
        let mut given = Vec::with_capacity(order.len() + 1);
        let mut origin = None;
        fill(&mut given);
        for (a, kind) in order.iter().zip(&kinds) {
            let (arg, o) = self.arg(a, *kind, name, sc)?;
            if matches!(name, "scale" | "chord" | "groove") && given.is_empty() {
                check_names(name, &arg, a)?;
            }
            given.push(arg);
            origin = origin.or(o);
            fill(&mut given);
        }
        if given.len() == params.len() {
            let p = pf::apply(name, &given).map_err(|m| Diagnostic::error(m, e.span))?;
            return Ok(Val::Pat(Pat { p, origin }));
        }
        if let (true, None, [Arg::Pattern(names)]) = (name == "chord", pipe, given.as_slice()) {
            // Tidal's `chord "maj"` on its own: the chord on 0.
            let p = kanon_pattern::ops::structure::chord_alone(names);
            return Ok(Val::Pat(Pat { p, origin }));
        }
        // Fewer: a function of the rest, taking the pattern last.
        let name = name.to_string();
        let missing = params.len() - given.len();
        if missing != 1 || params.last() != Some(&Param::Pattern) {
            return Err(
                Diagnostic::error(format!("`{name}` needs more arguments here"), e.span)
                    .with_label(format!("signature: {}", signature(&name))),
            );
        }
        Ok(Val::Func(Arc::new(move |p: &Pattern<PValue>| {
            let mut all = given.clone();
            all.push(Arg::Pattern(p.clone()));
            pf::apply(&name, &all).unwrap_or_else(|_| Pattern::silence())
        })))
    }

    /// `stack [a, b, …]` of signals (or of signals and patterns) is their sum, as in
    /// Phonon; `None` when every item is a pattern (Tidal's `stack`).
    fn stack_of_signals(
        &mut self,
        args: &'a [Expr],
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Option<Val>, Diagnostic> {
        let [list] = args else { return Ok(None) };
        let ExprKind::List(items) = &list.kind else {
            return Ok(None);
        };
        let mut vals = Vec::new();
        let mut signal = false;
        for i in items {
            let v = self.term(i, sc)?;
            signal |= matches!(&v, Val::Sig(s) if s.len() != 1 || self.b.program().constant(s[0]).is_none());
            vals.push((v, i));
        }
        if !signal {
            // Lowered again as patterns: they made no state.
            return Ok(None);
        }
        let mut sum: Option<Value> = None;
        for (v, i) in vals {
            let s = self.signal_of(v, i, sc)?;
            sum = Some(match sum {
                None => s,
                Some(acc) => {
                    let (a, b) = self.broadcast(acc, s, e.span)?;
                    a.iter()
                        .zip(&b)
                        .map(|(&x, &y)| self.binop(ast::BinOp::Add, x, y))
                        .collect()
                }
            });
        }
        Ok(sum.map(Val::Sig))
    }

    /// One argument of a pattern function, as the parameter wants it, with the `s`
    /// origin of the pattern it carries.
    fn arg(
        &mut self,
        a: &'a Expr,
        kind: Param,
        fname: &str,
        sc: &mut Scope<'a>,
    ) -> Result<(Arg, Option<Path>), Diagnostic> {
        match kind {
            Param::Function => match self.term(a, sc)? {
                Val::Func(f) => Ok((Arg::Function(f), None)),
                _ => Err(Diagnostic::error(
                    format!("`{fname}` wants a function here, like `(fast 2)` or `rev`"),
                    a.span,
                )),
            },
            Param::List => match &a.kind {
                ExprKind::List(items) => {
                    let mut ps = Vec::new();
                    let mut origin = None;
                    for i in items {
                        let p = self.pattern_of(i, fname, sc)?;
                        origin = origin.or(p.origin);
                        ps.push(p.p);
                    }
                    Ok((Arg::List(ps), origin))
                }
                _ => Err(Diagnostic::error(
                    format!("`{fname}` wants a list of patterns here: `[\"bd*2\", \"hh*4\"]`"),
                    a.span,
                )),
            },
            _ => {
                let p = self.pattern_of(a, fname, sc)?;
                Ok((Arg::Pattern(p.p), p.origin))
            }
        }
    }

    /// An expression as a pattern: a pattern, or a constant as a pattern of one value.
    pub(super) fn pattern_of(
        &mut self,
        a: &'a Expr,
        fname: &str,
        sc: &mut Scope<'a>,
    ) -> Result<Pat, Diagnostic> {
        match self.term(a, sc)? {
            Val::Pat(p) => Ok(p),
            Val::Sig(v) => match v.as_slice() {
                [n] => match self.b.program().constant(*n) {
                    Some(x) => Ok(Pat::new(Pattern::pure(PValue::Num(x)))),
                    None => Err(Diagnostic::error(
                        format!("`{fname}` works on patterns, and this is a signal"),
                        a.span,
                    )
                    .with_label("this changes while the program runs")
                    .with_help("give it a pattern (`\"1 2\"`) or a constant")),
                },
                _ => Err(Diagnostic::error(
                    format!("`{fname}` works on patterns, not {} channels", v.len()),
                    a.span,
                )),
            },
            Val::Func(_) => Err(Diagnostic::error(
                "this is a pattern function still waiting for its pattern",
                a.span,
            )
            .with_help("give it its pattern: `fast 2 \"bd sn\"`, or `\"bd sn\" $ fast 2`")),
        }
    }

    /// A control (`s`, `gain`, `speed`, …): with one argument its control pattern; with
    /// two (usually piped: `s "bd*4" # gain 0.8`) the first combined with it, structure
    /// from the first. `gain` (and `amp`) on a signal multiplies it, as in Phonon.
    fn control(
        &mut self,
        func: &ast::Ident,
        args: &'a [Expr],
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Val, Diagnostic> {
        let name = func.name.as_str();
        let make = |lw: &mut Self, a: &'a Expr, sc: &mut Scope<'a>| -> Result<Pat, Diagnostic> {
            let v = lw.pattern_of(a, name, sc)?;
            Ok(v.map(|p| {
                pf::apply(name, &[Arg::Pattern(p)]).unwrap_or_else(|_| Pattern::silence())
            }))
        };
        match args {
            [v] => {
                let mut c = make(self, v, sc)?;
                if matches!(name, "s" | "sound") {
                    c.origin = Some(sc.path.call("s", sc.numbering.of(e), 0));
                }
                Ok(Val::Pat(c))
            }
            [base, v] => match self.term(base, sc)? {
                Val::Pat(b) => {
                    let c = make(self, v, sc)?;
                    let p = pf::operator("#", &b.p, &c.p).unwrap_or_else(Pattern::silence);
                    Ok(Val::Pat(Pat {
                        p,
                        origin: b.origin,
                    }))
                }
                Val::Sig(s) if matches!(name, "gain" | "amp") => {
                    let g = self.expr(v, sc)?;
                    let (s, g) = self.broadcast(s, g, e.span)?;
                    Ok(Val::Sig(
                        s.iter()
                            .zip(&g)
                            .map(|(&x, &y)| self.binop(ast::BinOp::Mul, x, y))
                            .collect(),
                    ))
                }
                Val::Sig(_) => Err(Diagnostic::error(
                    format!("`{name}` sets a control of a pattern, and this is a signal"),
                    base.span,
                )
                .with_help(format!(
                    "controls go on patterns before they play: `s \"bd*4\" # {name} 2`"
                ))),
                Val::Func(f) => {
                    // `fast 2 # gain 0.8`: a function, then the control.
                    let c = make(self, v, sc)?.p;
                    Ok(Val::Func(Arc::new(move |p: &Pattern<PValue>| {
                        pf::operator("#", &f(p), &c).unwrap_or_else(Pattern::silence)
                    })))
                }
            },
            _ => Err(Diagnostic::error(
                format!(
                    "the control `{name}` takes a pattern of values, as in `s \"bd*4\" # {name} \"1 0.5\"`"
                ),
                e.span,
            )),
        }
    }

    /// `sounds # ar attack release`: every voice rises over `attack` seconds and falls
    /// over `release` (Faust `en.ar` semantics, in `kanon_samples::voice`).
    pub(super) fn voice_envelope(
        &mut self,
        name: &str,
        base: Pat,
        args: &'a [Expr],
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Val, Diagnostic> {
        if matches!(name, "adsr" | "asr") {
            return Err(Diagnostic::error(
                format!("`{name}` follows a gate, and a pattern of sounds has none"),
                e.span,
            )
            .with_help(
                "each voice of `s` takes an attack and a release: `s \"bd*4\" # ar 0.001 0.1`",
            ));
        }
        let [attack, release] = args else {
            return Err(Diagnostic::error(
                format!("`{name}` on sounds takes an attack and a release in seconds: `# {name} 0.001 0.1`"),
                e.span,
            ));
        };
        let mut p = base;
        for (control, a) in [("attack", attack), ("release", release)] {
            let v = self.pattern_of(a, name, sc)?;
            let c = pf::apply(control, &[Arg::Pattern(v.p)]).unwrap_or_else(|_| Pattern::silence());
            p.p = pf::operator("#", &p.p, &c).unwrap_or_else(Pattern::silence);
        }
        Ok(Val::Pat(p))
    }

    /// `a $ b`: a function applied to a pattern on either side, or two functions
    /// composed (the right one applied first).
    pub(super) fn dollar(
        &mut self,
        lhs: &'a Expr,
        rhs: &'a Expr,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Val, Diagnostic> {
        if let Some(v) = self.dollar_into_call(lhs, rhs, sc)? {
            return Ok(v);
        }
        // Phonon's `s "hh*8" * 0.5 $ swing 0.15`: the function goes to the sounds, and
        // the gain applies to what it makes (`(s "hh*8" $ swing 0.15) * 0.5`).
        let scaled = matches!(lhs.kind, ExprKind::Binary { .. } | ExprKind::Dollar { .. });
        let (a, b) = if scaled && super::expr::pattern_function(rhs) {
            let b = self.term(rhs, sc)?;
            let a = match &b {
                Val::Func(f) => {
                    let (v, applied) = self.through_gain(lhs, f, sc)?;
                    if applied {
                        return Ok(v);
                    }
                    v
                }
                _ => self.term(lhs, sc)?,
            };
            (a, b)
        } else {
            let a = self.term(lhs, sc)?;
            (a, self.term(rhs, sc)?)
        };
        let as_pat = |lw: &mut Self, v: Val, x: &'a Expr| -> Result<Pat, Diagnostic> {
            match v {
                Val::Pat(p) => Ok(p),
                Val::Sig(s) => match s.as_slice() {
                    [n] if lw.b.program().constant(*n).is_some() => Ok(Pat::new(Pattern::pure(
                        PValue::Num(lw.b.program().constant(*n).unwrap_or(0.0)),
                    ))),
                    _ => Err(Diagnostic::error(
                        "`$` applies a pattern function to a pattern, and this is a signal",
                        x.span,
                    )
                    .with_help("pattern functions work on patterns: `s \"bd sn\" $ fast 2`; to process a signal, use `#`")),
                },
                Val::Func(_) => unreachable!("handled by the caller"),
            }
        };
        match (a, b) {
            (Val::Func(f), Val::Func(g)) => {
                Ok(Val::Func(Arc::new(move |p: &Pattern<PValue>| f(&g(p)))))
            }
            (Val::Func(f), v) => Ok(Val::Pat(as_pat(self, v, rhs)?.map(|p| f(&p)))),
            (v, Val::Func(f)) => Ok(Val::Pat(as_pat(self, v, lhs)?.map(|p| f(&p)))),
            _ => Err(Diagnostic::error(
                "`$` needs a pattern function on one side, like `fast 2` or `every 4 rev`",
                e.span,
            )
            .with_help(
                "`\"bd sn\" $ fast 2` and `fast 2 $ \"bd sn\"` both play `bd sn` twice as fast",
            )),
        }
    }

    /// `x` with the pattern function `f` applied to the sounds it scales: `x` itself when
    /// it is a pattern of sounds, the sounds inside `a * b` or `a / b` (either side,
    /// nested), and through `y $ g` (`f` after `g`). The flag says whether `f` found
    /// sounds; if not, the value is plain `x`.
    fn through_gain(
        &mut self,
        x: &'a Expr,
        f: &Func,
        sc: &mut Scope<'a>,
    ) -> Result<(Val, bool), Diagnostic> {
        match &x.kind {
            ExprKind::Binary {
                op: op @ (ast::BinOp::Mul | ast::BinOp::Div),
                lhs,
                rhs,
            } => {
                let (a, fa) = self.through_gain(lhs, f, sc)?;
                let (b, fb) = self.through_gain(rhs, f, sc)?;
                let v = self.binary_vals(*op, a, b, lhs, rhs, x, sc)?;
                Ok((v, fa || fb))
            }
            ExprKind::Dollar { lhs, rhs } if !matches!(lhs.kind, ExprKind::App { .. }) => {
                match self.term(rhs, sc)? {
                    Val::Func(g) => {
                        let f = f.clone();
                        let fg: Func = Arc::new(move |p: &Pattern<PValue>| f(&g(p)));
                        let (v, applied) = self.through_gain(lhs, &fg, sc)?;
                        if applied {
                            return Ok((v, true));
                        }
                        // Not sounds: `y $ g` as it is.
                        Ok((self.term(x, sc)?, false))
                    }
                    _ => Ok((self.term(x, sc)?, false)),
                }
            }
            _ => match self.term(x, sc)? {
                Val::Pat(p) if p.origin.is_some() => Ok((Val::Pat(p.map(|q| f(&q))), true)),
                v => Ok((v, false)),
            },
        }
    }

    /// `a op b` on patterns (structure from both, as Tidal's `+`), when both sides are
    /// patterns or one is a constant; `None` when it is signal arithmetic.
    pub(super) fn pattern_arith(&mut self, op: ast::BinOp, a: &Val, b: &Val) -> Option<Pat> {
        let sym = match op {
            ast::BinOp::Add => "+",
            ast::BinOp::Sub => "-",
            ast::BinOp::Mul => "*",
            ast::BinOp::Div => "/",
            ast::BinOp::Mod => "%",
            _ => return None,
        };
        let pat = |lw: &Self, v: &Val| -> Option<Pat> {
            match v {
                Val::Pat(p) => Some(p.clone()),
                Val::Sig(s) => match s.as_slice() {
                    [n] => {
                        lw.b.program()
                            .constant(*n)
                            .map(|x| Pat::new(Pattern::pure(PValue::Num(x))))
                    }
                    _ => None,
                },
                Val::Func(_) => None,
            }
        };
        if !matches!(a, Val::Pat(_)) && !matches!(b, Val::Pat(_)) {
            return None;
        }
        // Sounds scaled or mixed are signals: `s "bd sn" * 0.8` is quieter drums.
        let sounds = |v: &Val| matches!(v, Val::Pat(p) if p.origin.is_some());
        if sounds(a) || sounds(b) {
            return None;
        }
        let (pa, pb) = (pat(self, a)?, pat(self, b)?);
        let origin = pa.origin.clone().or(pb.origin.clone());
        pf::operator(sym, &pa.p, &pb.p).map(|p| Pat { p, origin })
    }
}

/// `scale`'s, `chord`'s and `groove`'s names, looked up now (over the pattern's first 16
/// cycles): a misspelt name is an error at its place, not events silently dropped.
fn check_names(fname: &str, arg: &Arg, a: &Expr) -> Result<(), Diagnostic> {
    use kanon_pattern::ops::structure::{chord_steps, scale_steps, SCALES};
    use kanon_pattern::ops::timing::{groove_template, GROOVES};
    let Arg::Pattern(p) = arg else { return Ok(()) };
    let known: Vec<&str> = match fname {
        "scale" => SCALES.iter().map(|(n, _)| *n).collect(),
        "groove" => GROOVES.to_vec(),
        _ => kanon_pattern::notes::CHORDS
            .iter()
            .map(|(n, _)| *n)
            .collect(),
    };
    let span = kanon_pattern::Span::new(kanon_pattern::Time::int(0), kanon_pattern::Time::int(16));
    let Ok(events) = p.query(span) else {
        return Ok(());
    };
    for ev in events {
        let name = match &ev.value {
            PValue::Word(w) => w.to_string(),
            v => format!("{v}"),
        };
        let found = match fname {
            "scale" => scale_steps(&name).is_some(),
            "groove" => groove_template(&name).is_some(),
            _ => chord_steps(&name).is_some(),
        };
        if !found {
            let what = match fname {
                "scale" => "scale",
                "groove" => "preset",
                _ => "chord",
            };
            let mut d =
                Diagnostic::error(format!("`{fname}` knows no {what} called `{name}`"), a.span);
            if let Some(n) = kanon_lang::diag::nearest(&name, known.iter().copied()) {
                d = d.with_label(format!("did you mean `{n}`?"));
            }
            return Err(d.with_help(format!("the {what}s: {}", known.join(", "))));
        }
    }
    Ok(())
}

/// A pattern function's signature for errors: `every n function pattern`.
fn signature(name: &str) -> String {
    match pf::lookup(name) {
        Some(f) => {
            let mut s = name.to_string();
            for (p, _) in f.params {
                s.push(' ');
                s.push_str(p);
            }
            s
        }
        None => format!("{name} pattern"),
    }
}
