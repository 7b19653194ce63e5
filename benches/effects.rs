//! The cost of the effects and instruments fundsp also has, side by side in one process:
//! the Moog ladder (constant and swept), a chorus, 8 plucked strings and a reverb.
//!
//! `cargo bench --bench effects [-- NAME…]`. Each run renders 2 s at 48 kHz in blocks of
//! 512 from a fresh state; kanonc and fundsp alternate run by run and the median of 7
//! runs is reported in ns of the thread's CPU time per frame. Both feed their effect from
//! their own white noise, whose cost is measured alone on the first line and taken off in
//! the "net" columns. The two sides compute related but not identical things (noted per
//! line): fundsp's `chorus` is the dry signal and four taps of one line with noise LFOs,
//! Phonon's (kanonc's `chorus`) one voice with a sine, so a single kanonc chorus and
//! `chorus_voices` (taps of one line, as fundsp's) are shown; fundsp's `pluck` is excited
//! by its input (an impulse here), kanonc's by a burst of noise; each side's reverb is
//! the one its users reach for: Freeverb in kanonc, a 32-line FDN in fundsp.

use fundsp::prelude64::*;
use kanon_compiler::{compile, Block, Options, Program};
use kanon_lang::Source;
use kanon_runtime::denormal::FlushDenormals;
use std::hint::black_box;
use std::time::Duration;

const SR: f64 = 48_000.0;
const SECONDS: usize = 2;
const BLOCK: usize = 512;
const RUNS: usize = 7;

/// One comparison: a name, the kanonc program and the fundsp graph.
struct Case {
    name: &'static str,
    kanonc: &'static str,
    fundsp: fn() -> Box<dyn AudioUnit>,
    /// Output channels, the same on both sides.
    channels: usize,
    note: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "noise",
            kanonc: "out: noise * 0.5",
            fundsp: || Box::new(noise() * 0.5),
            channels: 1,
            note: "the input alone",
        },
        Case {
            name: "moog",
            kanonc: "out: moog_ladder noise 1000 0.7",
            fundsp: || Box::new(noise() >> moog_hz(1000.0, 0.7)),
            channels: 1,
            note: "same formula; coefficients computed once",
        },
        Case {
            name: "moog swept",
            kanonc: "out: moog_ladder noise (1000 + 800 * sine 0.3) 0.7",
            fundsp: || Box::new((noise() | (sine_hz(0.3) * 800.0 + 1000.0) | dc(0.7)) >> moog()),
            channels: 1,
            note: "same formula; coefficients every sample (with an LFO each)",
        },
        Case {
            name: "chorus",
            kanonc: "out: chorus noise 1.5 0.5",
            fundsp: || Box::new(noise() >> chorus(0, 0.015, 0.005, 0.5)),
            channels: 1,
            note: "kanonc 1 voice, fundsp 5",
        },
        Case {
            name: "chorus 4+dry",
            kanonc: "out: chorus_voices noise 0.5 0.5 4 0.8",
            fundsp: || Box::new(noise() >> chorus(0, 0.015, 0.005, 0.5)),
            channels: 1,
            note: "fundsp's mix: dry and 4 taps of one line, 0.2 each",
        },
        Case {
            name: "chorus x5",
            kanonc: "out: chorus_voices noise 0.5 0.5 5",
            fundsp: || Box::new(noise() >> chorus(0, 0.015, 0.005, 0.5)),
            channels: 1,
            note: "kanonc 5 taps of one line and the dry signal; fundsp as above",
        },
        Case {
            name: "8 strings",
            kanonc: "out: sum i 0..8: pluck (110 * (i + 1)) 0.5 * 0.1",
            fundsp: || {
                let string =
                    |i: usize| impulse::<U1>() >> (pluck(110.0 * (i + 1) as f32, 0.5, 0.5) * 0.1);
                let mut net = Net::wrap(Box::new(string(0)));
                for i in 1..8 {
                    net = net + string(i);
                }
                Box::new(net)
            },
            channels: 1,
            note: "Karplus-Strong, plucked once at the start",
        },
        Case {
            name: "reverb",
            kanonc: "out: reverb noise 0.8 0.5 1",
            fundsp: || Box::new(noise() >> split::<U2>() >> reverb_stereo(10.0, 2.0, 0.5)),
            channels: 2,
            note: "each one's stereo reverb: Freeverb, fundsp's 32-line FDN",
        },
    ]
}

