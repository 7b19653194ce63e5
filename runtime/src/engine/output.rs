//! From program output to device output: channel mapping and the protective limiter.

/// The device channel that program channel data comes from for device channel `d`.
pub(crate) fn source_channel(d: usize, program_channels: usize) -> Option<usize> {
    match program_channels {
        0 => None,
        1 => Some(0),
        n => (d < n).then_some(d),
    }
}

/// Copies program output (`pc` channels) onto device frames (`dc` channels).
pub(crate) fn map_channels(src: &[f32], pc: usize, dst: &mut [f32], dc: usize) {
    for (f, frame) in dst.chunks_exact_mut(dc).enumerate() {
        for (d, x) in frame.iter_mut().enumerate() {
            *x = source_channel(d, pc).map_or(0.0, |c| src[f * pc + c]);
        }
    }
}

/// The protective limiter's state.
pub(crate) struct Limiter {
    gain: f32,
    release: f32,
}

impl Limiter {
    /// A limiter at unity gain releasing with time constant `release_secs`.
    pub fn new(release_secs: f64, sample_rate: f64) -> Limiter {
        let release = (-1.0 / (release_secs * sample_rate.max(1.0))).exp() as f32;
        Limiter { gain: 1.0, release }
    }

    /// Limits `buf` (`dc` channels per frame) in place; returns the frames it reduced.
    pub fn run(&mut self, buf: &mut [f32], dc: usize) -> u64 {
        let mut limited = 0;
        for frame in buf.chunks_exact_mut(dc) {
            let peak = frame.iter().fold(0f32, |m, x| m.max(x.abs()));
            if peak * self.gain > 1.0 {
                self.gain = 1.0 / peak;
            }
            if self.gain < 1.0 {
                for x in frame.iter_mut() {
                    *x = (*x * self.gain).clamp(-1.0, 1.0);
                }
                limited += 1;
                self.gain = 1.0 - (1.0 - self.gain) * self.release;
                // Back to exactly unity once inaudibly close, so it is transparent again.
                if self.gain > 0.9999 {
                    self.gain = 1.0;
                }
            }
        }
        limited
    }
}
