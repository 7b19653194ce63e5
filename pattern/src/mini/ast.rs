//! The mini-notation's syntax tree: what was written, with byte offsets, and no meaning
//! (`lower.rs` gives it one).

use std::ops::Range;

use crate::time::Time;

/// A parsed mini-notation string.
#[derive(Clone, Debug, PartialEq)]
pub struct Ast {
    /// The outermost bracket level's contents (a sequence, stack or choice).
    pub root: Node,
    /// How many random seeds (`?` and `|`) the string uses, numbered 0.. in parse order.
    pub seeds: u32,
}

/// A piece of the string and what it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What kind of piece.
    pub kind: Kind,
    /// Byte offsets of the piece in the string.
    pub span: Range<usize>,
}

/// The kinds of mini-notation pieces.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A word as written: `bd`, `bd:3`, `c4`.
    Word(String),
    /// A number with the text it was written as.
    Number(f64, String),
    /// `~` or `-`.
    Rest,
    /// Steps sharing one cycle by weight.
    Sequence(Vec<Step>),
    /// Sequences separated by `.`: each foot is one step.
    Feet(Vec<Node>),
    /// `a, b`: layers played together.
    Stack(Vec<Node>),
    /// `a | b`: one layer chosen per cycle, with its seed.
    Choose {
        /// The seed (parse-order number of this `|` group among `?` and `|`).
        seed: u32,
        /// The alternatives.
        options: Vec<Node>,
    },
    /// `< a b , c >`: each layer plays one of its steps per cycle.
    Alternate(Vec<Node>),
    /// `{ a b , c d e }%n`: layers aligned by steps, `n` (or the first layer's count) per cycle.
    Polymeter {
        /// The layers.
        layers: Vec<Node>,
        /// The steps per cycle after `%`.
        steps: Option<Box<Node>>,
    },
    /// `x*f`.
    Fast(Box<Node>, Box<Node>),
    /// `x/f`.
    Slow(Box<Node>, Box<Node>),
    /// `x(k,n,r)`.
    Euclid {
        /// The step played on the pulses.
        pattern: Box<Node>,
        /// Pulses.
        pulses: Box<Node>,
        /// Steps.
        steps: Box<Node>,
        /// Rotation, in steps to the left.
        rotation: Option<Box<Node>>,
    },
    /// `x?` or `x?p`.
    Degrade {
        /// What is degraded.
        pattern: Box<Node>,
        /// The seed (parse-order number of this `?` among `?` and `|`).
        seed: u32,
        /// The probability of removal (0.5 when omitted).
        amount: Option<f64>,
    },
    /// `a .. b`.
    Range(Box<Node>, Box<Node>),
    /// `c'maj'ii`: a chord on a root.
    Chord {
        /// The root note (a word or number; absent for `'maj`, which is on 0).
        root: Option<Box<Node>>,
        /// The chord name (a step, so it may be patterned).
        name: Box<Node>,
        /// Modifier groups after further `'`.
        modifiers: Vec<Node>,
    },
}

/// One step of a sequence with its weight and repetitions.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// What plays.
    pub node: Node,
    /// Its share of the cycle from `@w` and `_` (1 when unmarked), as written.
    pub weight: Time,
    /// How many times it is repeated (`!n`, bare `!`), 1 when unmarked.
    pub repeat: u32,
}
