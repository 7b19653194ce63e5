//! The IR validator: the invariants every pass must keep, checked after each pass in
//! debug builds (so every test checks them) and by tests directly.
//!
//! - every operand, cell update, bus value and output names a node defined before use
//!   (the arena order is the evaluation order);
//! - every cell is read by at most one node (after CSE) and written exactly once per
//!   sample (it has one `next`, a defined node);
//! - keys are unique across cells and buffers;
//! - a delay buffer's length is a power of two of at least 4 and at most
//!   [`MAX_BUFFER`], its position cell exists and is what the delay reads as `pos`;
//! - each buffer has exactly one owner: a delay node, a pattern's or a sampler's cursor,
//!   a sampler's voices, or the clock; patterns and samplers have the clock.

use super::{NodeId, Op, Program};
use std::collections::HashSet;

/// Longest delay buffer the IR may hold, in samples (2²⁷ f64s, 1 GiB).
pub const MAX_BUFFER: usize = 1 << 27;

/// Checks the invariants; the first broken one comes back as a sentence.
pub fn validate(p: &Program) -> Result<(), String> {
    let n = p.nodes.len();
    // `what` names the user for the error only: built lazily, since this runs on every
    // input of every node of every compile.
    let defined = |what: &dyn Fn() -> String, id: usize, before: usize| -> Result<(), String> {
        if id < before {
            Ok(())
        } else {
            Err(format!(
                "{} uses n{id}, which is not defined before it",
                what()
            ))
        }
    };
    let mut readers = vec![0u32; p.cells.len()];
    let mut owners = vec![0u32; p.buffers.len()];
    let mut own = |b: crate::ir::BufId, what: &dyn Fn() -> String| -> Result<(), String> {
        let o = owners
            .get_mut(b.index())
            .ok_or_else(|| format!("{} uses {b}, which does not exist", what()))?;
        *o += 1;
        if *o > 1 {
            return Err(format!("{b} has more than one owner"));
        }
        Ok(())
    };
    // A buffer's delay taps: the first one owns it, the others must write the same input
    // at the same position (so the order of their writes does not matter).
    let mut tapped: Vec<Option<(NodeId, NodeId)>> = vec![None; p.buffers.len()];
    for (i, op) in p.nodes.iter().enumerate() {
        for a in op.inputs() {
            defined(&|| format!("n{i}"), a.index(), i)?;
        }
        match *op {
            Op::Read(c) => {
                let r = readers
                    .get_mut(c.index())
                    .ok_or_else(|| format!("n{i} reads {c}, which does not exist"))?;
                *r += 1;
                if *r > 1 {
                    return Err(format!("{c} is read by more than one node"));
                }
            }
            Op::Delay {
                buf, pos, input, ..
            } => {
                match tapped.get(buf.index()).copied().flatten() {
                    Some(first) if first != (pos, input) => {
                        return Err(format!("n{i} writes {buf} with another input or position"));
                    }
                    Some(_) => {}
                    None => {
                        own(buf, &|| format!("n{i}"))?;
                        tapped[buf.index()] = Some((pos, input));
                    }
                }
                let b = &p.buffers[buf.index()];
                if b.pos.map(Op::Read) != Some(p.op(pos)) {
                    return Err(format!(
                        "n{i} writes {buf} at {pos}, not at its position cell"
                    ));
                }
            }
            Op::Pattern { pat, .. } if pat.index() >= p.patterns.len() => {
                return Err(format!("n{i} plays {pat}, which does not exist"));
            }
            Op::Sample { sampler, channel }
                if sampler.index() >= p.samplers.len() || channel > 1 =>
            {
                return Err(format!(
                    "n{i} reads {sampler}.{channel}, which does not exist"
                ));
            }
            _ => {}
        }
    }
    for (c, cell) in p.cells.iter().enumerate() {
        defined(&|| format!("the update of s{c}"), cell.next.index(), n)?;
    }
    for (name, vals) in &p.buses {
        for v in vals {
            defined(&|| format!("bus ~{name}"), v.index(), n)?;
        }
    }
    for (ch, v) in p.outputs.iter().enumerate() {
        defined(&|| format!("output {ch}"), v.index(), n)?;
    }
    let mut keys = HashSet::new();
    for key in p
        .cells
        .iter()
        .map(|c| &c.key)
        .chain(p.buffers.iter().map(|b| &b.key))
    {
        if !keys.insert(key.as_str()) {
            return Err(format!("the key {key} is used twice"));
        }
    }
    for (k, pat) in p.patterns.iter().enumerate() {
        own(pat.cursor, &|| format!("p{k}"))?;
    }
    for (k, s) in p.samplers.iter().enumerate() {
        own(s.cursor, &|| format!("v{k}"))?;
        own(s.voices, &|| format!("v{k}"))?;
    }
    match &p.clock {
        Some(c) => own(c.state, &|| "the clock".to_string())?,
        None if !p.patterns.is_empty() || !p.samplers.is_empty() => {
            return Err("patterns play without a clock".to_string())
        }
        None => {}
    }
    for (i, b) in p.buffers.iter().enumerate() {
        if let Some(pos) = b.pos {
            if !(4..=MAX_BUFFER).contains(&b.len) || !b.len.is_power_of_two() {
                return Err(format!("b{i} has {} samples", b.len));
            }
            if pos.index() >= p.cells.len() {
                return Err(format!("b{i}'s position cell {pos} does not exist"));
            }
        } else if b.len > MAX_BUFFER {
            return Err(format!("b{i} has {} values", b.len));
        }
        if owners[i] == 0 {
            return Err(format!("b{i} belongs to nothing"));
        }
    }
    for h in &p.histories {
        if h.cell.index() >= p.cells.len() {
            return Err(format!("a history of ~{} reads a missing cell", h.bus));
        }
    }
    Ok(())
}