fn main() {
    let _ftz = FlushDenormals::new();
    let frames = SECONDS * SR as usize;
    println!(
        "{SECONDS} s at {SR} Hz in blocks of {BLOCK}, median of {RUNS} interleaved runs, thread CPU ns/frame"
    );
    println!(
        "{:<12} {:>8} {:>8} {:>7} {:>8} {:>8} {:>7}  note",
        "effect", "kanonc", "fundsp", "kn/fd", "kn net", "fd net", "net"
    );
    // `cargo bench --bench effects -- NAME…` runs the named effects (and the input).
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let mut input: Option<(f64, f64)> = None;
    for case in cases() {
        if case.name != "noise" && !only.is_empty() && !only.iter().any(|n| case.name == n) {
            continue;
        }
        let src = Source::new(format!("{}.kn", case.name), case.kanonc);
        let program = compile(&src, Options::at(SR))
            .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(&src)).collect::<String>()));
        let (mut kn, mut fd) = (Vec::new(), Vec::new());
        assert_eq!(program.channels(), case.channels, "{}", case.name);
        let mut out = vec![0f32; frames * case.channels];
        for _ in 0..RUNS {
            kn.push(run_kanonc(&program, case.channels, &mut out));
            fd.push(run_fundsp(case.fundsp, case.channels, &mut out));
        }
        let (k, f) = (median(kn, frames), median(fd, frames));
        let (ki, fi) = *input.get_or_insert((k, f));
        let net = if case.name == "noise" {
            format!("{:>8} {:>8} {:>7}", "", "", "")
        } else {
            format!(
                "{:>8.2} {:>8.2} {:>7.2}",
                k - ki,
                f - fi,
                (k - ki) / (f - fi)
            )
        };
        println!(
            "{:<12} {:>8.2} {:>8.2} {:>7.2} {net}  {}",
            case.name,
            k,
            f,
            k / f,
            case.note
        );
    }
}

/// CPU time of this thread: what a run costs, without the time other processes on this
/// shared machine took the core from it.
fn cpu_now() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// One kanonc run from a fresh state.
fn run_kanonc(program: &Program, channels: usize, out: &mut [f32]) -> Duration {
    let mut state = program.initial_state();
    let t = cpu_now();
    for (i, chunk) in out.chunks_mut(BLOCK * channels).enumerate() {
        program.process(Block::new(&mut state, chunk).at((i * BLOCK) as u64));
    }
    let d = cpu_now() - t;
    black_box(out);
    d
}

/// One fundsp run from a fresh graph.
fn run_fundsp(make: fn() -> Box<dyn AudioUnit>, channels: usize, out: &mut [f32]) -> Duration {
    let mut unit = make();
    unit.set_sample_rate(SR);
    unit.reset();
    let mut u = BigBlockAdapter::new(unit);
    // fundsp writes one buffer per channel (kanonc interleaves): the same bytes in all.
    let (left, right) = out.split_at_mut(out.len() / channels);
    let t = cpu_now();
    if channels == 2 {
        for (l, r) in left.chunks_mut(BLOCK).zip(right.chunks_mut(BLOCK)) {
            u.process_big(l.len(), &[], &mut [l, r]);
        }
    } else {
        for chunk in left.chunks_mut(BLOCK) {
            u.process_big(chunk.len(), &[], &mut [chunk]);
        }
    }
    let d = cpu_now() - t;
    black_box(out);
    d
}

/// The median run in ns per frame.
fn median(mut v: Vec<Duration>, frames: usize) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1e9 / frames as f64
}
