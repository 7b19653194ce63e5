//! Combining two patterns' values: Tidal's arithmetic and union operators, each with
//! structure from both sides (`|+|`, plain `+`), the left (`|+`, `#`) or the right (`+|`).

use crate::core::{app_both, app_left, app_right, Pattern};
use crate::value::Value;

/// Which values to produce from a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Sum (`+`).
    Add,
    /// Difference (`-`).
    Sub,
    /// Product (`*`).
    Mul,
    /// Quotient (`/`).
    Div,
    /// Haskell's `mod'` (`%`).
    Mod,
    /// The right value; on maps, the right keys override (`>`, so `#` is `|>`).
    Right,
    /// The left value; on maps, the left keys win (`<`).
    Left,
}

impl Op {
    /// The combined value.
    pub fn apply(self, a: &Value, b: &Value) -> Value {
        match self {
            Op::Add => a.num_op(b, &|x, y| x + y),
            Op::Sub => a.num_op(b, &|x, y| x - y),
            Op::Mul => a.num_op(b, &|x, y| x * y),
            Op::Div => a.num_op(b, &|x, y| x / y),
            Op::Mod => a.num_op(b, &|x, y| x - y * (x / y).floor()),
            Op::Right => a.union_right(b),
            Op::Left => a.union_left(b),
        }
    }
}

/// `a |op| b`: structure from both sides.
pub fn op_both(a: &Pattern<Value>, b: &Pattern<Value>, op: Op) -> Pattern<Value> {
    app_both(a, b, move |x, y| op.apply(x, y))
}

/// `a |op b`: structure from the left.
pub fn op_left(a: &Pattern<Value>, b: &Pattern<Value>, op: Op) -> Pattern<Value> {
    app_left(a, b, move |x, y| op.apply(x, y))
}

/// `a op| b`: structure from the right.
pub fn op_right(a: &Pattern<Value>, b: &Pattern<Value>, op: Op) -> Pattern<Value> {
    app_right(a, b, move |x, y| op.apply(x, y))
}
