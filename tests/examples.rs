//! Every program in `examples/`, found by reading the directory, so a new example is
//! covered as soon as it is added: snapshots of what the compiler made of it (AST, IR,
//! CLIF), no warnings, block-size invariance, and sane levels.
//!
//! Snapshots are named after the example (`examples__lorenz.ir.snap`); write them with
//! `INSTA_UPDATE=always cargo test --test examples` and review the diff.

use kanon_compiler::{compile, Options, Program};
use kanon_lang::Source;
use std::path::{Path, PathBuf};

/// One second at the compile rate.
const FRAMES: usize = 48_000;

/// Block sizes that must all give the same samples.
const BLOCKS: [usize; 5] = [1, 7, 64, 512, 48_000];

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// `(name, source)` of every `examples/*.kn`, sorted by name.
fn examples() -> Vec<(String, Source)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(examples_dir()).expect("examples/ is readable") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|e| e == "kn") {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).expect("example is readable");
            out.push((
                name.clone(),
                Source::new(format!("examples/{name}.kn"), text),
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Compiles an example, failing with the rendered diagnostics.
fn build(src: &Source, keep_clif: bool) -> Program {
    let opts = Options {
        sample_rate: 48_000.0,
        keep_clif,
    };
    compile(src, opts).unwrap_or_else(|diags| {
        let text: String = diags.iter().map(|d| d.render(src)).collect();
        panic!("{} does not compile:\n{text}", src.name)
    })
}

#[test]
fn there_are_at_least_ten_examples() {
    let names: Vec<String> = examples().into_iter().map(|(n, _)| n).collect();
    assert!(
        names.len() >= 10,
        "only {} examples: {names:?}",
        names.len()
    );
}

#[test]
fn every_example_starts_with_a_comment() {
    for (name, src) in examples() {
        assert!(
            src.text.starts_with("--"),
            "examples/{name}.kn should start with a `--` comment saying what it is and what to listen for"
        );
    }
}

#[test]
fn snapshots_of_ast_ir_and_clif() {
    for (name, src) in examples() {
        let ast = kanon_lang::parse(&src.text).unwrap_or_else(|d| panic!("{}", d.render(&src)));
        let program = build(&src, true);
        insta::with_settings!({ description => src.name.clone(), omit_expression => true }, {
            insta::assert_snapshot!(format!("{name}.ast"), kanon_lang::dump_ast(&ast));
            insta::assert_snapshot!(
                format!("{name}.ir"),
                kanon_compiler::ir::write_program(&program.ir)
            );
            insta::assert_snapshot!(
                format!("{name}.clif"),
                program.clif.as_deref().expect("keep_clif keeps the CLIF")
            );
        });
    }
}

/// A snapshot whose example is gone would never be checked again: catch it.
#[test]
fn no_snapshot_without_its_example() {
    let names: Vec<String> = examples().into_iter().map(|(n, _)| n).collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix("examples__") else {
            continue;
        };
        let stem = rest.split('.').next().unwrap_or_default();
        assert!(
            names.iter().any(|n| n == stem),
            "tests/snapshots/{file} belongs to no example in examples/: delete it"
        );
    }
}

#[test]
fn examples_compile_without_warnings() {
    for (_, src) in examples() {
        let program = build(&src, false);
        let warnings: String = program.warnings.iter().map(|d| d.render(&src)).collect();
        assert!(
            warnings.is_empty(),
            "{} has warnings:\n{warnings}",
            src.name
        );
    }
}

#[test]
fn rendering_is_block_size_invariant() {
    for (_, src) in examples() {
        let program = build(&src, false);
        let bits = |block: usize| -> Vec<u32> {
            kanon_runtime::render(&program, FRAMES, block)
                .iter()
                .map(|x| x.to_bits())
                .collect()
        };
        let reference = bits(BLOCKS[BLOCKS.len() - 1]);
        for block in &BLOCKS[..BLOCKS.len() - 1] {
            let got = bits(*block);
            let first = got.iter().zip(&reference).position(|(a, b)| a != b);
            assert!(
                first.is_none(),
                "{}: blocks of {block} frames differ from one block of {FRAMES} at sample {}",
                src.name,
                first.unwrap()
            );
        }
    }
}

#[test]
fn levels_are_sane() {
    for (_, src) in examples() {
        let program = build(&src, false);
        let out = kanon_runtime::render(&program, FRAMES, 512);
        if let Some(i) = out.iter().position(|x| !x.is_finite()) {
            panic!("{}: sample {i} is {}", src.name, out[i]);
        }
        let peak = out.iter().fold(0f32, |m, x| m.max(x.abs()));
        let rms =
            (out.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / out.len() as f64).sqrt();
        eprintln!("{:32} peak {peak:.3}  rms {rms:.4}", src.name);
        assert!(peak <= 1.0, "{}: peak {peak} is above 1", src.name);
        assert!(rms > 1e-4, "{}: rms {rms} is silent", src.name);
    }
}
