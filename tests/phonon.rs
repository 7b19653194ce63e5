//! Phonon's own programs (tests/phonon/, copied from ekg/phonon with attribution) compile
//! and play in kanonc: every one renders 4 s with sound and no non-finite sample.

use kanon_compiler::{compile, Options};
use kanon_lang::Source;
use kanon_runtime::render::render;
use std::path::{Path, PathBuf};

fn programs(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            programs(&p, out);
        } else if p.extension().is_some_and(|x| x == "ph" || x == "phonon") {
            out.push(p);
        }
    }
}

#[test]
fn phonons_programs_play() {
    let mut files = Vec::new();
    programs(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/phonon"),
        &mut files,
    );
    files.sort();
    assert!(files.len() >= 20, "{} programs", files.len());
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let src = Source::new(path.display().to_string(), text);
        let p = compile(&src, Options::default())
            .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(&src)).collect::<String>()));
        let out = render(&p, 4 * 48_000, 512);
        assert!(out.iter().all(|x| x.is_finite()), "{}", path.display());
        let peak = out.iter().fold(0f32, |m, x| m.max(x.abs()));
        assert!(peak > 1e-3, "{}: silent (peak {peak})", path.display());
    }
}
