//! Constant folding and algebraic identities, applied as each node is built.

use super::{eval_binary, eval_unary, BinOp, NodeId, Op, UnOp};

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
        Op::Const(_)
        | Op::Read(_)
        | Op::Param(_)
        | Op::Delay { .. }
        | Op::Pattern { .. }
        | Op::Sample { .. } => {}
    }
    Simplified::Op(op)
}

/// `1/y` when it is exact (`y` a power of two with a normal reciprocal): dividing by
/// such a `y` is multiplying by `1/y`, bit for bit, and a multiply is several times
/// cheaper than a divide.
pub fn exact_reciprocal(y: f64) -> Option<f64> {
    let r = 1.0 / y;
    let power_of_two = y.is_normal() && r.is_normal() && (y.to_bits() & ((1u64 << 52) - 1)) == 0;
    power_of_two.then_some(r)
}

#[cfg(test)]
mod tests {
    use super::exact_reciprocal;

    #[test]
    fn reciprocal_only_of_powers_of_two() {
        assert_eq!(exact_reciprocal(2.0), Some(0.5));
        assert_eq!(exact_reciprocal(-0.25), Some(-4.0));
        assert_eq!(exact_reciprocal(3.0), None);
        assert_eq!(exact_reciprocal(0.0), None);
        assert_eq!(exact_reciprocal(f64::INFINITY), None);
        assert_eq!(exact_reciprocal(f64::MAX), None); // 1/MAX is subnormal
        for x in [0.1f64, 1.7, -3.3, 1e300, 5e-300] {
            for y in [2.0, 0.5, 1024.0, -8.0] {
                assert_eq!(
                    (x / y).to_bits(),
                    (x * exact_reciprocal(y).unwrap()).to_bits()
                );
            }
        }
    }
}
