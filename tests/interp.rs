//! The tree-walking interpreter (`kanon_compiler::interp`) against the JIT: for every
//! example and every benchmark workload the first 0.25 s must agree bit for bit, since
//! both implement the same documented semantics of each IR op.

use kanon_compiler::{compile, interp, Block, Options};
use kanon_lang::Source;
use std::path::Path;

/// Every `.kn` file in `dir`, sorted.
fn programs(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "kn"))
        .collect();
    v.sort();
    v
}

/// The JIT's first quarter second, in blocks of 512 (no denormal flushing, as the
/// interpreter does not flush either).
fn jit(program: &kanon_compiler::Program, frames: usize) -> Vec<f32> {
    let ch = program.channels();
    let mut state = program.initial_state();
    let mut out = vec![0.0; frames * ch];
    for (i, block) in out.chunks_mut(512 * ch).enumerate() {
        program.process(Block::new(&mut state, block).at((i * 512) as u64));
    }
    out
}

/// Compares interpreter and JIT on every program in `dir`; returns how many it checked.
fn check_dir(dir: &str) -> usize {
    let files = programs(dir);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let src = Source::new(path.display().to_string(), text);
        let program = compile(&src, Options::default())
            .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(&src)).collect::<String>()));
        assert!(program.wait_for_samples(std::time::Duration::from_secs(60)));
        let frames = 12_000;
        let want = jit(&program, frames);
        let got = interp::render(&program, frames);
        assert!(
            want.iter().any(|&y| y != 0.0),
            "{}: silent, the comparison would prove nothing",
            path.display()
        );
        if let Some(i) = (0..want.len()).find(|&i| want[i].to_bits() != got[i].to_bits()) {
            panic!(
                "{}: interpreter and JIT differ first at sample {i} (frame {}): jit {:e}, interp {:e}",
                path.display(),
                i / program.channels(),
                want[i],
                got[i]
            );
        }
        // Same output and same final state: the interpreter models the state block too.
        let mut s_jit = program.initial_state();
        let mut s_int = program.initial_state();
        let mut out = vec![0.0; 1000 * program.channels()];
        program.process(Block::new(&mut s_jit, &mut out));
        interp::Interp::of(&program).process(Block::new(&mut s_int, &mut out));
        let same = s_jit
            .iter()
            .zip(&s_int)
            .all(|(a, b)| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
        assert!(same, "{}: state after 1000 frames differs", path.display());
    }
    files.len()
}

#[test]
fn interpreter_matches_jit_on_examples() {
    assert!(check_dir("examples") >= 10);
}

#[test]
fn interpreter_matches_jit_on_workloads() {
    assert_eq!(check_dir("benches/workloads"), 9);
}

/// The comparison can fail: a program whose output the interpreter gets wrong on purpose
/// (a different program) is caught.
#[test]
fn a_different_program_is_caught() {
    let a = compile(&Source::new("a", "out: sine 440"), Options::default()).unwrap();
    let b = compile(&Source::new("b", "out: sine 441"), Options::default()).unwrap();
    assert_ne!(jit(&a, 100), interp::render(&b, 100));
}

/// Delay times no example reaches: swept at audio rate, jumping, noisy, negative, past
/// the maximum, and a read position carried over from a longer line (a swap keeps the
/// `.time` cell), so the JIT's clamp and index arithmetic are checked against the model.
#[test]
fn interpreter_matches_jit_on_delay_edge_cases() {
    let text = "\
o1: delay (saw 110) (0.002 + 0.0019 * sine 3000)
o2: delay (sine 330) (0.3 * (sine 5 > 0)) 0.5
o3: delay (sine 50) (noise * 0.02) 0.05
o4: delay (sine 70) (2 * sine 40) 0.25
o5: delay (sine 220) (-0.01 + 0.03 * sine 20)
o6: delay (sine 90) 0.01 0.01
o7: delay (sine 95) 0.01
";
    let src = Source::new("edges", text.to_string());
    let program = compile(&src, Options::default()).unwrap();
    let mut init = program.initial_state();
    for (key, v) in [("o6/delay#0.time", 1e9), ("o7/delay#0.time", -5000.0)] {
        let slot = program.layout.cells.iter().find(|c| c.key == key).unwrap();
        init[slot.offset] = v;
    }
    let frames = 12_000;
    let ch = program.channels();
    let (mut s_jit, mut s_int) = (init.clone(), init);
    let mut want = vec![0.0; frames * ch];
    for block in want.chunks_mut(512 * ch) {
        program.process(Block::new(&mut s_jit, block));
    }
    let mut got = vec![0.0; frames * ch];
    interp::Interp::new(&program.ir, &program.layout).process(Block::new(&mut s_int, &mut got));
    assert!((0..ch).all(|c| want[c..].iter().step_by(ch).any(|&y| y != 0.0)));
    let bits = |v: &[f32]| v.iter().map(|y| y.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&want), bits(&got));
    let bits = |v: &[f64]| v.iter().map(|y| y.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&s_jit), bits(&s_int));
}
