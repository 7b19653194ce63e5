//! The kanon IR: one sample of the signal as a dataflow graph over keyed state.
//!
//! Nodes live in an arena and refer to earlier nodes by [`NodeId`], so the arena order is
//! a valid evaluation order. Nodes are pure except two kinds: [`Op::Read`] gives a
//! *cell*'s value from the previous sample (a history node, printed `~s3`), and
//! [`Op::Delay`] writes to and reads from its own delay buffer. Every cell has exactly one
//! `next` value, committed after the whole sample is computed, so all members of a
//! feedback cycle update from the same snapshot (extract → transform → commit → emit).
//!
//! Every cell and buffer carries a symbol key such as `~bass/lpf#0.y1`: state is matched
//! across recompiles by key, never by index.

mod build;
pub mod cse;
pub mod fold;
pub mod math;
pub mod validate;
mod write;

pub use build::Builder;

pub use write::write_program;

pub use crate::key::Key;
use std::fmt;

macro_rules! entity {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            /// The index into its table.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

entity!(
    /// A node in the dataflow graph, printed `n12`.
    NodeId,
    "n"
);
entity!(
    /// A state cell (one f64 carried from sample to sample), printed `s3`.
    CellId,
    "s"
);
entity!(
    /// A delay buffer, printed `b0`.
    BufId,
    "b"
);
entity!(
    /// A pattern played as a signal, printed `p0`.
    PatId,
    "p"
);
entity!(
    /// A sampler (the voices of an `s` pattern), printed `v0`.
    SamplerId,
    "v"
);

/// One-input operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    Neg,
    Abs,
    Floor,
    Sqrt,
    Sin,
    /// `sin(2π·x)`: the oscillators' sine of a phase in turns.
    SinTau,
    Cos,
    Tan,
    Exp,
    Log,
    Tanh,
    /// One step of the noise generator: `(s · 1664525 + 1013904223) mod 2³²`.
    Lcg,
}

/// Two-input operators. Comparisons give 1.0 or 0.0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Min,
    Max,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

/// What a node computes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    /// A constant.
    Const(f64),
    /// A cell's value from the previous sample (a history node).
    Read(CellId),
    /// Slot `n` of the parameter block: a live value set from outside, constant within
    /// a block.
    Param(u32),
    /// `op a`.
    Unary(UnOp, NodeId),
    /// `a op b`.
    Binary(BinOp, NodeId, NodeId),
    /// `c != 0 ? a : b`.
    Select(NodeId, NodeId, NodeId),
    /// Writes `input` at write position `pos` of `buf`, then reads `samples` (fractional,
    /// clamped to `0..=len-2`) behind it by linear interpolation.
    Delay {
        buf: BufId,
        pos: NodeId,
        input: NodeId,
        samples: NodeId,
    },
    /// Pattern `pat` at this frame: its value (piecewise constant, 0 where no event
    /// covers the frame), or with `trigger` 1 on the first frame of an event and 0
    /// elsewhere. Advances the pattern's cursor (see `crate::rt::cursor`).
    Pattern { pat: PatId, trigger: bool },
    /// Channel `channel` (0 left, 1 right) of a sampler's voices at this frame.
    Sample { sampler: SamplerId, channel: u8 },
}

impl Op {
    /// The nodes this one reads.
    pub fn inputs(&self) -> impl Iterator<Item = NodeId> {
        let (a, b, c) = match *self {
            Op::Const(_) | Op::Read(_) | Op::Param(_) | Op::Pattern { .. } | Op::Sample { .. } => {
                (None, None, None)
            }
            Op::Unary(_, a) => (Some(a), None, None),
            Op::Binary(_, a, b) => (Some(a), Some(b), None),
            Op::Select(c, a, b) => (Some(c), Some(a), Some(b)),
            Op::Delay {
                pos,
                input,
                samples,
                ..
            } => (Some(pos), Some(input), Some(samples)),
        };
        a.into_iter().chain(b).chain(c)
    }

