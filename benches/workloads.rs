//! The nine benchmark workloads: kanonc's JIT next to its peers, each written as its
//! users write it, with each one's speed and its error against the f64 reference.
//!
//! `cargo bench --bench workloads [NAME…]`. Each run renders 10 s at 48 kHz in blocks
//! of 512 from a fresh state into a preallocated buffer that is then handed to
//! `black_box`; the figure is the median of 7 runs. kanonc and the Rust loops (the f64
//! reference and its f32 transcription) alternate run by run in this process. Each Rust
//! loop is timed twice: built for this CPU's features (as Cranelift builds kanonc's code)
//! and for the default x86-64 target (where `floor` is a library call); its figure is the
//! faster one (LLVM's pairing of the x and y updates into vector ops makes the native
//! build of vdp slower, for example). Faust (double and single precision) runs as a child
//! process on the same core, fundsp (f64 and f32 preludes) in this process.

mod reference;
mod reference32;

use kanon_compiler::{compile, interp::Interp, Block, Options, Program};
use kanon_lang::Source;
use kanon_runtime::denormal::FlushDenormals;
use reference::{Reference, NAMES, SR};
use reference32::Reference32;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Seconds rendered per run: 10, fewer for the two heaviest workloads so the whole bench
/// (their f64 Rust loop and peers take microseconds per frame) stays within minutes.
fn seconds(name: &str) -> usize {
    match name {
        "bank1000" => 2,
        "voices500" => 5,
        _ => 10,
    }
}
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

/// A peer's median ns per frame and its output's first frames (at least the compared
/// ones), for its error.
struct Measured {
    ns: f64,
    out: Vec<f32>,
}

/// The peers other than kanonc, in column order, each with whether it is one of the
/// accurate ones (f64 state; the second summary line compares with these alone).
const PEERS: [(&str, bool); 6] = [
    ("rust", true),
    ("rust32", false),
    ("faust", true),
    ("faust32", false),
    ("fundsp", true),
    ("fundsp32", false),
];

/// How many frames a peer's output runs ahead of the workload's: Faust's library
/// oscillators (`os.osc`, `os.lf_sawpos`, `os.lf_saw`) and fundsp's wavetable saw output
/// the phase after this sample's advance, so their frame n is the workload's n + 1.
fn lead(peer: &str, name: &str) -> usize {
    match (peer, name) {
        ("faust32", "lorenz" | "vdp") => 0,
        ("faust32", _) => 1,
        ("fundsp32", "sawlpf" | "voices500") => 1,
        _ => 0,
    }
}

/// Largest |got[n] − want[n + lead]| over the compared frames.
fn error(name: &str, got: &[f32], want: &[f32], lead: usize) -> f64 {
    let n = reference::compare_frames(name);
    reference::max_abs_diff(got, &want[lead..], n)
}

