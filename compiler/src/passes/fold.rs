//! Constant folding and algebraic identities, applied as each node is built.

use crate::ir::{eval_binary, eval_unary, BinOp, NodeId, Op, UnOp};

/// What a new op turned into.
pub enum Simplified {
    /// An existing node computes it already.
    Node(NodeId),
    /// This (possibly folded) op.
    Op(Op),
}

/// Folds an op whose inputs are constants, and drops identities (`x+0`, `x*1`, `x/1`, `x^1`).
/// `x*0` is not folded: it is NaN for an infinite or NaN `x`.
pub fn simplify(nodes: &[Op], op: Op) -> Simplified {
    let c = |n: NodeId| match nodes[n.index()] {
        Op::Const(v) => Some(v),
        _ => None,
    };
    match op {
        Op::Unary(o, a) => {
            if o == UnOp::Lcg {
                return Simplified::Op(op);
            }
            if let Some(x) = c(a) {
                return Simplified::Op(Op::Const(eval_unary(o, x)));
            }
        }
        Op::Binary(o, a, b) => match (c(a), c(b)) {
            (Some(x), Some(y)) => return Simplified::Op(Op::Const(eval_binary(o, x, y))),
            (Some(x), None) if x == 0.0 && o == BinOp::Add => return Simplified::Node(b),
            (Some(x), None) if x == 1.0 && o == BinOp::Mul => return Simplified::Node(b),
            (None, Some(y)) if y == 0.0 && matches!(o, BinOp::Add | BinOp::Sub) => {
                return Simplified::Node(a)
            }
            (None, Some(y)) if y == 1.0 && matches!(o, BinOp::Mul | BinOp::Div | BinOp::Pow) => {
                return Simplified::Node(a)
            }
            _ => {}
        },
        Op::Select(cond, a, b) => {
            if let Some(x) = c(cond) {
                return Simplified::Node(if x != 0.0 { a } else { b });
            }
            if a == b {
                return Simplified::Node(a);
            }
        }
        Op::Const(_) | Op::Read(_) | Op::Delay { .. } => {}
    }
    Simplified::Op(op)
}
