//! The builtin functions: one table, one entry per builtin.
//!
//! An entry gives the name, the parameters (trailing ones may have defaults), a one-line
//! summary, the exact formula, and `lower`, which builds the builtin's IR from its
//! arguments through an [`Emitter`]. State is declared with [`Emitter::state`] and gets
//! the key of the call site plus the slot name (`~bass/lpf#0.y1`). `docs/builtins.md`
//! is generated from this table (`kanonc builtins`), and a test keeps it in step.
//!
//! To add a builtin: add one entry to the family file it belongs to, and one test in
//! `compiler/tests/builtins.rs` against a plain-Rust implementation of its formula.

pub mod dsp;
mod effects;
mod envelopes;
mod filters;
mod instruments;
mod math;
mod noise;
mod oscillators;
mod params;
mod phonon;
pub mod reverb;
mod time;

pub use dsp::MAX_GLIDE;

use crate::ir::{BinOp, BufId, Builder, CellId, NodeId, Op, UnOp};
use crate::key::{Key, Path};

/// One parameter of a builtin.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// Its name in signatures and docs.
    pub name: &'static str,
    /// The value when the argument is left out (only trailing parameters have one).
    pub default: Option<f64>,
    /// The argument is a name written as a string (`param "cutoff" …`), read with
    /// [`Emitter::text`], not a signal.
    pub text: bool,
}

/// The default that stands for the program's tempo in cycles per second (a bare
/// `sine` or `phasor` turns once per cycle, as Phonon's `phasor`).
pub const CPS: f64 = f64::NAN;

/// A required parameter.
pub const fn req(name: &'static str) -> Param {
    Param {
        name,
        default: None,
        text: false,
    }
}

/// An optional parameter with its default.
pub const fn opt(name: &'static str, default: f64) -> Param {
    Param {
        name,
        default: Some(default),
        text: false,
    }
}

/// A required name, written as a string literal.
pub const fn text(name: &'static str) -> Param {
    Param {
        name,
        default: None,
        text: true,
    }
}

/// The default of an optional parameter that has no value when left out: its builtin
/// asks [`Emitter::given`] (shown as `[:name]` in signatures).
const ABSENT: f64 = f64::INFINITY;

/// An optional number with no default, usually given by keyword (`:cc 74`).
pub const fn maybe(name: &'static str) -> Param {
    Param {
        name,
        default: Some(ABSENT),
        text: false,
    }
}

/// An optional name in quotes with no default (`:curve "exp"`).
pub const fn maybe_text(name: &'static str) -> Param {
    Param {
        name,
        default: Some(ABSENT),
        text: true,
    }
}

/// Builds a builtin's IR from its (already lowered) arguments.
pub type LowerFn = fn(&mut Emitter, &[NodeId]) -> Result<NodeId, String>;

/// A builtin function.
pub struct Builtin {
    /// The name a program calls it by.
    pub name: &'static str,
    /// Parameters in order.
    pub params: &'static [Param],
    /// One-line summary.
    pub summary: &'static str,
    /// The exact formula computed, so outputs can be checked.
    pub formula: &'static str,
    /// Builds the IR.
    pub lower: LowerFn,
}

impl Builtin {
    /// The signature as shown in errors and docs, e.g. `lpf input cutoff q`.
    pub fn signature(&self) -> String {
        let mut s = self.name.to_string();
        for p in self.params {
            match p.default {
                None => s.push_str(&format!(" {}", p.name)),
                Some(d) if d.is_nan() => s.push_str(&format!(" [{}=cps]", p.name)),
                Some(d) if d == ABSENT => s.push_str(&format!(" [:{}]", p.name)),
                Some(d) => s.push_str(&format!(" [{}={}]", p.name, crate::fmt_num(d))),
            }
        }
        s
    }

    /// How many arguments a call needs at least.
    pub fn min_args(&self) -> usize {
        self.params.iter().filter(|p| p.default.is_none()).count()
    }
}

