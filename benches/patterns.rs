//! What patterns cost: four 16-step patterns driving oscillators against the same
//! program with constants (the bound: within 1.3×), and what a 64-step pattern
//! adds to a compile (bound: under 1 ms). `cargo bench --bench patterns`.

use kanon_compiler::{Block, Compiler, Options, Program};
use kanon_lang::Source;
use std::hint::black_box;
use std::time::Duration;

const SR: usize = 48_000;
const BLOCK: usize = 512;
const RUNS: usize = 9;

fn compile(c: &mut Compiler, text: &str) -> (Program, Duration) {
    let src = Source::new("bench.kn", text);
    let t = process_cpu();
    let p = c.compile(&src, Options::default()).expect("compiles");
    (p, process_cpu() - t)
}

/// CPU time of this thread: the machine may be shared, and wall time counts the time
/// other processes ran.
fn thread_cpu() -> Duration {
    cpu(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// CPU time of the whole process (a compile parses on a thread of its own).
fn process_cpu() -> Duration {
    cpu(libc::CLOCK_PROCESS_CPUTIME_ID)
}

fn cpu(clock: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a valid out-pointer.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// One run of 10 s of audio: ns per frame of CPU time.
fn run(p: &Program, out: &mut [f32], state: &mut [f64], init: &[f64]) -> f64 {
    state.copy_from_slice(init);
    let t = thread_cpu();
    for (i, chunk) in out.chunks_mut(BLOCK * p.channels()).enumerate() {
        p.process(Block::new(state, chunk).at((i * BLOCK) as u64));
    }
    let d = thread_cpu() - t;
    black_box(out);
    d.as_secs_f64() * 1e9 / (10 * SR) as f64
}

/// Median and minimum ns per frame of each program, their runs interleaved so that a
/// busy moment of the machine falls on both alike.
fn speeds(a: &Program, b: &Program) -> [(f64, f64); 2] {
    let frames = 10 * SR;
    let mut times = [Vec::new(), Vec::new()];
    let progs = [a, b];
    let mut outs: Vec<Vec<f32>> = progs
        .iter()
        .map(|p| vec![0f32; frames * p.channels()])
        .collect();
    let inits: Vec<Vec<f64>> = progs.iter().map(|p| p.initial_state()).collect();
    let mut states = inits.clone();
    for _ in 0..RUNS {
        for k in 0..2 {
            times[k].push(run(progs[k], &mut outs[k], &mut states[k], &inits[k]));
        }
    }
    times.map(|mut t| {
        t.sort_by(f64::total_cmp);
        (t[RUNS / 2], t[0])
    })
}

fn main() {
    let pats = [
        "\"110 220 330 440 110 220 330 440 165 220 330 440 110 275 330 440\"",
        "\"55 ~ 82 55 73 55 ~ 98 55 65 ~ 55 82 ~ 110 55\"",
        "\"0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.8 0.7 0.6 0.5 0.4 0.3 0.2 0.1\"",
        "\"<400 800> 1200 600 900 400 1500 700 1000 500 1100 650 950 450 1300 750 850\"",
    ];
    let with = format!(
        "tempo: 0.5\nout: (sine {} + saw {} * {}) # lpf {} 0.7\n",
        pats[0], pats[1], pats[2], pats[3]
    );
    let without = "tempo: 0.5\nout: (sine 220 + saw 55 * 0.5) # lpf 900 0.7\n".to_string();
    let mut c = Compiler::new();
    let (pw, _) = compile(&mut c, &with);
    let (pc, _) = compile(&mut c, &without);
    let [(med_p, min_p), (med_c, min_c)] = speeds(&pw, &pc);
    println!(
        "10 s at 48000 Hz in blocks of {BLOCK}, median (min) of {RUNS} interleaved runs, \
         CPU time"
    );
    println!("four 16-step patterns : {med_p:6.2} ({min_p:6.2}) ns/frame");
    println!("the same with constants: {med_c:6.2} ({min_c:6.2}) ns/frame");
    println!(
        "ratio: {:.2} median, {:.2} min (bound 1.3)",
        med_p / med_c,
        min_p / min_c
    );

    // Compile time: a 64-step pattern against a constant, warm compiler, median of 15, CPU
    // time of the process.
    let steps: Vec<String> = (0..64).map(|i| format!("{}", 110 + 5 * i)).collect();
    let p64 = format!("tempo: 0.5\nout: sine \"{}\" * 0.2\n", steps.join(" "));
    let p0 = "tempo: 0.5\nout: sine 110 * 0.2\n";
    let median = |c: &mut Compiler, text: &str| {
        let mut t: Vec<Duration> = (0..15).map(|_| compile(c, text).1).collect();
        t.sort();
        t[7]
    };
    let t64 = median(&mut c, &p64);
    let t0 = median(&mut c, p0);
    println!(
        "compile: 64-step pattern {:.3} ms, constant {:.3} ms: the pattern adds {:.3} ms (bound 1 ms)",
        t64.as_secs_f64() * 1e3,
        t0.as_secs_f64() * 1e3,
        (t64.as_secs_f64() - t0.as_secs_f64()) * 1e3
    );
}
