//! `kanonc check`: diagnostics, history placement, state keys, compile time.

use super::compile;
use kanon_compiler::{Compiler, Options};
use std::path::Path;
use std::time::Duration;

pub fn run(file: &Path, sr: u32) -> Result<(), String> {
    let (src, program) = compile(file, sr, false)?;
    let ir = &program.ir;
    println!(
        "{}: ok: {} channel(s), {} node(s), {} state cell(s), {} delay buffer(s)",
        src.name,
        program.channels(),
        ir.nodes.len(),
        ir.cells.len(),
        ir.buffers.len()
    );
    if ir.histories.is_empty() {
        println!("histories: none (no feedback cycles)");
    } else {
        println!("histories (reads of the previous sample, placed on feedback cycles):");
        for h in &ir.histories {
            let (line, col) = src.line_col(h.at);
            println!(
                "  {}:{line}:{col}  ~{} reads ~{} one sample late ({})",
                src.name, h.reader, h.bus, h.cell
            );
        }
    }
    if !program.banks.is_empty() {
        println!("banks (sums of identical voices, compiled once and run as a loop):");
        for b in &program.banks {
            let first = b.template.cells.first().map_or("", |c| c.key.as_str());
            let inputs = b.externals.len() + b.params;
            let nodes = b.template.nodes[inputs..]
                .iter()
                .filter(|op| !matches!(op, kanon_compiler::ir::Op::Const(_)))
                .count();
            let simd = if kanon_compiler::codegen::vectorised(b) {
                ", two per SIMD vector"
            } else {
                ""
            };
            println!(
                "  {} voices like {first}: {nodes} node(s), {} cell(s), {} constant(s) of its own each{simd}",
                b.voices,
                b.template.cells.len(),
                b.params
            );
        }
    }
    println!("state keys:");
    for c in &program.layout.cells {
        println!(
            "  s{:<4} {} = {}",
            c.offset,
            c.key,
            kanon_compiler::fmt_num(c.init)
        );
    }
    for b in &program.layout.buffers {
        println!("  buffer {} [{} samples]", b.key, b.len);
    }
    // Recompiling warm is what a live edit costs; report the median of several.
    let mut compiler = Compiler::new();
    let opts = Options {
        sample_rate: f64::from(sr),
        keep_clif: false,
    };
    let mut runs: Vec<_> = (0..5)
        .map(|_| compiler.compile(&src, opts).map(|p| p.timings))
        .collect::<Result<_, _>>()
        .map_err(|_| "error: the program stopped compiling on a second try".to_string())?;
    runs.sort_by_key(|t| t.total());
    let t = runs[runs.len() / 2];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "compile time (median of 5): {:.3} ms = parse {:.3} + lower {:.3} + codegen {:.3} ms (first: {:.3} ms)",
        ms(t.total()),
        ms(t.parse),
        ms(t.lower),
        ms(t.codegen),
        ms(program.timings.total())
    );
    Ok(())
}