    /// The same op with every input passed through `f`.
    pub fn map_inputs(self, mut f: impl FnMut(NodeId) -> NodeId) -> Op {
        match self {
            Op::Const(_) | Op::Read(_) | Op::Param(_) | Op::Pattern { .. } | Op::Sample { .. } => {
                self
            }
            Op::Unary(o, a) => Op::Unary(o, f(a)),
            Op::Binary(o, a, b) => Op::Binary(o, f(a), f(b)),
            Op::Select(c, a, b) => Op::Select(f(c), f(a), f(b)),
            Op::Delay {
                buf,
                pos,
                input,
                samples,
            } => Op::Delay {
                buf,
                pos: f(pos),
                input: f(input),
                samples: f(samples),
            },
        }
    }
}

/// A state cell: one f64 carried from one sample to the next.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// The symbol key, e.g. `~bass/saw#0.phase` or `~x'` for a bus history.
    pub key: Key,
    /// Value before the first sample.
    pub init: f64,
    /// The value it takes for the next sample.
    pub next: NodeId,
}

/// A delay line's memory.
#[derive(Clone, Debug, PartialEq)]
pub struct Buffer {
    /// The symbol key, e.g. `~echo/delay#0.buf`.
    pub key: Key,
    /// Length in samples, a power of two.
    pub len: usize,
    /// For a delay line: the cell holding the write position (an integer in `0..len`),
    /// which the delay reads as its `pos` operand; migration needs it to carry a resized
    /// buffer. Other buffers (a pattern's cursor, a sampler's voices, the clock) have none.
    pub pos: Option<CellId>,
}

/// A pattern played as a signal: one period of its events as a table (see
/// `crate::tables`), and the buffer holding its cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternSignal {
    /// The table, in the layout `crate::rt::cursor` reads.
    pub table: std::sync::Arc<[f64]>,
    /// The cursor's buffer.
    pub cursor: BufId,
}

/// The voices of an `s` pattern: its events as a table of triggers, the buffer holding
/// its cursor, and the buffer holding its voice pool.
#[derive(Clone, Debug, PartialEq)]
pub struct Sampler {
    /// The event table, in the layout `crate::rt::sampler` reads.
    pub table: std::sync::Arc<[f64]>,
    /// The cursor's buffer.
    pub cursor: BufId,
    /// The voice pool's buffer (`kanon_samples::voice` layout).
    pub voices: BufId,
}

/// The cycle clock: the tempo as an exact fraction, and the buffer holding the clock's
/// position (carried across swaps by key).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clock {
    /// Cycles per second, numerator and denominator.
    pub cps: (i64, i64),
    /// The clock's buffer.
    pub state: BufId,
}

/// Where the compiler placed a history read, for `kanonc check`.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    /// The bus whose definition reads the history.
    pub reader: String,
    /// The bus read one sample late.
    pub bus: String,
    /// The cell holding it.
    pub cell: CellId,
    /// Byte offset of the reference in the source.
    pub at: usize,
}

/// A whole lowered program: one sample's computation over keyed state.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// Sample rate the constants were folded for.
    pub sample_rate: f64,
    /// Cycles per second (`tempo:`/`cps:`), 1 if not given.
    pub tempo: f64,
    /// The dataflow graph, in evaluation order.
    pub nodes: Vec<Op>,
    /// State cells.
    pub cells: Vec<Cell>,
    /// Buffers: delay lines, cursors, voice pools, the clock.
    pub buffers: Vec<Buffer>,
    /// Patterns played as signals.
    pub patterns: Vec<PatternSignal>,
    /// Samplers.
    pub samplers: Vec<Sampler>,
    /// The cycle clock, when the program plays patterns.
    pub clock: Option<Clock>,
    /// Named buses and their values (one node per channel), in source order.
    pub buses: Vec<(String, Vec<NodeId>)>,
    /// The output channels.
    pub outputs: Vec<NodeId>,
    /// Values written to the tap buffer each frame (for a scope), in order.
    pub taps: Vec<NodeId>,
    /// Where history reads were placed.
    pub histories: Vec<History>,
    /// Named live parameters (`param "cutoff" 1000`), in order of first use.
    pub params: Vec<ParamDecl>,
}

