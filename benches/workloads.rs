//! The nine benchmark workloads: kanonc's JIT next to a hand-written Rust loop, in the
//! same process, interleaved run by run.
//!
//! `cargo bench --bench workloads [NAME…]`. Each run renders 10 s at 48 kHz in blocks
//! of 512 from a fresh state into a preallocated buffer that is then handed to
//! `black_box`; the figure is the median of 7 runs. The Rust loop is timed twice: built
//! for this CPU's features (as Cranelift builds kanonc's code) and for the default x86-64
//! target (where `f64::floor` is a library call); the ratio is against the faster one
//! (LLVM's pairing of the x and y updates into vector ops makes the native build of vdp
//! slower, for example).

mod reference;

use kanon_compiler::{compile, interp::Interp, Block, Options, Program};
use kanon_lang::Source;
use kanon_runtime::denormal::FlushDenormals;
use reference::{Reference, NAMES, SR};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SECONDS: usize = 10;
const BLOCK: usize = 512;
const RUNS: usize = 7;
/// Interpreter runs (it is slow, so fewer, over fewer frames).
const INTERP_RUNS: usize = 3;
/// Roughly how long one interpreter run may take.
const INTERP_BUDGET: Duration = Duration::from_millis(400);

/// Voices per frame, for the per-voice figure of banks.
fn voices(name: &str) -> Option<usize> {
    match name {
        "bank100" => Some(100),
        "bank1000" => Some(1000),
        "voices500" => Some(500),
        _ => None,
    }
}

fn main() {
    // `cargo bench` passes `--bench`; other arguments pick workloads by name.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let pinned = pin_to_current_core();
    let faust = faust_available();
    let _ftz = FlushDenormals::new();
    let frames = SECONDS * SR as usize;
    println!(
        "{SECONDS} s at {SR} Hz in blocks of {BLOCK}, median of {RUNS} interleaved runs, {}",
        pinned.map_or("not pinned".to_string(), |c| format!("pinned to CPU {c}"))
    );
    println!(
        "{:<10} {:>9} {:>9} {:>7} {:>9} {:>9} {:>8} {:>8} {:>10} {:>8} {:>9} {:>7} {:>8} {:>9} {:>7} {:>8} {:>7}",
        "workload",
        "kanonc",
        "rust",
        "ratio",
        "rust",
        "rust",
        "max err",
        "compile",
        "interp",
        "interp",
        "faust",
        "ratio",
        "faust",
        "fundsp",
        "ratio",
        "fundsp",
        "ratio"
    );
    println!(
        "{:<10} {:>9} {:>9} {:>7} {:>9} {:>9} {:>8} {:>8} {:>10} {:>8} {:>9} {:>7} {:>8} {:>9} {:>7} {:>8} {:>7}",
        "",
        "ns/frame",
        "ns/frame",
        "kn/rust",
        "native",
        "x86-64",
        "1st sec",
        "ms",
        "ns/frame",
        "/kanonc",
        "ns/frame",
        "kn/fst",
        "err",
        "ns/frame",
        "kn/fun",
        "err",
        "kn/best"
    );
    let mut per_voice = Vec::new();
    // Per workload: kanonc's ratio to its fastest peer, and the interpreter's to kanonc.
    let mut vs_best: Vec<(&str, f64)> = Vec::new();
    let mut vs_interp: Vec<(&str, f64)> = Vec::new();
    for name in NAMES {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        let src = Source::new(format!("{name}.kn"), reference::source(name));
        let t = Instant::now();
        let program = compile(&src, Options::default())
            .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(&src)).collect::<String>()));
        let compile_ms = t.elapsed().as_secs_f64() * 1e3;
        let err = first_second_error(name, &program);

        let mut out = vec![0f32; frames];
        let init = program.initial_state();
        let mut state = init.clone();
        let (mut kn, mut rs, mut rs_base) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..RUNS {
            state.copy_from_slice(&init);
            let t = Instant::now();
            for (i, chunk) in out.chunks_mut(BLOCK).enumerate() {
                program.process(Block::new(&mut state, chunk).at((i * BLOCK) as u64));
            }
            kn.push(t.elapsed());
            black_box(&mut out);

            let mut r = Reference::new(name);
            let t = Instant::now();
            for chunk in out.chunks_mut(BLOCK) {
                render_native(&mut r, chunk);
            }
            rs.push(t.elapsed());
            black_box(&mut out);
            let native_last = out[frames - 1];

            let mut r = Reference::new(name);
            let t = Instant::now();
            for chunk in out.chunks_mut(BLOCK) {
                r.render(chunk);
            }
            rs_base.push(t.elapsed());
            black_box(&mut out);
            // Target features must not change the arithmetic (Rust never fuses a*b+c).
            assert_eq!(native_last.to_bits(), out[frames - 1].to_bits());
        }
        let ns = |t: &mut Vec<Duration>| {
            t.sort();
            t[RUNS / 2].as_secs_f64() * 1e9 / frames as f64
        };
        let (kn, native, base) = (ns(&mut kn), ns(&mut rs), ns(&mut rs_base));
        let rs = native.min(base);
        let it = interp_ns(&program);
        let fst_run = if faust { run_faust(name) } else { None };
        let fun_run = fundsp_peer::measure(name, frames);
        let cols = |run: Option<(f64, f64)>| {
            run.map_or(format!("{:>9} {:>7} {:>8}", "-", "-", "-"), |(ns, err)| {
                format!("{ns:>9.2} {:>7.2} {err:>8.1e}", kn / ns)
            })
        };
        let best = [Some(rs), fst_run.map(|r| r.0), fun_run.map(|r| r.0)]
            .into_iter()
            .flatten()
            .fold(f64::INFINITY, f64::min);
        vs_best.push((name, kn / best));
        vs_interp.push((name, it / kn));
        println!(
            "{name:<10} {kn:>9.2} {rs:>9.2} {:>7.2} {native:>9.2} {base:>9.2} {err:>8.1e} {compile_ms:>8.2} {it:>10.1} {:>8.1} {} {} {:>7.2}",
            kn / rs,
            it / kn,
            cols(fst_run),
            cols(fun_run),
            kn / best
        );
        if let Some(v) = voices(name) {
            per_voice.push((name, v, kn / v as f64, rs / v as f64));
        }
    }
    if !faust {
        println!("faust: not measured (needs `faust` and `g++` on the PATH)");
    }
    if !vs_best.is_empty() {
        let mut r: Vec<f64> = vs_best.iter().map(|x| x.1).collect();
        r.sort_by(f64::total_cmp);
        let median = if r.len() % 2 == 1 {
            r[r.len() / 2]
        } else {
            (r[r.len() / 2 - 1] + r[r.len() / 2]) / 2.0
        };
        let worst = vs_best
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("one");
        let slowest = vs_interp
            .iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("one");
        println!(
            "kanonc / fastest peer: median {median:.2}, worst {:.2} ({}); interpreter / kanonc: at least {:.1} ({})",
            worst.1, worst.0, slowest.1, slowest.0
        );
    }
    for (name, v, kn, rs) in per_voice {
        println!("{name}: {kn:.3} ns per voice-frame (rust {rs:.3}), {v} voices");
    }
    println!(
        "rust: the faster of the Rust loop built for this CPU (native) and for plain x86-64\n\
         max err: max |kanonc − reference| over the first second (lorenz, vdp: first 1000 frames)\n\
         compile: text to callable code, one cold compile in this process\n\
         interp: kanonc's own tree-walking IR interpreter (bit-exact with kanonc), median of {INTERP_RUNS} runs of up to 10 s\n\
         faust: benches/faust/NAME.dsp, faust -double -lang cpp, g++ -O3 -march=native, median of 7 runs in its own\n\
         process (same core); faust err: max |faust − reference| over the same frames as max err\n\
         fundsp: fundsp 0.23 (prelude64: f64 phases, f32 SIMD sine and f32 sums), where it expresses the workload\n\
         kn/best: kanonc over the fastest of rust, faust and fundsp"
    );
}

