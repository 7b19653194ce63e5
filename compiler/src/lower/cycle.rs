//! Phonon's envelopes that run once per cycle, with no gate: `ad 0.01 0.2`,
//! `ar 0.01 0.2`, `adsr 0.01 0.1 0.7 0.2` (nothing piped in, and fewer arguments than the
//! gated form takes with its gate) and `line 0 1`. They are the gated envelopes driven by
//! the cycle:
//!
//! - `ad a d` / `ar a r`: `ar` triggered at the start of every cycle;
//! - `adsr a d [s r]`: `adsr` on a gate that opens at the start of every cycle and closes
//!   `release` seconds before its end, so the release ends with the cycle;
//! - `line start end`: `start + (end − start)·c`, `c` the position in the cycle.
//!
//! The position in the cycle counts samples from the last cycle start (a `trig` of the
//! cycle), so an envelope added mid-cycle by an edit starts at the next cycle.

use super::patterns::{Pat, Val};
use super::{Lowerer, Scope, Value};
use crate::builtins::{self, Emitter};
use crate::ir::{BinOp, NodeId};
use kanon_lang::ast::{Expr, ExprKind};
use kanon_lang::{Diagnostic, Span};
use kanon_pattern::{Pattern, Value as PValue};

/// Names with a per-cycle form.
const CYCLE_FORMS: &[&str] = &["ad", "ar", "adsr", "line"];

impl<'a> Lowerer<'a> {
    /// The per-cycle form of `name` if this call is one (see the module doc).
    pub(super) fn cycle_form(
        &mut self,
        name: &str,
        args: &'a [Expr],
        pipe: Option<Span>,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Option<Val>, Diagnostic> {
        if !CYCLE_FORMS.contains(&name) {
            return Ok(None);
        }
        // Phonon's forms have one argument fewer than the gated ones (no gate): `ad a d`,
        // `adsr a d [s r]`. Piped into, or given all of the gated form's arguments, it is
        // the gated form.
        let positional = args
            .iter()
            .filter(|a| !matches!(a.kind, ExprKind::Keyword { .. }))
            .count();
        let most = match name {
            "adsr" => 4,
            "line" => usize::MAX,
            _ => 2,
        };
        if pipe.is_some() || positional > most {
            return Ok(None);
        }
        let index = sc.numbering.of(e);
        let site = sc.path.call(name, index, 0);
        if name == "line" {
            let values = self.cycle_args(name, &["start", "end"], &[None, None], args, e, sc)?;
            let (start, end) = (values[0][0], values[1][0]);
            let (_, t) = self.cycle_count(&site, e)?;
            let per_sample = self
                .b
                .constant(self.b.program().tempo / self.b.program().sample_rate);
            let c = self.b.binary(BinOp::Mul, t, per_sample);
            let span = self.b.binary(BinOp::Sub, end, start);
            let x = self.b.binary(BinOp::Mul, span, c);
            return Ok(Some(Val::Sig(vec![self.b.binary(BinOp::Add, start, x)])));
        }
        let builtin = builtins::find(name).expect("a builtin");
        let params = &builtin.params[1..];
        let names: Vec<&str> = params.iter().map(|p| p.name).collect();
        let defaults: Vec<Option<f64>> = params.iter().map(|p| p.default).collect();
        let mut values = self.cycle_args(name, &names, &defaults, args, e, sc)?;
        let (trig, t) = self.cycle_count(&site, e)?;
        let driver = if name == "adsr" {
            // Open from the cycle start until `release` before its end.
            let release = values[3][0];
            let sr = self.b.constant(self.b.program().sample_rate);
            let r = self.b.binary(BinOp::Mul, release, sr);
            let cycle = self
                .b
                .constant(self.b.program().sample_rate / self.b.program().tempo);
            let until = self.b.binary(BinOp::Sub, cycle, r);
            self.b.binary(BinOp::Lt, t, until)
        } else {
            trig
        };
        values.insert(0, vec![driver]);
        self.call_builtin(builtin, &values, &[], &[], index, e.span, sc)
            .map(|v| Some(Val::Sig(v)))
    }

    /// The arguments of a per-cycle form (positional, then keyword), defaults filled in.
    fn cycle_args(
        &mut self,
        name: &str,
        names: &[&str],
        defaults: &[Option<f64>],
        args: &'a [Expr],
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Vec<Value>, Diagnostic> {
        let (slots, positional) = self.arrange(name, names, args)?;
        let missing = slots
            .iter()
            .zip(defaults)
            .any(|(s, d)| s.is_none() && d.is_none());
        if positional > names.len() || missing {
            let mut sig = name.to_string();
            for (n, d) in names.iter().zip(defaults) {
                match d {
                    None => sig.push_str(&format!(" {n}")),
                    Some(d) => sig.push_str(&format!(" [{n}={}]", crate::fmt_num(*d))),
                }
            }
            return Err(
                Diagnostic::error(format!("`{name}` on each cycle takes: {sig}"), e.span)
                    .with_help(format!(
                        "on a gate or trigger signal, pipe it in: `~gate # {name} …`"
                    )),
            );
        }
        let mut values = Vec::new();
        for (slot, d) in slots.into_iter().zip(defaults) {
            values.push(match slot {
                Some(a) => {
                    let v = self.expr(a, sc)?;
                    if v.len() != 1 {
                        return Err(Diagnostic::error(
                            format!("`{name}` on each cycle takes single-channel arguments"),
                            a.span,
                        ));
                    }
                    v
                }
                None => vec![self.b.constant(d.expect("checked above"))],
            });
        }
        Ok(values)
    }

    /// The cycle's trigger (1 on the first frame of every cycle) and the samples since
    /// the last one (0 on that frame), counted in a cell keyed `<site>.cycle`.
    fn cycle_count(
        &mut self,
        site: &crate::key::Path,
        e: &'a Expr,
    ) -> Result<(NodeId, NodeId), Diagnostic> {
        let every = Pat {
            p: Pattern::pure(PValue::Num(1.0)),
            origin: None,
        };
        let trig = self.play_form_at("trig", every, &site.call("trig", 0, 0), e.span)?;
        let mut em = Emitter::new(&mut self.b, site);
        let (cell, prev) = em
            .state("cycle", 0.0)
            .map_err(|m| Diagnostic::error(m, e.span))?;
        let one = em.c(1.0);
        let next = em.add(prev, one);
        let zero = em.c(0.0);
        let t = em.select(trig, zero, next);
        em.set_next(cell, t);
        Ok((trig, t))
    }
}