/// One workload's figures, for the tables printed after the speed table.
struct Row {
    name: &'static str,
    /// kanonc's error.
    kn_err: f64,
    /// Each peer's, in `PEERS` order: as it is, and against the reference `lead` frames
    /// later when the peer leads.
    errs: Vec<Option<(f64, Option<f64>)>>,
    /// The Rust loops' medians: f64 native, f64 x86-64, f32 native, f32 x86-64.
    builds: [f64; 4],
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
    println!(
        "10 s (bank1000 2 s, voices500 5 s) at {SR} Hz in blocks of {BLOCK}, median of {RUNS} interleaved runs, {}",
        pinned.map_or("not pinned".to_string(), |c| format!("pinned to CPU {c}"))
    );
    println!();
    println!("speed, ns/frame");
    print!("{:<10} {:>9}", "workload", "kanonc");
    for (peer, _) in PEERS {
        print!(" {peer:>9}");
    }
    println!(
        " {:>9} {:>8} {:>7} {:<8} {:>7} {:<8}",
        "interp", "compile", "kn/best", "(peer)", "kn/acc", "(peer)"
    );
    let mut rows = Vec::new();
    let mut per_voice = Vec::new();
    // Per workload: kanonc's ratio to its fastest peer of any accuracy and to its fastest
    // accurate peer (with the peer's name), and the interpreter's to kanonc.
    let mut vs_best: Vec<(&str, f64, &str)> = Vec::new();
    let mut vs_acc: Vec<(&str, f64, &str)> = Vec::new();
    let mut vs_interp: Vec<(&str, f64)> = Vec::new();
    for name in NAMES {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        let frames = seconds(name) * SR as usize;
        let src = Source::new(format!("{name}.kn"), reference::source(name));
        let t = Instant::now();
        let program = compile(&src, Options::default())
            .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(&src)).collect::<String>()));
        let compile_ms = t.elapsed().as_secs_f64() * 1e3;
        // One frame more than compared, for the peers that lead by one.
        let want = reference::render(name, 48_001, BLOCK);
        let kn_err = error(
            name,
            &kanon_runtime::render(&program, 48_000, BLOCK),
            &want,
            0,
        );

        let mut out = vec![0f32; frames];
        let init = program.initial_state();
        let mut state = init.clone();
        let mut kn = Vec::new();
        // Per Rust loop (f64 native, f64 x86-64, f32 native, f32 x86-64): its times.
        let mut rs: [Vec<Duration>; 4] = Default::default();
        let mut rs32_out = Vec::new();
        for run in 0..RUNS {
            state.copy_from_slice(&init);
            let t = Instant::now();
            for (i, chunk) in out.chunks_mut(BLOCK).enumerate() {
                program.process(Block::new(&mut state, chunk).at((i * BLOCK) as u64));
            }
            kn.push(t.elapsed());
            black_box(&mut out);

            rs[0].push(time_loop(Reference::new(name), &mut out, true));
            let native_last = out[frames - 1];
            rs[1].push(time_loop(Reference::new(name), &mut out, false));
            // Target features must not change the arithmetic (Rust never fuses a*b+c).
            assert_eq!(native_last.to_bits(), out[frames - 1].to_bits());

            rs[2].push(time_loop(Reference32::new(name), &mut out, true));
            let native_last = out[frames - 1];
            rs[3].push(time_loop(Reference32::new(name), &mut out, false));
            assert_eq!(native_last.to_bits(), out[frames - 1].to_bits());
            if run == 0 {
                rs32_out = out[..48_000].to_vec();
            }
        }
        let kn = median_ns(&mut kn, frames);
        let builds = rs.map(|mut t| median_ns(&mut t, frames));
        let it = interp_ns(&program);
        let measured: Vec<Option<Measured>> = vec![
            Some(Measured {
                ns: builds[0].min(builds[1]),
                out: want.clone(),
            }),
            Some(Measured {
                ns: builds[2].min(builds[3]),
                out: rs32_out,
            }),
            faust.then(|| run_faust(name, Faust::Double)).flatten(),
            faust.then(|| run_faust(name, Faust::Float)).flatten(),
            fundsp_peer::measure(name, frames, fundsp_peer::unit64),
            fundsp_peer::measure(name, frames, fundsp_peer::unit32),
        ];
        let fastest = |accurate_only: bool| {
            PEERS
                .iter()
                .zip(&measured)
                .filter(|((_, acc), _)| *acc || !accurate_only)
                .filter_map(|((peer, _), m)| m.as_ref().map(|m| (m.ns, *peer)))
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .expect("the Rust loops are always measured")
        };
        let (best, best_peer) = fastest(false);
        let (acc, acc_peer) = fastest(true);
        vs_best.push((name, kn / best, best_peer));
        vs_acc.push((name, kn / acc, acc_peer));
        vs_interp.push((name, it / kn));
        print!("{name:<10} {kn:>9.2}");
        for m in &measured {
            match m {
                Some(m) => print!(" {:>9.2}", m.ns),
                None => print!(" {:>9}", "-"),
            }
        }
        println!(
            " {it:>9.1} {compile_ms:>8.2} {:>7.2} {best_peer:<8} {:>7.2} {acc_peer:<8}",
            kn / best,
            kn / acc
        );
        let errs = PEERS
            .iter()
            .zip(&measured)
            .map(|((peer, _), m)| {
                let m = m.as_ref()?;
                let lead = lead(peer, name);
                let aligned = (lead > 0).then(|| error(name, &m.out, &want, lead));
                Some((error(name, &m.out, &want, 0), aligned))
            })
            .collect();
        rows.push(Row {
            name,
            kn_err,
            errs,
            builds,
        });
        if let Some(v) = voices(name) {
            per_voice.push((name, v, kn / v as f64, best / v as f64, best_peer));
        }
    }
    if !faust {
        println!("faust: not measured (needs `faust` and `g++` on the PATH)");
    }
    print_accuracy(&rows);
    println!();
    println!("the Rust loops' two builds, ns/frame");
    println!(
        "{:<10} {:>9} {:>9} {:>9} {:>9}",
        "workload", "rust", "rust", "rust32", "rust32"
    );
    println!(
        "{:<10} {:>9} {:>9} {:>9} {:>9}",
        "", "native", "x86-64", "native", "x86-64"
    );
    for r in &rows {
        let [a, b, c, d] = r.builds;
        println!("{:<10} {a:>9.2} {b:>9.2} {c:>9.2} {d:>9.2}", r.name);
    }
    println!();
    if !vs_best.is_empty() {
        let slowest = vs_interp
            .iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("one");
        println!(
            "kanonc / fastest peer of any accuracy: {}",
            summary(&vs_best)
        );
        println!(
            "kanonc / fastest accurate peer (rust, faust, fundsp): {}",
            summary(&vs_acc)
        );
        println!(
            "interpreter / kanonc: at least {:.1} ({})",
            slowest.1, slowest.0
        );
    }
    for (name, v, kn, best, peer) in per_voice {
        println!("{name}: {kn:.3} ns per voice-frame ({peer} {best:.3}), {v} voices");
    }
    println!(
        "rust: reference.rs, the f64 loop; rust32: reference32.rs, the same loop in f32 (f32::sin);\n\
         each the faster of its build for this CPU (native) and for plain x86-64\n\
         interp: kanonc's own tree-walking IR interpreter (bit-exact with kanonc), median of {INTERP_RUNS} runs of up to 10 s\n\
         compile: kanonc, text to callable code, one cold compile in this process\n\
         faust: benches/faust/NAME.dsp, faust -double; faust32: benches/faust/float/NAME.dsp (os.osc etc.),\n\
         single precision; both -lang cpp, g++ -O3 -march=native, median of 7 runs in its own process (same core)\n\
         fundsp: fundsp 0.23 prelude64 (f64 phases, f32 SIMD sine and f32 sums); fundsp32: prelude32 (f32 throughout),\n\
         each where it expresses the workload\n\
         kn/best: kanonc over the fastest peer of any accuracy; kn/acc: over the fastest of rust, faust and fundsp\n\
         err: max |peer − reference| over the first second (lorenz, vdp: first 1000 frames); +1: against the\n\
         reference one frame later, for a peer whose oscillators output the phase after the advance"
    );
}

