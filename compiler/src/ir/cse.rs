//! Common-subexpression elimination: ops are hash-consed by this key as they are built.

use super::{BinOp, NodeId, Op, UnOp};

/// A hashable identity for an op (constants compared by their bits).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpKey {
    Const(u64),
    Read(u32),
    Param(u32),
    Unary(UnOp, NodeId),
    Binary(BinOp, NodeId, NodeId),
    Select(NodeId, NodeId, NodeId),
    /// A buffer's taps all write the same input at the same position, so the buffer and
    /// the read time make a tap distinct.
    Delay(u32, NodeId),
    Pattern(u32, bool),
    Sample(u32, u8),
}

impl OpKey {
    /// The key of an op. Commutative ops are keyed with their inputs in order, so
    /// `a + b` and `b + a` are one node.
    pub fn of(op: Op) -> OpKey {
        match op {
            Op::Const(v) => OpKey::Const(v.to_bits()),
            Op::Read(c) => OpKey::Read(c.0),
            Op::Param(n) => OpKey::Param(n),
            Op::Unary(o, a) => OpKey::Unary(o, a),
            Op::Binary(o, a, b) => {
                let commutative = matches!(
                    o,
                    BinOp::Add | BinOp::Mul | BinOp::Min | BinOp::Max | BinOp::Eq | BinOp::Ne
                );
                if commutative && b < a {
                    OpKey::Binary(o, b, a)
                } else {
                    OpKey::Binary(o, a, b)
                }
            }
            Op::Select(c, a, b) => OpKey::Select(c, a, b),
            Op::Delay { buf, samples, .. } => OpKey::Delay(buf.0, samples),
            Op::Pattern { pat, trigger } => OpKey::Pattern(pat.0, trigger),
            Op::Sample { sampler, channel } => OpKey::Sample(sampler.0, channel),
        }
    }
}