/// Every builtin, in the order the docs list them.
pub fn all() -> impl Iterator<Item = &'static Builtin> {
    oscillators::BUILTINS
        .iter()
        .chain(filters::BUILTINS)
        .chain(envelopes::BUILTINS)
        .chain(reverb::BUILTINS)
        .chain(phonon::BUILTINS)
        .chain(time::BUILTINS)
        .chain(math::BUILTINS)
        .chain(noise::BUILTINS)
        .chain(instruments::BUILTINS)
        .chain(effects::BUILTINS)
        .chain(params::BUILTINS)
}

/// The builtin with this name.
pub fn find(name: &str) -> Option<&'static Builtin> {
    all().find(|b| b.name == name)
}

/// What a builtin's `lower` builds with: IR nodes, and state under the call site's key.
pub struct Emitter<'a> {
    b: &'a mut Builder,
    site: &'a Path,
    /// Of a stereo builtin ([`reverb::STEREO`]): the right channel of its input.
    right_in: Option<NodeId>,
    /// Of a stereo builtin: its right output (the left one is what `lower` returns).
    right_out: Option<NodeId>,
    texts: &'a [Option<String>],
    /// Which parameters the call gave (empty: all of them).
    given: &'a [bool],
}

impl<'a> Emitter<'a> {
    /// An emitter for the call site at `site`.
    pub fn new(b: &'a mut Builder, site: &'a Path) -> Self {
        Emitter {
            b,
            site,
            right_in: None,
            right_out: None,
            texts: &[],
            given: &[],
        }
    }

    /// Gives a stereo builtin the right channel of its input.
    pub fn with_right_input(mut self, r: NodeId) -> Self {
        self.right_in = Some(r);
        self
    }

    /// The right channel of a stereo builtin's input, if it was given one.
    pub fn right_input(&self) -> Option<NodeId> {
        self.right_in
    }

    /// Sets a stereo builtin's right output.
    pub fn set_right_output(&mut self, r: NodeId) {
        self.right_out = Some(r);
    }

    /// A stereo builtin's right output, once `lower` has run.
    pub fn right_output(&self) -> Option<NodeId> {
        self.right_out
    }

    /// The program's tempo in cycles per second.
    pub fn cps(&self) -> f64 {
        self.b.program().tempo
    }

    /// The same emitter, with the string arguments of the call by parameter position.
    pub fn with_texts(self, texts: &'a [Option<String>]) -> Self {
        Emitter { texts, ..self }
    }

    /// The same emitter, told which parameters the call gave.
    pub fn with_given(self, given: &'a [bool]) -> Self {
        Emitter { given, ..self }
    }

    /// Whether the call gave parameter `i` (rather than leaving it to its default).
    pub fn given(&self, i: usize) -> bool {
        self.given.get(i).copied().unwrap_or(true)
    }