/// The tree-walking interpreter's ns per frame: median of a few runs over as many
/// frames (multiples of the block, at least one block) as fit the time budget.
fn interp_ns(program: &Program) -> f64 {
    let init = program.initial_state();
    let run = |frames: usize| {
        let mut it = Interp::new(&program.ir, &program.layout);
        let mut state = init.clone();
        let mut out = vec![0f32; frames * program.channels()];
        let t = Instant::now();
        for (i, chunk) in out.chunks_mut(BLOCK * program.channels()).enumerate() {
            it.process(Block::new(&mut state, chunk).at((i * BLOCK) as u64));
        }
        let e = t.elapsed();
        black_box(&mut out);
        e
    };
    let probe = run(BLOCK).as_secs_f64() / BLOCK as f64;
    let blocks = (INTERP_BUDGET.as_secs_f64() / probe / BLOCK as f64).clamp(1.0, 960.0) as usize;
    let frames = blocks * BLOCK;
    let mut t: Vec<Duration> = (0..INTERP_RUNS).map(|_| run(frames)).collect();
    t.sort();
    t[INTERP_RUNS / 2].as_secs_f64() * 1e9 / frames as f64
}

/// Whether the Faust column can be measured.
fn faust_available() -> bool {
    let ok = |cmd: &str| {
        Command::new(cmd)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    ok("faust") && ok("g++")
}

/// Builds (when its sources are newer than the binary) and runs the Faust version of a
/// workload: its median ns per frame and its largest difference from the reference.
fn run_faust(name: &str) -> Option<(f64, f64)> {
    let src_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/faust");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("faust");
    std::fs::create_dir_all(&dir).ok()?;
    let dsp = src_dir.join(format!("{name}.dsp"));
    let driver = src_dir.join("driver.cpp");
    let exe = dir.join(name);
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let built = modified(&exe);
    let stale = [&dsp, &driver, &src_dir.join("common.lib")]
        .iter()
        .any(|p| modified(p) >= built);
    let run = |cmd: &mut Command| {
        let out = cmd.output().ok()?;
        if !out.status.success() {
            eprintln!("faust {name}: {}", String::from_utf8_lossy(&out.stderr));
            return None;
        }
        Some(out.stdout)
    };
    if stale {
        let cpp = dir.join(format!("{name}.cpp"));
        run(Command::new("faust")
            .args(["-double", "-lang", "cpp", "-a"])
            .arg(&driver)
            .arg(&dsp)
            .arg("-o")
            .arg(&cpp))?;
        run(Command::new("g++")
            .args(["-O3", "-march=native", "-o"])
            .arg(&exe)
            .arg(&cpp))?;
    }
    let raw = dir.join(format!("{name}.raw"));
    let stdout = run(Command::new(&exe).arg(&raw))?;
    let ns: f64 = String::from_utf8_lossy(&stdout).trim().parse().ok()?;
    let bytes = std::fs::read(&raw).ok()?;
    let got: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let want = reference::render(name, 48_000, BLOCK);
    let n = reference::compare_frames(name);
    if got.len() < n {
        eprintln!("faust {name}: only {} frames of output", got.len());
        return None;
    }
    Some((ns, reference::max_abs_diff(&got, &want, n)))
}

/// kanonc's largest difference from the reference over the compared frames.
fn first_second_error(name: &str, program: &Program) -> f64 {
    let got = kanon_runtime::render(program, 48_000, BLOCK);
    let want = reference::render(name, 48_000, BLOCK);
    reference::max_abs_diff(&got, &want, reference::compare_frames(name))
}

/// The reference loop built for this CPU's features, when it has them.
fn render_native(r: &mut Reference, out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "sse4.1,avx,avx2,fma")]
        unsafe fn native(r: &mut Reference, out: &mut [f32]) {
            r.render(out);
        }
        if is_x86_feature_detected!("sse4.1")
            && is_x86_feature_detected!("avx2")
            && is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU has every feature the function is built for.
            unsafe { native(r, out) };
            return;
        }
    }
    r.render(out);
}

