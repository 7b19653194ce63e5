//! A producer thread that feeds a ring at real-time pace, as an audio callback would.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rtrb::Producer;

use crate::tap::push_frames;

/// `frames` frames of a Lorenz attractor, 3 channels interleaved: forward Euler with
/// dt = 0.005 per frame (σ 10, ρ 28, β 8/3), outputs x·0.05, y·0.05, z·0.03, after a
/// warm-up that puts it on the attractor.
pub fn lorenz(frames: usize) -> Vec<f32> {
    let mut gen = LorenzGen::new();
    let mut out = vec![0.0; frames * 3];
    gen.fill(&mut out);
    out
}

struct LorenzGen {
    x: f64,
    y: f64,
    z: f64,
}

impl LorenzGen {
    fn new() -> LorenzGen {
        let mut g = LorenzGen {
            x: 0.1,
            y: 0.1,
            z: 0.1,
        };
        for _ in 0..5000 {
            g.step();
        }
        g
    }

    fn step(&mut self) {
        let dt = 0.005;
        let (x, y, z) = (self.x, self.y, self.z);
        self.x = x + 10.0 * (y - x) * dt;
        self.y = y + (x * (28.0 - z) - y) * dt;
        self.z = z + (x * y - 8.0 / 3.0 * z) * dt;
    }

    fn fill(&mut self, out: &mut [f32]) {
        for f in out.chunks_exact_mut(3) {
            self.step();
            f[0] = (self.x * 0.05) as f32;
            f[1] = (self.y * 0.05) as f32;
            f[2] = (self.z * 0.03) as f32;
        }
    }
}

/// A thread pushing generated frames into a ring at `sample_rate` frames per second, in
/// blocks of 256 like an audio callback; stops when dropped.
pub struct Feed {
    stop: Arc<AtomicBool>,
    pushed: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

impl Feed {
    /// Starts feeding `producer` with `generate`, which fills interleaved blocks of
    /// `channels` channels.
    pub fn start(
        mut producer: Producer<f32>,
        channels: usize,
        sample_rate: u32,
        mut generate: impl FnMut(&mut [f32]) + Send + 'static,
    ) -> Feed {
        let stop = Arc::new(AtomicBool::new(false));
        let pushed = Arc::new(AtomicU64::new(0));
        let thread = {
            let (stop, pushed) = (stop.clone(), pushed.clone());
            std::thread::Builder::new()
                .name("test-feed".into())
                .spawn(move || {
                    let block = 256usize;
                    let mut buf = vec![0.0f32; block * channels];
                    let start = Instant::now();
                    let mut made: u64 = 0;
                    while !stop.load(Ordering::Acquire) {
                        let due = (start.elapsed().as_secs_f64() * sample_rate as f64) as u64;
                        while made + block as u64 <= due {
                            generate(&mut buf);
                            let n = push_frames(&mut producer, &buf, channels);
                            pushed.fetch_add(n as u64, Ordering::Relaxed);
                            made += block as u64;
                        }
                        std::thread::sleep(Duration::from_millis(3));
                    }
                })
                .expect("spawn the test feed")
        };
        Feed {
            stop,
            pushed,
            thread: Some(thread),
        }
    }

    /// Feeds the Lorenz attractor of [`lorenz`] (3 channels).
    pub fn lorenz(producer: Producer<f32>, sample_rate: u32) -> Feed {
        let mut gen = LorenzGen::new();
        Feed::start(producer, 3, sample_rate, move |buf| gen.fill(buf))
    }

    /// Feeds one sine per channel, each given as (frequency Hz, phase in radians), at
    /// amplitude 0.8. Two of the same frequency a quarter turn apart draw a circle in xy.
    pub fn sines(producer: Producer<f32>, sample_rate: u32, tones: &[(f64, f64)]) -> Feed {
        let tones = tones.to_vec();
        let channels = tones.len();
        let mut n: u64 = 0;
        Feed::start(producer, channels, sample_rate, move |buf| {
            for frame in buf.chunks_exact_mut(channels) {
                let t = n as f64 / sample_rate as f64;
                for (s, (f, phase)) in frame.iter_mut().zip(&tones) {
                    *s = (0.8 * (std::f64::consts::TAU * f * t + phase).sin()) as f32;
                }
                n += 1;
            }
        })
    }

    /// Frames that made it into the ring so far (the rest found it full).
    pub fn pushed(&self) -> u64 {
        self.pushed.load(Ordering::Relaxed)
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