    /// The string given for text parameter `i`, if one was (see [`maybe_text`]).
    pub fn text_opt(&self, i: usize) -> Option<&'a str> {
        self.texts.get(i).and_then(|t| t.as_deref())
    }

    /// The string given for text parameter `i` (see [`text`]).
    pub fn text(&self, i: usize) -> Result<&'a str, String> {
        self.texts
            .get(i)
            .and_then(|t| t.as_deref())
            .ok_or_else(|| "this argument must be a name in quotes".to_string())
    }

    /// The raw value of the live parameter `name` (see [`Builder::param`]).
    pub fn param(&mut self, name: &str, default: f64) -> Result<NodeId, String> {
        self.b.param(name, default)
    }

    /// Maps a MIDI controller onto the live parameter `name` (see [`Builder::map_cc`]).
    pub fn map_cc(&mut self, name: &str, map: crate::ir::CcMap) -> Result<(), String> {
        self.b.map_cc(name, map)
    }

    /// The call site's path as text, e.g. `~bass/lpf#0`.
    pub fn key(&self) -> String {
        self.site.to_string()
    }

    /// The sample rate.
    pub fn sr(&self) -> f64 {
        self.b.program().sample_rate
    }

    /// A constant.
    pub fn c(&mut self, v: f64) -> NodeId {
        self.b.constant(v)
    }

    /// The value of a node if it is a compile-time constant.
    pub fn constant(&self, n: NodeId) -> Option<f64> {
        self.b.program().constant(n)
    }

    /// `op a`.
    pub fn un(&mut self, op: UnOp, a: NodeId) -> NodeId {
        self.b.unary(op, a)
    }

    /// `a op b`.
    pub fn bin(&mut self, op: BinOp, a: NodeId, b: NodeId) -> NodeId {
        self.b.binary(op, a, b)
    }

    /// `a + b`.
    pub fn add(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.bin(BinOp::Add, a, b)
    }

    /// `a - b`.
    pub fn sub(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.bin(BinOp::Sub, a, b)
    }

    /// `a * b`.
    pub fn mul(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.bin(BinOp::Mul, a, b)
    }

    /// `a / b`.
    pub fn div(&mut self, a: NodeId, b: NodeId) -> NodeId {
        self.bin(BinOp::Div, a, b)
    }

    /// `c != 0 ? a : b`.
    pub fn select(&mut self, c: NodeId, a: NodeId, b: NodeId) -> NodeId {
        self.b.add(Op::Select(c, a, b))
    }

    /// `x - floor(x)`, in `[0, 1)`.
    pub fn frac(&mut self, x: NodeId) -> NodeId {
        let f = self.un(UnOp::Floor, x);
        self.sub(x, f)
    }

    /// Declares a state cell `<site>.<slot>` and returns it with its previous-sample value.
    pub fn state(&mut self, slot: &str, init: f64) -> Result<(CellId, NodeId), String> {
        let c = self.b.cell(Key::new(self.site, slot), init)?;
        let v = self.b.read(c);
        Ok((c, v))
    }

    /// Sets the value a state cell takes for the next sample.
    pub fn set_next(&mut self, c: CellId, v: NodeId) {
        self.b.set_next(c, v);
    }

    /// Declares a delay buffer `<site>.<slot>` of at least `len` samples, written at
    /// the position held in cell `pos`.
    pub fn buffer(&mut self, slot: &str, len: usize, pos: CellId) -> Result<BufId, String> {
        self.b.buffer(Key::new(self.site, slot), len, pos)
    }

    /// Samples held by all the program's delay buffers so far.
    pub fn buffers_total(&self) -> usize {
        self.b.program().buffers.iter().map(|b| b.len).sum()
    }

    /// Length of a declared buffer.
    pub fn buffer_len(&self, b: BufId) -> usize {
        self.b.program().buffers[b.index()].len
    }

    /// Adds a raw op.
    pub fn op(&mut self, op: Op) -> NodeId {
        self.b.add(op)
    }
}

/// The builtin reference in Markdown (what `kanonc builtins` prints and
/// `docs/builtins.md` holds).
pub fn reference() -> String {
    let mut s = String::from(
        "# Builtin reference\n\n\
         Generated by `kanonc builtins` from the compiler's builtin table; a test keeps \
         this file in step with it.\n\n\
         Oscillators keep a phase `p` in [0, 1) that starts at 0, is read before it \
         advances, and advances by `freq/sr` each sample: `p ← p + freq/sr − floor(p + freq/sr)`.\n\n",
    );
    s.push_str(&format!(
        "Biquads (RBJ Audio-EQ Cookbook, direct form I): {}.\n\n",
        dsp::RBJ_FORMULA
    ));
    s.push_str("| signature | what | formula |\n|---|---|---|\n");
    for b in all() {
        s.push_str(&format!(
            "| `{}` | {} | {} |\n",
            b.signature(),
            b.summary,
            b.formula.replace('|', "\\|")
        ));
    }
    s
}