/// "median M, worst W (workload, peer)" of kanonc's ratios.
fn summary(ratios: &[(&str, f64, &str)]) -> String {
    let mut r: Vec<f64> = ratios.iter().map(|x| x.1).collect();
    r.sort_by(f64::total_cmp);
    let median = if r.len() % 2 == 1 {
        r[r.len() / 2]
    } else {
        (r[r.len() / 2 - 1] + r[r.len() / 2]) / 2.0
    };
    let worst = ratios
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("one");
    format!(
        "median {median:.2}, worst {:.2} ({}, against {})",
        worst.1, worst.0, worst.2
    )
}

/// The accuracy table: each one's largest difference from the f64 reference.
fn print_accuracy(rows: &[Row]) {
    println!();
    println!("accuracy, max |peer − reference|");
    print!("{:<10} {:>10}", "workload", "kanonc");
    // The f64 Rust loop is the reference itself.
    for (peer, _) in &PEERS[1..] {
        print!(" {peer:>10}");
        if matches!(*peer, "faust32" | "fundsp32") {
            print!(" {:>10}", format!("{peer}+1"));
        }
    }
    println!();
    for r in rows {
        print!("{:<10} {:>10.1e}", r.name, r.kn_err);
        for ((peer, _), e) in PEERS[1..].iter().zip(&r.errs[1..]) {
            match e {
                Some((raw, _)) => print!(" {raw:>10.1e}"),
                None => print!(" {:>10}", "-"),
            }
            if matches!(*peer, "faust32" | "fundsp32") {
                match e {
                    Some((_, Some(aligned))) => print!(" {aligned:>10.1e}"),
                    _ => print!(" {:>10}", "-"),
                }
            }
        }
        println!();
    }
}

