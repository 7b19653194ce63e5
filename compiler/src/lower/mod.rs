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
//! `~bass/lpf#0.y1`. Keys are built, printed and parsed in [`crate::key`]; call sites are
//! numbered in [`sites`].
//!
//! The work is split by job: [`defs`] collects the definitions, [`history`] groups buses
//! into cycles and places history reads, [`expr`] lowers expressions and calls, and
//! [`outputs`] mixes `out:` and `oN:` into the output channels.

mod cycle;
mod defs;
mod expr;
mod history;
mod outputs;
mod patterns;
mod play;
mod sites;

use crate::ir::{self, Builder, CellId, NodeId};
use crate::key::{Path, Root};
use kanon_lang::ast::{self, Expr, Item};
use kanon_lang::Diagnostic;
use std::collections::HashMap;

/// A value: one node per channel.
type Value = Vec<NodeId>;

/// Most iterations one `sum` may unroll to, and all of a program's `sum`s together.
pub const MAX_SUM: i64 = 100_000;

/// Most output channels a program may have (`oN` with N up to this, or as wide an `out`).
pub const MAX_CHANNELS: usize = 1024;

/// Deepest nesting of expressions while lowering, counting the bodies of inlined
/// functions: bounds the recursion (each level costs a few KiB of stack in a debug build).
pub const MAX_NESTING: usize = 300;

/// Most expressions lowered for one program, counting every inlined copy: bounds the
/// compile time of programs whose functions call each other in a doubling pattern.
pub const MAX_WORK: usize = 2_000_000;

/// Fastest tempo accepted (in the unit written).
pub const MAX_TEMPO: f64 = 10_000.0;

/// Names that are constants.
const CONSTANTS: &[&str] = &["pi", "tau", "sr", "cps"];

/// The lowered program and any warnings, or the errors. `samples` resolves the sounds
/// of `s` patterns (without it they play nothing).
pub fn lower(
    program: &ast::Program,
    text: &str,
    sample_rate: f64,
    samples: Option<&kanon_samples::Library>,
) -> Result<(ir::Program, Vec<Diagnostic>), Vec<Diagnostic>> {
    lower_with_tempo(program, text, sample_rate, samples, None)
}

/// [`lower`], with the tempo set from outside (OSC `/tempo`) in place of the file's
/// `tempo:` when `tempo` is given (cycles per second, above 0 and at most [`MAX_TEMPO`]).
pub fn lower_with_tempo(
    program: &ast::Program,
    text: &str,
    sample_rate: f64,
    samples: Option<&kanon_samples::Library>,
    tempo: Option<f64>,
) -> Result<(ir::Program, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut l = Lowerer::new(program, text, sample_rate)?;
    l.samples = samples;
    if let Some(cps) = tempo.filter(|c| *c > 0.0 && *c <= MAX_TEMPO) {
        l.tempo_override = Some(cps);
    }
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
    path: Path,
    /// The number of each stateful call site among same-named calls (see [`sites`]).
    numbering: sites::Numbering,
    /// Function parameters and `sum` indices, innermost last.
    env: Vec<(String, patterns::Val)>,
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
    /// Buses whose value is a pattern or a pattern function, not a signal.
    pattern_buses: HashMap<&'a str, patterns::Val>,
    /// The tempo as an exact fraction of cycles per second.
    cps: (i64, i64),
    /// Where `s` finds its sounds.
    samples: Option<&'a kanon_samples::Library>,
    /// Sound names already warned about.
    unknown_sounds: std::collections::HashSet<String>,
    /// A tempo set from outside, which wins over the file's.
    tempo_override: Option<f64>,
}

impl<'a> Lowerer<'a> {
    /// Lowers the whole program: tempo, buses (by cycles, see [`history`]), outputs.
    fn run(&mut self, program: &'a ast::Program) {
        for item in &program.items {
            if let Item::Tempo { value, unit, .. } = item {
                let mut sc = Scope::root(None, Root::Tempo, value);
                match self.constant(value, &mut sc, "the tempo") {
                    Ok(v) if v > 0.0 && v <= MAX_TEMPO => {
                        let literal = match value.kind {
                            ast::ExprKind::Num(_) => self.text.get(value.span.start..value.span.end),
                            _ => None,
                        };
                        let (n, d) = crate::rt::clock::tempo_fraction(v, literal);
                        // Tidal's four beats to the cycle.
                        let (n, d, cps) = match unit {
                            ast::TempoUnit::Cps => (n, d, v),
                            ast::TempoUnit::Bpm => {
                                let d = d.saturating_mul(240);
                                let g = gcd(n, d);
                                (n / g, d / g, v / 240.0)
                            }
                        };
                        self.cps = (n, d);
                        self.b.program_mut().tempo = cps;
                    }
                    Ok(_) => self.errors.push(
                        Diagnostic::error(
                            match unit {
                                ast::TempoUnit::Cps => format!(
                                    "the tempo must be above 0 and at most {MAX_TEMPO} cycles per second"
                                ),
                                ast::TempoUnit::Bpm => format!(
                                    "the tempo must be above 0 and at most {MAX_TEMPO} beats per minute"
                                ),
                            },
                            value.span,
                        ),
                    ),
                    Err(d) => self.errors.push(d),
                }
            }
        }
        if let Some(cps) = self.tempo_override {
            self.cps = crate::rt::clock::tempo_fraction(cps, None);
            self.b.program_mut().tempo = cps;
        }

        let order = self.buses(program);
        self.outputs(program);
        let mut bus_values = Vec::new();
        for &name in &order {
            // A pattern bus has a signal only where something played it.
            let v = self.values.get(name).cloned().unwrap_or_default();
            bus_values.push((name.to_string(), v));
        }
        self.b.program_mut().buses = bus_values;
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1) as i64
}

impl<'a> Scope<'a> {
    fn root(bus: Option<&'a str>, root: Root, body: &'a Expr) -> Self {
        Scope {
            bus,
            path: Path::root(root),
            numbering: sites::number(body),
            env: Vec::new(),
            calls: Vec::new(),
        }
    }

    /// A scope for an inlined body: same bus, deeper path, its own numbering.
    fn nested(&self, path: Path, body: &'a Expr) -> Self {
        self.nested_numbered(path, sites::number(body))
    }

    /// [`Scope::nested`] with the body's numbering already made (a `sum` makes it once
    /// for all its iterations).
    fn nested_numbered(&self, path: Path, numbering: sites::Numbering) -> Self {
        Scope {
            bus: self.bus,
            path,
            numbering,
            env: self.env.clone(),
            calls: self.calls.clone(),
        }
    }
}
