//! The IR's text form (`kanonc dump --ir`). Constants print inline as operands.

use super::{Op, Program};
use std::fmt::Write;

/// Prints a program: its cells and buffers with their keys, then one line per node.
pub fn write_program(p: &Program) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "; kanon IR: {} Hz, tempo {}, {} channel(s), {} node(s), {} cell(s), {} buffer(s)",
        p.sample_rate,
        p.tempo,
        p.outputs.len(),
        p.nodes.len(),
        p.cells.len(),
        p.buffers.len()
    );
    for d in &p.params {
        let _ = write!(
            out,
            "param {} \"{}\" default {:?}",
            d.slot, d.name, d.default
        );
        if let Some(c) = d.cc {
            let _ = write!(
                out,
                " cc {} {:?}..{:?} {:?}",
                c.controller, c.min, c.max, c.curve
            );
        }
        out.push('\n');
    }
    for (i, c) in p.cells.iter().enumerate() {
        let _ = writeln!(out, "cell s{i} {} = {:?}", c.key, c.init);
    }
    for (i, b) in p.buffers.iter().enumerate() {
        let _ = writeln!(out, "buffer b{i} {} [{}]", b.key, b.len);
    }
    if let Some(c) = &p.clock {
        let _ = writeln!(out, "clock {}/{} cps in {}", c.cps.0, c.cps.1, c.state);
    }
    for (i, pat) in p.patterns.iter().enumerate() {
        let _ = writeln!(
            out,
            "pattern p{i} cursor {}, {}",
            pat.cursor,
            crate::tables::describe_pattern(&pat.table)
        );
    }
    for (i, s) in p.samplers.iter().enumerate() {
        let _ = writeln!(
            out,
            "sampler v{i} cursor {}, voices {}, {}",
            s.cursor,
            s.voices,
            crate::tables::describe_sampler(&s.table)
        );
    }
    let arg = |n: super::NodeId| match p.op(n) {
        Op::Const(v) => format!("{v:?}"),
        _ => n.to_string(),
    };
    for (i, op) in p.nodes.iter().enumerate() {
        let rhs = match *op {
            Op::Const(_) => continue,
            Op::Read(c) => format!("~{c}"),
            Op::Param(n) => format!("param {n}"),
            Op::Pattern {
                pat,
                trigger: false,
            } => format!("pattern {pat}"),
            Op::Pattern { pat, trigger: true } => format!("trigger {pat}"),
            Op::Sample { sampler, channel } => format!("sample {sampler}.{channel}"),
            Op::Unary(o, a) => format!("{} {}", o.name(), arg(a)),
            Op::Binary(o, a, b) => format!("{} {}, {}", o.name(), arg(a), arg(b)),
            Op::Select(c, a, b) => format!("select {}, {}, {}", arg(c), arg(a), arg(b)),
            Op::Delay {
                buf,
                pos,
                input,
                samples,
            } => format!(
                "delay {buf} at {}, in {}, back {}",
                arg(pos),
                arg(input),
                arg(samples)
            ),
        };
        let _ = writeln!(out, "n{i} = {rhs}");
    }
    for (i, c) in p.cells.iter().enumerate() {
        let _ = writeln!(out, "s{i} <- {}", arg(c.next));
    }
    for (name, vals) in &p.buses {
        let vals: Vec<String> = vals.iter().map(|&v| arg(v)).collect();
        let _ = writeln!(out, "bus ~{name} = {}", vals.join(", "));
    }
    for (ch, &v) in p.outputs.iter().enumerate() {
        let _ = writeln!(out, "out {ch} = {}", arg(v));
    }
    for (k, &v) in p.taps.iter().enumerate() {
        let _ = writeln!(out, "tap {k} = {}", arg(v));
    }
    out
}
