//! State keys: the properties the live engine relies on when it carries state from one
//! program to the next by key. Checked on `program.layout` and on rendered output.

use kanon_compiler::{compile, Options, Program};
use kanon_lang::Source;
use std::collections::BTreeMap;

fn program(text: &str) -> Program {
    let src = Source::new("t.kn", text);
    compile(&src, Options::default()).unwrap_or_else(|d| {
        panic!(
            "{text}\n{}",
            d.iter().map(|d| d.render(&src)).collect::<String>()
        )
    })
}

/// What identifies each piece of state: key → initial value (cells) or length (buffers).
/// Also checks that no two pieces share a key.
fn keys(p: &Program) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    for c in &p.layout.cells {
        let old = m.insert(c.key.to_string(), format!("cell = {:?}", c.init));
        assert!(old.is_none(), "key {} used twice", c.key);
    }
    for b in &p.layout.buffers {
        let old = m.insert(b.key.to_string(), format!("buffer [{}]", b.len));
        assert!(old.is_none(), "key {} used twice", b.key);
    }
    m
}

fn key_list(text: &str) -> Vec<String> {
    keys(&program(text)).into_keys().collect()
}

/// A state block for `new` holding every value of `old_state` whose key `new` also has,
/// the rest at their initial values: what the live engine's migration does.
fn migrate(old: &Program, old_state: &[f64], new: &Program) -> Vec<f64> {
    let mut s = new.initial_state();
    for c in &new.layout.cells {
        if let Some(o) = old.layout.cell(&c.key) {
            s[c.offset] = old_state[o.offset];
        }
    }
    for b in &new.layout.buffers {
        if let Some(o) = old.layout.buffer(&b.key) {
            assert_eq!(o.len, b.len, "{}: same key, same length here", b.key);
            s[b.offset..b.offset + b.len].copy_from_slice(&old_state[o.offset..o.offset + o.len]);
        }
    }
    s
}

/// `p` rendered for `2·half` frames from a fresh state, and stopped at `half`: the whole
/// render, the state at `half` and the first half (checked equal to the whole's).
fn halfway(p: &Program, half: usize) -> (Vec<f32>, Vec<f64>, Vec<f32>) {
    let whole = kanon_runtime::render(p, 2 * half, 64);
    let mut state = p.initial_state();
    let first = kanon_runtime::render::render_from(p, &mut state, half, 64);
    assert_eq!(bits(&first), bits(&whole[..half]));
    (whole, state, first)
}

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// Definitions (continuation lines included) of a program that uses every kind of state.
const DEFS: &[&str] = &[
    "tempo: 0.5",
    "fn voice f: saw f # onepole 0.05",
    "~lfo: sine 0.25",
    "~bass: saw 55\n    # lpf (~lfo * 2000 + 500) 0.8\n    # delay 0.25",
    "~fb: ~out # delay 0.01 * 0.5",
    "~out: ~bass + ~fb + noise * 0.01",
    "~x: ~x + 10 * (~y - ~x) * 0.005 init 0.1",
    "~y: ~y + (~x * (28 - ~z) - ~y) * 0.005 init 0.1",
    "~z: ~z + (~x * ~y - 8/3 * ~z) * 0.005 init 0.1",
    "~pad: [voice 110, voice 165] + ~lfo' * 0.1",
    "~bank: sum i 0..8: sine (55 * (i + 1)) * 0.01",
    "out: ~out * 0.3 + ~pad * 0.2 + ~bank",
    "o3: ~x * 0.05 + mem ~lfo 0.5",
];

const FRAMES: usize = 4800;