/// A named live parameter the program reads: its slot in the parameter block and the
/// value that slot takes until the outside world sets it.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamDecl {
    /// The name the outside world sets it by (`/param cutoff 500`).
    pub name: String,
    /// Its slot in the parameter block ([`Op::Param`]).
    pub slot: u32,
    /// The value written in the program.
    pub default: f64,
    /// The MIDI controller mapped to it in the program (`:cc 74 :min 200 :max 8000`).
    pub cc: Option<CcMap>,
}

/// A MIDI controller mapped onto a named parameter: CC value 0..127 spans `min..max`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CcMap {
    /// The controller number, 0..=119 (120..127 are channel mode messages).
    pub controller: u8,
    /// The value at CC 0.
    pub min: f64,
    /// The value at CC 127.
    pub max: f64,
    /// How the span is walked.
    pub curve: Curve,
}

/// How a [`CcMap`] walks from `min` to `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    /// Equal steps of value: `min·(1 − u) + max·u`.
    Lin,
    /// Equal ratios (for frequencies and times): `min·(max/min)^u`; `min` and `max` have
    /// the same sign and neither is 0.
    Exp,
}

impl CcMap {
    /// The parameter's value for a controller position `unit` in 0..1 (`value / 127`;
    /// anything outside is clamped). The ends are exact: 0 gives `min`, 1 gives `max`.
    pub fn value(&self, unit: f64) -> f64 {
        let u = unit.clamp(0.0, 1.0);
        if u >= 1.0 {
            return self.max;
        }
        match self.curve {
            Curve::Lin => self.min * (1.0 - u) + self.max * u,
            Curve::Exp => self.min * (self.max / self.min).powf(u),
        }
    }

    /// The parameter's value for the 7-bit CC value `raw` (0..=127).
    pub fn value_of_cc(&self, raw: u8) -> f64 {
        self.value(f64::from(raw.min(127)) / 127.0)
    }
}

impl Program {
    /// The op of a node.
    pub fn op(&self, n: NodeId) -> Op {
        self.nodes[n.index()]
    }

    /// The constant value of a node, if it is one.
    pub fn constant(&self, n: NodeId) -> Option<f64> {
        match self.op(n) {
            Op::Const(v) => Some(v),
            _ => None,
        }
    }

    /// Outputs, taps and bus values: what the program exists to compute.
    pub fn results(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.outputs
            .iter()
            .chain(&self.taps)
            .copied()
            .chain(self.buses.iter().flat_map(|(_, v)| v.iter().copied()))
    }

    /// A parameter block holding every declared parameter at its default.
    pub fn param_defaults(&self) -> Vec<f64> {
        let len = self
            .params
            .iter()
            .map(|d| d.slot as usize + 1)
            .max()
            .unwrap_or(0);
        let mut v = vec![0.0; len];
        for d in &self.params {
            v[d.slot as usize] = d.default;
        }
        v
    }

    /// Every node the computation must keep: outputs, bus values and cell updates.
    pub fn roots(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.results().chain(self.cells.iter().map(|c| c.next))
    }

    /// Per node: how many operands of other nodes it is.
    pub fn operand_uses(&self) -> Vec<u32> {
        let mut uses = vec![0u32; self.nodes.len()];
        for op in &self.nodes {
            for n in op.inputs() {
                uses[n.index()] += 1;
            }
        }
        uses
    }
}

