//! What the scope server costs: CPU of its threads while a producer feeds a 48 kHz,
//! 3-channel stream in real time with one websocket client reading, and how fast the
//! drain empties a ring when pushed flat out.
//!
//! `cargo bench -p kanon-scope --bench feed [-- SECONDS]` (default 10 s of real time).
//! Linux only: thread CPU times come from /proc/self/task.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use kanon_scope::testing::Feed;
use kanon_scope::{push_frames, ring, ScopeServer};

/// CPU seconds used so far by each thread whose name starts with `prefix`.
fn thread_cpu(prefix: &str) -> Vec<(String, f64)> {
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let mut out = Vec::new();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return out;
    };
    for task in tasks.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        let comm = comm.trim().to_string();
        if !comm.starts_with(prefix) {
            continue;
        }
        let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
        // Fields after the parenthesised name: utime and stime are the 12th and 13th.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f.len() > 12 {
            let t = f[11].parse::<f64>().unwrap_or(0.0) + f[12].parse::<f64>().unwrap_or(0.0);
            out.push((comm, t / ticks));
        }
    }
    out
}

fn total(prefix: &str) -> f64 {
    thread_cpu(prefix).iter().map(|(_, t)| t).sum()
}

fn real_time(seconds: f64) {
    let (producer, consumer) = ring(3, 48_000);
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let server = ScopeServer::start(addr, 3, 48_000, consumer).unwrap();
    let feed = Feed::lorenz(producer, 48_000);
    let (mut ws, _) = tungstenite::connect(format!("ws://{}/ws", server.local_addr())).unwrap();
    let reader = std::thread::Builder::new()
        .name("bench-client".into())
        .spawn(move || {
            let mut bytes = 0usize;
            let deadline = Instant::now() + Duration::from_secs_f64(seconds);
            while Instant::now() < deadline {
                if let Ok(tungstenite::Message::Binary(b)) = ws.read() {
                    bytes += b.len();
                }
            }
            bytes
        })
        .unwrap();
    let (feed0, conn0) = (total("scope-feed"), total("scope-conn"));
    let start = Instant::now();
    let bytes = reader.join().unwrap();
    let wall = start.elapsed().as_secs_f64();
    let (feed1, conn1) = (total("scope-feed"), total("scope-conn"));
    let stats = server.stats();
    println!("real time, 48 kHz × 3 channels, one websocket client, {wall:.1} s:");
    println!(
        "  drain thread  {:5.2} % of one core",
        100.0 * (feed1 - feed0) / wall
    );
    println!(
        "  client thread {:5.2} % of one core",
        (100.0 * (conn1 - conn0) / wall).max(0.0)
    );
    println!(
        "  sent {:.0} KB/s, {} messages, {} dropped, {} frames pushed",
        bytes as f64 / wall / 1024.0,
        stats.messages,
        stats.dropped_messages,
        feed.pushed()
    );
}

fn flat_out(frames: u64) {
    let (mut producer, consumer) = ring(3, 48_000);
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let server = ScopeServer::start(addr, 3, 48_000, consumer).unwrap();
    let block: Vec<f32> = (0..256 * 3).map(|i| (i as f32 * 0.01).sin()).collect();
    let start = Instant::now();
    let cpu0 = total("scope-feed");
    let mut pushed = 0u64;
    while pushed < frames {
        let n = push_frames(&mut producer, &block, 3) as u64;
        pushed += n;
        if n == 0 {
            std::thread::yield_now();
        }
    }
    while server.stats().frames_drained < frames {
        std::thread::sleep(Duration::from_millis(1));
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = total("scope-feed") - cpu0;
    let audio_s = frames as f64 / 48_000.0;
    println!("flat out, no client: {audio_s:.0} s of audio drained in {wall:.2} s wall");
    println!(
        "  drain thread CPU {:.1} ms per second of audio ({:.0}× real time)",
        1e3 * cpu / audio_s,
        audio_s / wall
    );
}

fn main() {
    // `cargo bench` passes `--bench`; the first number is the duration.
    let seconds = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<f64>().ok())
        .unwrap_or(10.0);
    real_time(seconds);
    flat_out(48_000 * 120);
}