#[test]
fn reordering_lines_changes_nothing() {
    let base_text = DEFS.join("\n");
    let base = program(&base_text);
    let base_keys = keys(&base);
    let base_out = kanon_runtime::render(&base, FRAMES, 512);
    let mut orders: Vec<Vec<&str>> = vec![DEFS.iter().rev().copied().collect()];
    for shift in [1, 5, 9] {
        let mut o = DEFS.to_vec();
        o.rotate_left(shift);
        orders.push(o);
    }
    // A fixed shuffle.
    let mut o = DEFS.to_vec();
    for k in (1..o.len()).rev() {
        o.swap(k, (k * 7 + 3) % (k + 1));
    }
    orders.push(o);
    for order in orders {
        let text = order.join("\n");
        let p = program(&text);
        assert_eq!(keys(&p), base_keys, "{text}");
        let out = kanon_runtime::render(&p, FRAMES, 512);
        assert_eq!(bits(&out), bits(&base_out), "{text}");

        // Swapping to the reordered program mid-render, state carried by key, is
        // indistinguishable from not swapping.
        let mut state = base.initial_state();
        let mut first = kanon_runtime::render::render_from(&base, &mut state, FRAMES / 2, 64);
        let mut moved = migrate(&base, &state, &p);
        first.extend(kanon_runtime::render::render_from(
            &p,
            &mut moved,
            FRAMES / 2,
            64,
        ));
        assert_eq!(bits(&first), bits(&base_out), "swap to\n{text}");
    }
}

#[test]
fn swapping_to_the_same_program_is_a_no_op() {
    let text = DEFS.join("\n");
    let (a, b) = (program(&text), program(&text));
    let whole = kanon_runtime::render(&a, FRAMES, 100);
    let mut state = a.initial_state();
    let mut out = kanon_runtime::render::render_from(&a, &mut state, 1234, 100);
    let mut moved = migrate(&a, &state, &b);
    assert_eq!(moved, state, "same layout, same state");
    out.extend(kanon_runtime::render::render_from(
        &b,
        &mut moved,
        FRAMES - 1234,
        100,
    ));
    assert_eq!(bits(&out), bits(&whole));
}

#[test]
fn adding_a_bus_leaves_every_other_key_unchanged() {
    let base_text = DEFS.join("\n");
    let base = keys(&program(&base_text));
    for (added, prefix) in [
        ("~new: saw 3 # lpf 500 1 # delay 0.1", "~new/"),
        // On a feedback cycle of its own, with a history cell.
        ("~new: ~new * 0.9 + noise init 1", "~new"),
        // Reading existing buses does not disturb them.
        ("~new: ~bass * ~lfo # onepole 0.1", "~new/"),
        ("o4: sine 1000", "o4/"),
    ] {
        let text = format!("{added}\n{base_text}");
        let with = keys(&program(&text));
        for (k, v) in &base {
            assert_eq!(with.get(k), Some(v), "{k} after adding\n{added}");
        }
        let extra: Vec<&String> = with.keys().filter(|k| !base.contains_key(*k)).collect();
        assert!(!extra.is_empty(), "{added}");
        assert!(extra.iter().all(|k| k.starts_with(prefix)), "{extra:?}");
    }
}

