//! Splits the graph into loop-invariant nodes (computed once per block, before the
//! per-sample loop) and varying nodes (computed every sample), in arena order.

use crate::ir::{Op, Program, UnOp};

/// For each node: does it change from sample to sample?
pub fn varying(p: &Program) -> Vec<bool> {
    let mut v = vec![false; p.nodes.len()];
    for (i, op) in p.nodes.iter().enumerate() {
        v[i] = match op {
            Op::Read(_)
            | Op::Delay { .. }
            | Op::Pattern { .. }
            | Op::Sample { .. }
            | Op::Unary(UnOp::Lcg, _) => true,
            op => op.inputs().any(|n| v[n.index()]),
        };
    }
    v
}
