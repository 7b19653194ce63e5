//! Control and sight: live parameters across swaps, OSC into a running `kanonc run`
//! under a JACK dummy server, plots of a render.

use kanon_compiler::{Compiler, Options, Program};
use kanon_lang::Source;
use kanon_runtime::engine::{engine, Config};

/// Compiles with `c`, so parameter names keep their slots as in a live session.
fn prog(c: &mut Compiler, text: &str) -> Program {
    c.compile(&Source::new("t.kn", text), Options::default())
        .expect("compiles")
}

fn slot(p: &Program, name: &str) -> usize {
    p.ir.params
        .iter()
        .find(|d| d.name == name)
        .map(|d| d.slot as usize)
        .expect("declared")
}

/// A value set from outside survives swaps, new defaults and the parameter's absence;
/// a parameter nobody set follows the file's default; a reset goes back to it.
#[test]
fn a_value_set_from_outside_survives_every_edit() {
    let mut c = Compiler::new();
    let a = prog(&mut c, "out: param \"cutoff\" 1000 0 + param \"q\" 1 0 * 0");
    let cutoff = slot(&a, "cutoff");
    let q = slot(&a, "q");
    let (mut h, mut p) = engine(a, Config::exact(48_000.0, 1, 64));
    let mut out = [0f32; 64];
    let mut block = |p: &mut kanon_runtime::AudioProcessor<Program>| {
        p.process(&mut out);
        out[63]
    };
    assert_eq!(block(&mut p), 1000.0, "the default until set");

    h.set_param(cutoff, 500.0).unwrap();
    assert_eq!(block(&mut p), 500.0, "set from outside, at the next block");
    assert!(h.param_is_set(cutoff));

    // An edit with a new default, then one without the parameter, then it comes back.
    let texts = [
        "out: param \"cutoff\" 2000 0 + param \"q\" 3 0 * 0",
        "out: sine 1 * 0",
        "out: param \"cutoff\" 3000 0 * 1 + param \"q\" 3 0 * 0",
    ];
    for (i, t) in texts.iter().enumerate() {
        h.commit(prog(&mut c, t)).ok().expect("commit");
        let v = block(&mut p);
        if i != 1 {
            assert_eq!(v, 500.0, "edit {i}: the value set from outside stays");
        }
        assert_eq!(p.params()[cutoff], 500.0);
        // `q` was never set: it follows the file.
        if i != 1 {
            assert_eq!(p.params()[q], 3.0);
        }
    }

    // Forgetting the outside value: the running program's default applies again.
    h.reset_param(cutoff).unwrap();
    assert!(!h.param_is_set(cutoff));
    assert_eq!(block(&mut p), 3000.0);
    h.commit(prog(&mut c, "out: param \"cutoff\" 4000 0"))
        .ok()
        .expect("commit");
    assert_eq!(block(&mut p), 4000.0, "and later defaults too");
    // Defaults do not count as parameter changes.
    assert_eq!(
        p.stats().params.load(std::sync::atomic::Ordering::Relaxed),
        1
    );
}

/// A swap keeps the smoother's glide going: after the swap the output continues the
/// one-pole exactly as if there had been no swap.
#[test]
fn a_swap_mid_glide_continues_the_glide() {
    let mut c = Compiler::new();
    let text = "~c: param \"cutoff\" 1000\nout: ~c";
    let a = prog(&mut c, text);
    let cutoff = slot(&a, "cutoff");
    let (mut h, mut p) = engine(a, Config::exact(48_000.0, 1, 64));
    let (mut r, mut rp) = engine(prog(&mut c, text), Config::exact(48_000.0, 1, 64));
    let (mut x, mut y) = (vec![0f32; 64 * 40], vec![0f32; 64 * 40]);
    for (k, (bx, by)) in x.chunks_mut(64).zip(y.chunks_mut(64)).enumerate() {
        if k == 2 {
            h.set_param(cutoff, 200.0).unwrap();
            r.set_param(cutoff, 200.0).unwrap();
        }
        if k == 5 {
            // The same bus with something added elsewhere: the smoother is carried.
            h.commit(prog(
                &mut c,
                "~c: param \"cutoff\" 1000\n~d: sine 3\nout: ~c",
            ))
            .ok()
            .expect("commit");
        }
        p.process(bx);
        rp.process(by);
    }
    assert_eq!(x, y);
    assert!(
        x[64 * 6] > 200.5 && x[64 * 6] < 999.0,
        "mid-glide at the swap: {}",
        x[64 * 6]
    );
}