#[test]
fn removing_an_unrelated_bus_leaves_every_other_key_unchanged() {
    let with_text = format!(
        "~gone: sine 7 # lpf 300 2 # delay 0.2\no4: ~gone\n{}",
        DEFS.join("\n")
    );
    let without_text = DEFS.join("\n");
    let (with, without) = (program(&with_text), program(&without_text));
    let (kw, ko) = (keys(&with), keys(&without));
    let expected: BTreeMap<String, String> = kw
        .iter()
        .filter(|(k, _)| !k.starts_with("~gone") && !k.starts_with("o4/"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(ko, expected);

    // The buses that stay sound exactly as if nothing had been removed.
    let whole = kanon_runtime::render(&with, FRAMES, 256);
    let mut state = with.initial_state();
    let _ = kanon_runtime::render::render_from(&with, &mut state, FRAMES / 2, 256);
    let mut moved = migrate(&with, &state, &without);
    let rest = kanon_runtime::render::render_from(&without, &mut moved, FRAMES / 2, 256);
    let (cw, co) = (with.channels(), without.channels());
    assert_eq!((cw, co), (4, 3));
    for n in 0..FRAMES / 2 {
        for c in 0..3 {
            assert_eq!(
                rest[n * co + c].to_bits(),
                whole[(FRAMES / 2 + n) * cw + c].to_bits(),
                "frame {n} channel {c}"
            );
        }
    }
}

#[test]
fn inserting_a_stateful_node_elsewhere_leaves_existing_keys() {
    let base_text = "~b: saw 55 # lpf 800 0.7 # delay 0.25\nout: ~b";
    let base = keys(&program(base_text));
    for (text, added) in [
        (
            "~b: saw 55 # lpf (800 + 200 * sine 0.5) 0.7 # delay 0.25\nout: ~b",
            &["~b/sine#0.phase"][..],
        ),
        (
            "~b: (noise * 0.1 + saw 55) # lpf 800 0.7 # delay 0.25\nout: ~b",
            &["~b/noise#0.seed"][..],
        ),
        (
            "~b: saw 55 # hpf 30 0.7 # lpf 800 0.7 # delay 0.25\nout: ~b",
            &["~b/hpf#0.x1", "~b/hpf#0.x2", "~b/hpf#0.y1", "~b/hpf#0.y2"][..],
        ),
        (
            "~b: mem (saw 55 # lpf 800 0.7 # delay 0.25) + saw 0.1\nout: ~b",
            &["~b/mem#0.z", "~b/saw#1.phase"][..],
        ),
        (
            "~b: saw 55 # lpf 800 0.7 # delay 0.25 # delay 0.5\nout: ~b",
            &["~b/delay#1.buf", "~b/delay#1.pos", "~b/delay#1.time"][..],
        ),
    ] {
        let with = keys(&program(text));
        for (k, v) in &base {
            assert_eq!(with.get(k), Some(v), "{k} in\n{text}");
        }
        let extra: Vec<&str> = with
            .keys()
            .filter(|k| !base.contains_key(*k))
            .map(String::as_str)
            .collect();
        assert_eq!(extra, added, "{text}");
    }
}

/// By design, calls of one builtin are numbered left to right within a definition: a
/// new call of the *same* builtin to the left of an old one takes over its key.
#[test]
fn same_builtin_inserted_to_the_left_takes_the_first_number() {
    assert_eq!(key_list("~b: saw 55\nout: ~b"), ["~b/saw#0.phase"]);
    assert_eq!(
        key_list("~b: saw 0.1 * saw 55\nout: ~b"),
        ["~b/saw#0.phase", "~b/saw#1.phase"]
    );
}

#[test]
fn changing_constants_leaves_keys_unchanged() {
    let a = "~a: sine 440 # lpf 1000 0.8 # delay 0.5\n~f: ~f * 0.5 + ~a init 0.1\n\
             ~bank: sum i 0..4: sine (55 * (i + 1))\nout: ~f + ~bank + mem ~a 0";
    let b = "~a: sine 440.5 # lpf 1200 0.9 # delay 0.6\n~f: ~f * 0.25 + ~a init 0.1\n\
             ~bank: sum i 0..4: sine (56 * (i + 2))\nout: ~f + ~bank + mem ~a 0";
    assert_eq!(keys(&program(a)), keys(&program(b)));
    // A new initial value is the same key with a new init (the live engine keeps the
    // running value).
    let c = a.replace("init 0.1", "init 0.7");
    let (ka, kc) = (keys(&program(a)), keys(&program(&c)));
    assert_eq!(ka.keys().collect::<Vec<_>>(), kc.keys().collect::<Vec<_>>());
    assert_eq!(kc["~f'"], "cell = 0.7");
}

#[test]
fn function_call_sites_get_distinct_keys() {
    assert_eq!(
        key_list(
            "fn voice f: saw f # onepole 0.05\n\
             ~pad: voice 110 + voice 220\n\
             ~lead: 330 # voice\n\
             out: ~pad + ~lead"
        ),
        [
            "~lead/voice#0/onepole#0.y",
            "~lead/voice#0/saw#0.phase",
            "~pad/voice#0/onepole#0.y",
            "~pad/voice#0/saw#0.phase",
            "~pad/voice#1/onepole#0.y",
            "~pad/voice#1/saw#0.phase",
        ]
    );
    // Nested calls nest their paths; calls inside a function body are numbered there.
    assert_eq!(
        key_list(
            "fn voice f: saw f\n\
             fn two f: voice f + voice (f * 2) + saw 1\n\
             out: two 100"
        ),
        [
            "out/two#0/saw#0.phase",
            "out/two#0/voice#0/saw#0.phase",
            "out/two#0/voice#1/saw#0.phase",
        ]
    );
    // A call site inserted before another call of the same function takes its number
    // (as for builtins); one inserted after does not disturb it.
    let before = key_list("fn voice f: saw f\nout: voice 110");
    let after = key_list("fn voice f: saw f\nout: voice 110 + voice 220");
    assert!(before.iter().all(|k| after.contains(k)));
}

#[test]
fn sum_iterations_are_keyed_by_index() {
    let four = key_list("~bank: sum i 0..4: sine (55 * (i + 1))\nout: ~bank");
    assert_eq!(
        four,
        [
            "~bank/sum#0[0]/sine#0.phase",
            "~bank/sum#0[1]/sine#0.phase",
            "~bank/sum#0[2]/sine#0.phase",
            "~bank/sum#0[3]/sine#0.phase",
        ]
    );
    // A longer range keeps every existing key; a shorter one keeps the indices it still has.
    let six = key_list("~bank: sum i 0..6: sine (55 * (i + 1))\nout: ~bank");
    assert!(four.iter().all(|k| six.contains(k)));
    assert_eq!(six.len(), 6);
    let two = key_list("~bank: sum i 2..4: sine (55 * (i + 1))\nout: ~bank");
    assert_eq!(two, four[2..]);
    // Two sums in one definition, nested sums, per-channel expansion inside a sum.
    assert_eq!(
        key_list(
            "~b: sum i 0..2: sum j 0..2: sine (i + j)\n\
             ~c: (sum k 0..1: saw [1, 2]) + (sum k 0..1: tri 3)\n\
             out: ~b + ~c"
        ),
        [
            "~b/sum#0[0]/sum#0[0]/sine#0.phase",
            "~b/sum#0[0]/sum#0[1]/sine#0.phase",
            "~b/sum#0[1]/sum#0[0]/sine#0.phase",
            "~b/sum#0[1]/sum#0[1]/sine#0.phase",
            "~c/sum#0[0]/saw#0.phase",
            "~c/sum#0[0]/saw#0@1.phase",
            "~c/sum#1[0]/tri#0.phase",
        ]
    );
}

/// Found by the fuzzer (`KANON_FUZZ_N=200000 KANON_FUZZ_SEED=4242`): the two `'` of
/// `log(sine 3)''` stand over one span, and were once numbered as one site, so two cells
/// got the key `~m/mem#2.z`. Each site is numbered by its own node now.
#[test]
fn primes_over_one_span_get_distinct_keys() {
    let k = key_list(
        "~bank: sum i 0..16: sine (55 * (i + 1)) * 0.01\n\
         ~m: ~bank' + mem ~bank 0.1 + log(sine 3)''\n\
         out: ~m",
    );
    let mems: Vec<&String> = k.iter().filter(|k| k.starts_with("~m/mem#")).collect();
    assert_eq!(
        mems,
        ["~m/mem#0.z", "~m/mem#1.z", "~m/mem#2.z", "~m/mem#3.z"]
    );
    // Stacked primes of a plain name, too.
    let k = key_list("~a: sine 3 '''\nout: ~a");
    assert_eq!(k.iter().filter(|k| k.contains("/mem#")).count(), 3);
}

/// Every printed key reads back as itself (the key module's round trip).
#[test]
fn every_key_parses_back() {
    let p = program(&DEFS.join("\n"));
    for c in &p.layout.cells {
        assert_eq!(
            kanon_compiler::key::Key::parse(c.key.as_str()).unwrap(),
            c.key
        );
    }
    for b in &p.layout.buffers {
        assert_eq!(
            kanon_compiler::key::Key::parse(b.key.as_str()).unwrap(),
            b.key
        );
    }
}

/// A Karplus-Strong string keeps ringing through a swap: its delay line, loop memory and
/// burst counter carry by key, so an edit elsewhere neither re-plucks nor silences it, and
/// a new pitch glides from the old one instead of starting a new note.
#[test]
fn a_plucked_string_rings_through_a_swap() {
    let a = program("~s: pluck 220 0.2\nout: ~s * 0.5");
    let half = 4800;
    let (whole, state, first) = halfway(&a, half);

    // An edit to the gain only: the string's state moves over whole, so the new program
    // continues exactly the old string at the new gain (×0.5 is exact in f32).
    let b = program("~s: pluck 220 0.2\nout: ~s * 0.25");
    let ka = keys(&a);
    assert!(ka.keys().any(|k| k == "~s/pluck#0.buf"), "{ka:?}");
    assert_eq!(keys(&b), ka);
    let mut moved = migrate(&a, &state, &b);
    let rest = kanon_runtime::render::render_from(&b, &mut moved, half, 64);
    for n in 0..half {
        assert_eq!(
            rest[n].to_bits(),
            (whole[half + n] * 0.5).to_bits(),
            "frame {n}"
        );
    }
    let tail: f32 = rest.iter().map(|x| x.abs()).fold(0.0, f32::max);
    assert!(tail > 0.01, "the string still rings after the swap: {tail}");
    // Not migrated, the same program would pluck again: the carried state is what is heard.
    let fresh = kanon_runtime::render(&b, half, 64);
    assert_ne!(bits(&fresh), bits(&rest));

    // A new pitch: same keys, no new pluck, and the output stays as smooth as before.
    let c = program("~s: pluck 330 0.2\nout: ~s * 0.5");
    let mut moved = migrate(&a, &state, &c);
    let after = kanon_runtime::render::render_from(&c, &mut moved, half, 64);
    let jump = |v: &[f32]| {
        v.windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0, f32::max)
    };
    let before = jump(&first[half / 2..]);
    let mut joined = first[half - 1..].to_vec();
    joined.extend(&after[..half / 2]);
    // A higher pitch is steeper, so allow half as much again; a new pluck's noise burst
    // jumps several times further (checked on the fresh program).
    assert!(
        jump(&joined) <= 1.5 * before,
        "a pitch edit moved the string by {} per sample, its own steepest step was {before}",
        jump(&joined)
    );
    let fresh = kanon_runtime::render(&c, half, 64);
    assert!(
        jump(&fresh[..half / 2]) > 3.0 * before,
        "the criterion tells a pluck apart"
    );
    assert_ne!(bits(&fresh), bits(&after), "a pitch edit does not re-pluck");
}

/// A chorus keeps sweeping through a swap: its LFO's phase and the sine and cosine held a
/// sample ahead carry by key with its line and glides, so an edit elsewhere continues it
/// exactly.
#[test]
fn a_chorus_sweeps_on_through_a_swap() {
    let a = program("~c: chorus_voices (saw 110) 2 0.7 4 0.5\nout: ~c * 0.5");
    let half = 4800;
    let (whole, state, _) = halfway(&a, half);
    let ka = keys(&a);
    for k in ["lfo", "lfo_sin", "lfo_cos", "buf", "tap3_time"] {
        let key = format!("~c/chorus_voices#0.{k}");
        assert!(ka.contains_key(&key), "{key} in {ka:?}");
    }
    let b = program("~c: chorus_voices (saw 110) 2 0.7 4 0.5\nout: ~c * 0.25");
    assert_eq!(keys(&b), ka);
    let mut moved = migrate(&a, &state, &b);
    let rest = kanon_runtime::render::render_from(&b, &mut moved, half, 64);
    for n in 0..half {
        assert_eq!(
            rest[n].to_bits(),
            (whole[half + n] * 0.5).to_bits(),
            "frame {n}"
        );
    }
    // Not migrated, the LFO would start over: the carried state is what is heard.
    let fresh = kanon_runtime::render(&b, half, 64);
    assert_ne!(bits(&fresh), bits(&rest));
}