/// Runs [`validate`] in debug builds; a broken invariant is a compiler bug.
pub fn debug_check(p: &Program, after: &str) {
    if cfg!(debug_assertions) {
        if let Err(e) = validate(p) {
            panic!("invalid IR after {after}: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{BinOp, Builder, Key};
    use crate::key::{Path, Root};

    fn key(slot: &str) -> Key {
        Key::new(&Path::root(Root::Bus("t".into())).call("f", 0, 0), slot)
    }

    fn program() -> Program {
        let mut b = Builder::new(48_000.0);
        let c = b.cell(key("z"), 0.0).unwrap();
        let r = b.read(c);
        let one = b.constant(1.0);
        let s = b.binary(BinOp::Add, r, one);
        b.set_next(c, s);
        b.program_mut().outputs = vec![s];
        b.finish()
    }

    #[test]
    fn a_valid_program_passes() {
        validate(&program()).unwrap();
    }

    #[test]
    fn each_invariant_is_checked() {
        let mut p = program();
        p.outputs = vec![crate::ir::NodeId(99)];
        assert!(validate(&p).unwrap_err().contains("output 0"));

        let mut p = program();
        let last = p.nodes.len() - 1;
        p.nodes[last] = Op::Binary(BinOp::Add, crate::ir::NodeId(last as u32), p.cells[0].next);
        assert!(validate(&p).unwrap_err().contains("not defined before"));

        let mut p = program();
        p.cells.push(p.cells[0].clone());
        assert!(validate(&p).unwrap_err().contains("used twice"));

        let mut p = program();
        let read = p
            .nodes
            .iter()
            .position(|o| matches!(o, Op::Read(_)))
            .unwrap();
        p.nodes.push(p.nodes[read]);
        assert!(validate(&p).unwrap_err().contains("read by more than one"));
    }

    #[test]
    fn builder_refuses_a_key_twice() {
        let mut b = Builder::new(48_000.0);
        b.cell(key("z"), 0.0).unwrap();
        let e = b.cell(key("z"), 0.0).unwrap_err();
        assert!(e.contains("~t/f#0.z"), "{e}");
    }
}