/// Pins this thread (the only one) to the CPU it is running on, so runs do not migrate.
fn pin_to_current_core() -> Option<usize> {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on a zeroed, correctly sized CPU set.
    unsafe {
        let cpu = libc::sched_getcpu();
        if cpu < 0 {
            return None;
        }
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu as usize, &mut set);
        if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0 {
            return Some(cpu as usize);
        }
    }
    None
}

/// fundsp where it expresses the workload exactly: the oscillators and banks. (Its sine
/// takes a frequency, not a phase, so `fm` would be a different formula; its saw, filters
/// and delay are not the naive ones the workloads define.)
mod fundsp_peer {
    use super::{black_box, reference, Duration, Instant, BLOCK, RUNS, SR};
    use fundsp::prelude64::*;

    /// The workload as a fundsp graph, if fundsp can express it.
    fn unit(name: &str) -> Option<BigBlockAdapter> {
        // `sine()` starts at a pseudo-random phase; the workloads start at 0.
        let osc = |f: f32| constant(f) >> An(Sine::<f64>::with_phase(0.0));
        let bank = |n: usize| {
            let mut net = Net::wrap(Box::new(osc(55.0) * 0.01));
            for i in 1..n {
                net = net + osc(55.0 * (i + 1) as f32) * 0.01;
            }
            net
        };
        let mut net = match name {
            "sine440" => Net::wrap(Box::new(osc(440.0) * 0.5)),
            "bank100" => bank(100),
            "bank1000" => bank(1000),
            _ => return None,
        };
        net.set_sample_rate(SR);
        net.reset();
        Some(BigBlockAdapter::new(Box::new(net)))
    }

    /// Median ns per frame over `frames` frames in blocks of 512, and the largest
    /// difference from the reference over the compared frames.
    pub fn measure(name: &str, frames: usize) -> Option<(f64, f64)> {
        unit(name)?;
        let mut out = vec![0f32; frames];
        let mut times: Vec<Duration> = Vec::new();
        let mut err = 0.0;
        for run in 0..RUNS {
            let mut u = unit(name)?;
            let t = Instant::now();
            for chunk in out.chunks_mut(BLOCK) {
                let n = chunk.len();
                u.process_big(n, &[], &mut [chunk]);
            }
            times.push(t.elapsed());
            black_box(&mut out);
            if run == 0 {
                let want = reference::render(name, 48_000, BLOCK);
                err = reference::max_abs_diff(&out, &want, reference::compare_frames(name));
            }
        }
        times.sort();
        Some((times[RUNS / 2].as_secs_f64() * 1e9 / frames as f64, err))
    }
}