/// Median of run times, in ns per frame.
fn median_ns(t: &mut [Duration], frames: usize) -> f64 {
    t.sort();
    t[t.len() / 2].as_secs_f64() * 1e9 / frames as f64
}

/// A Rust loop that renders blocks, f64 or f32.
trait Render {
    fn render(&mut self, out: &mut [f32]);
}

impl Render for Reference {
    #[inline(always)]
    fn render(&mut self, out: &mut [f32]) {
        Reference::render(self, out);
    }
}

impl Render for Reference32 {
    #[inline(always)]
    fn render(&mut self, out: &mut [f32]) {
        Reference32::render(self, out);
    }
}

/// Times one run of a Rust loop over `out` in blocks, built for this CPU's features when
/// `native` (and the CPU has them), else for plain x86-64.
fn time_loop<R: Render>(mut r: R, out: &mut [f32], native: bool) -> Duration {
    let t = Instant::now();
    for chunk in out.chunks_mut(BLOCK) {
        if native {
            render_native(&mut r, chunk);
        } else {
            r.render(chunk);
        }
    }
    let e = t.elapsed();
    black_box(out);
    e
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
    median_ns(&mut t, frames)
}

/// Whether the Faust columns can be measured.
fn faust_available() -> bool {
    let ok = |cmd: &str| {
        Command::new(cmd)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    ok("faust") && ok("g++")
}

/// Which Faust peer: the accurate one (`-double`, the canonical phasor and `sin` from
/// `common.lib`) or the one in Faust's default single precision with its library
/// oscillators (`float/`).
#[derive(Clone, Copy)]
enum Faust {
    Double,
    Float,
}

impl Faust {
    /// Where its `.dsp` files are, under `benches/faust`, and its binaries, under
    /// `target/faust`.
    fn subdir(self) -> &'static str {
        match self {
            Faust::Double => "",
            Faust::Float => "float",
        }
    }
}

/// Builds (when its sources are newer than the binary) and runs the Faust version of a
/// workload: its median ns per frame and the first second of its output.
fn run_faust(name: &str, prec: Faust) -> Option<Measured> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/faust");
    let src_dir = root.join(prec.subdir());
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("faust").join(prec.subdir());
    std::fs::create_dir_all(&dir).ok()?;
    let dsp = src_dir.join(format!("{name}.dsp"));
    // Both precisions use the one driver: its output buffers are `float` either way.
    let driver = root.join("driver.cpp");
    let exe = dir.join(name);
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let built = modified(&exe);
    let stale = [&dsp, &driver, &root.join("common.lib")]
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
        let mut faust = Command::new("faust");
        if let Faust::Double = prec {
            faust.arg("-double");
        }
        run(faust
            .args(["-lang", "cpp", "-a"])
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
    let stdout = run(Command::new(&exe).arg(&raw).arg(seconds(name).to_string()))?;
    let ns: f64 = String::from_utf8_lossy(&stdout).trim().parse().ok()?;
    let bytes = std::fs::read(&raw).ok()?;
    let out: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    if out.len() < reference::compare_frames(name) {
        eprintln!("faust {name}: only {} frames of output", out.len());
        return None;
    }
    Some(Measured { ns, out })
}