/// Exact semantics of one-input ops, shared by constant folding and the reference
/// interpreter so a folded constant is the value the running code would compute
/// (`sin`/`cos` are the inline approximations of [`math`], not libm's).
pub fn eval_unary(op: UnOp, a: f64) -> f64 {
    match op {
        UnOp::Neg => -a,
        UnOp::Abs => a.abs(),
        UnOp::Floor => a.floor(),
        UnOp::Sqrt => a.sqrt(),
        UnOp::Sin => math::sin(a),
        UnOp::SinTau => math::sin_turns(a),
        UnOp::Cos => math::cos(a),
        UnOp::Tan => a.tan(),
        UnOp::Exp => a.exp(),
        UnOp::Log => a.ln(),
        UnOp::Tanh => a.tanh(),
        UnOp::Lcg => lcg(a),
    }
}

/// The noise generator step on a state held exactly as an integer-valued f64 in
/// `[0, 2³²)`. It multiplies [`int_bits`] (`s` plus 2⁵²'s exponent bits, which are a
/// multiple of 2⁴⁸ and so vanish modulo 2³² after the multiply), as the JIT does.
pub fn lcg(s: f64) -> f64 {
    let s = int_bits(s) as u64;
    (s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223) & 0xffff_ffff) as f64
}

/// 2⁵²: the smallest f64 whose ulp is 1.
pub const TWO_52: f64 = 4_503_599_627_370_496.0;

/// The bits of `x + 2⁵²`: for an integral `0 ≤ x < 2⁵²` the low 52 bits are `x`, so
/// masked to a smaller power of two they are `x` modulo it (the delay line's indices).
pub fn int_bits(x: f64) -> i64 {
    (x + TWO_52).to_bits() as i64
}

/// Exact semantics of two-input ops (see [`eval_unary`]).
pub fn eval_binary(op: BinOp, a: f64, b: f64) -> f64 {
    let bool = |x: bool| if x { 1.0 } else { 0.0 };
    match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        BinOp::Pow => a.powf(b),
        // Cranelift's fmin/fmax propagate NaN, and order -0 below +0 (Rust's `min` and
        // `max` may return either zero); so do these.
        BinOp::Min => {
            if a.is_nan() || b.is_nan() {
                f64::NAN
            } else if a == b {
                f64::from_bits(a.to_bits() | b.to_bits())
            } else {
                a.min(b)
            }
        }
        BinOp::Max => {
            if a.is_nan() || b.is_nan() {
                f64::NAN
            } else if a == b {
                f64::from_bits(a.to_bits() & b.to_bits())
            } else {
                a.max(b)
            }
        }
        BinOp::Lt => bool(a < b),
        BinOp::Le => bool(a <= b),
        BinOp::Gt => bool(a > b),
        BinOp::Ge => bool(a >= b),
        BinOp::Eq => bool(a == b),
        BinOp::Ne => bool(a != b),
    }
}

impl UnOp {
    /// The name in the IR text.
    pub fn name(self) -> &'static str {
        match self {
            UnOp::Neg => "neg",
            UnOp::Abs => "abs",
            UnOp::Floor => "floor",
            UnOp::Sqrt => "sqrt",
            UnOp::Sin => "sin",
            UnOp::SinTau => "sintau",
            UnOp::Cos => "cos",
            UnOp::Tan => "tan",
            UnOp::Exp => "exp",
            UnOp::Log => "log",
            UnOp::Tanh => "tanh",
            UnOp::Lcg => "lcg",
        }
    }
}

impl BinOp {
    /// The name in the IR text.
    pub fn name(self) -> &'static str {
        match self {
            BinOp::Add => "add",
            BinOp::Sub => "sub",
            BinOp::Mul => "mul",
            BinOp::Div => "div",
            BinOp::Pow => "pow",
            BinOp::Min => "min",
            BinOp::Max => "max",
            BinOp::Lt => "lt",
            BinOp::Le => "le",
            BinOp::Gt => "gt",
            BinOp::Ge => "ge",
            BinOp::Eq => "eq",
            BinOp::Ne => "ne",
        }
    }
}