/// A Rust loop built for this CPU's features, when it has them.
fn render_native<R: Render>(r: &mut R, out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "sse4.1,avx,avx2,fma")]
        unsafe fn native<R: Render>(r: &mut R, out: &mut [f32]) {
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

/// fundsp 0.23 in its two preludes, each as its users write the workloads.
mod fundsp_peer {
    use super::{black_box, Duration, Instant, Measured, BLOCK, RUNS, SR};
    use fundsp::audiounit::{AudioUnit, BigBlockAdapter};
    use fundsp::net::Net;

    /// prelude64 where it expresses the workload exactly: the oscillators and banks, a
    /// `Net` sum of phase-0 sines. (Its sine takes a frequency, not a phase, so `fm`
    /// would be a different formula; its saw, filters and delay are not the naive ones
    /// the workloads define.)
    pub fn unit64(name: &str) -> Option<Net> {
        use fundsp::prelude64::*;
        // `sine()` starts at a pseudo-random phase; the workloads start at 0.
        let osc = |f: f32| constant(f) >> An(Sine::<f64>::with_phase(0.0));
        let bank = |n: usize| {
            let mut net = Net::wrap(Box::new(osc(55.0) * 0.01));
            for i in 1..n {
                net = net + osc(55.0 * (i + 1) as f32) * 0.01;
            }
            net
        };
        Some(match name {
            "sine440" => Net::wrap(Box::new(osc(440.0) * 0.5)),
            "bank100" => bank(100),
            "bank1000" => bank(1000),
            _ => return None,
        })
    }

    /// prelude32 (f32 phases and state) as a fundsp user writes each workload: fundsp's
    /// own oscillators and filters, which are not all the workloads' formulas.
    pub fn unit32(name: &str) -> Option<Net> {
        use fundsp::prelude32::*;
        // `.phase(0.0)`: the workloads start at phase 0, fundsp at a pseudo-random one. Its
        // saw is 0 at its phase 0 (the jump at 0.5), so the workloads' (−1 at 0) is 0.5.
        let osc = |f: f32| sine_hz(f).phase(0.0);
        let unit: Box<dyn AudioUnit> = match name {
            "sine440" => Box::new(osc(440.0) * 0.5),
            "bank100" => Box::new(busi::<U100, _, _>(|i| osc(55.0 * (i + 1) as f32) * 0.01)),
            "bank1000" => Box::new(busi::<typenum::U1000, _, _>(|i| {
                osc(55.0 * (i + 1) as f32) * 0.01
            })),
            "fm" => Box::new(
                (ramp_hz(110.0).phase(0.0) | ramp_hz(110.0 * 1.618).phase(0.0))
                    >> map(|p: &Frame<f32, U2>| {
                        0.5 * sin(f32::TAU * p[0] + 2.5 * sin(f32::TAU * p[1]))
                    }),
            ),
            // The state-variable low-pass: the same bilinear (prewarped) transfer function
            // as the workload's RBJ biquad, in another structure; a bandlimited saw.
            "sawlpf" => Box::new(
                (saw_hz(110.0).phase(0.5) | lfo(|t: f32| 1500.0 + 1000.0 * sin_hz(0.25, t)))
                    >> (lowpass_q(0.8) * 0.5),
            ),
            // `feedback2` delays its loop by one sample, so the delay adds the other 4799.
            "fbdelay" => Box::new(
                (sine_hz(220.0).phase(0.0) * 0.3)
                    >> feedback2(pass(), delay(4799.0 / SR as f32) * 0.5),
            ),
            // lowpole_hz's coefficient is exp(−2π·f/sr): 0.95 = 1 − 0.05 at this f.
            "voices500" => {
                let f = -0.95f32.ln() * SR as f32 / f32::TAU;
                Box::new(
                    busi::<typenum::U500, _, _>(move |i| {
                        saw_hz(55.0 + 1.1 * i as f32).phase(0.5) >> lowpole_hz(f)
                    }) * 0.002,
                )
            }
            _ => return None,
        };
        Some(Net::wrap(unit))
    }

    /// Median ns per frame over `frames` frames in blocks of 512, and the first second
    /// of the output.
    pub fn measure(name: &str, frames: usize, unit: fn(&str) -> Option<Net>) -> Option<Measured> {
        let fresh = || {
            let mut net = unit(name)?;
            net.set_sample_rate(SR);
            net.reset();
            Some(BigBlockAdapter::new(Box::new(net)))
        };
        fresh()?;
        let mut out = vec![0f32; frames];
        let mut times: Vec<Duration> = Vec::new();
        let mut first = Vec::new();
        for run in 0..RUNS {
            let mut u = fresh()?;
            let t = Instant::now();
            for chunk in out.chunks_mut(BLOCK) {
                let n = chunk.len();
                u.process_big(n, &[], &mut [chunk]);
            }
            times.push(t.elapsed());
            black_box(&mut out);
            if run == 0 {
                first = out[..48_000].to_vec();
            }
        }
        Some(Measured {
            ns: super::median_ns(&mut times, frames),
            out: first,
        })
    }
}
