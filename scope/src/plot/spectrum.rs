//! Spectrum: the Welch-averaged magnitude of each channel in dBFS over log frequency.

use plotters::prelude::*;

use super::fft::{power_db, Analyzer};
use super::style::{self, channel_color};
use super::{draw_err, Area, Audio, Mapping, PlotError};

/// The FFT size for signals at least this long: 0.17 s at 48 kHz, 5.9 Hz bins.
pub(crate) const FFT_LEN: usize = 8192;
/// The bottom of the level axis.
pub(crate) const BOTTOM_DB: f64 = -120.0;

/// The FFT size used for `frames` frames: [`FFT_LEN`], or the next power of two (at
/// least 64) for shorter signals, which are zero-padded.
pub(crate) fn fft_len(frames: usize, longest: usize) -> usize {
    if frames >= longest {
        longest
    } else {
        frames.next_power_of_two().max(64)
    }
}

/// The lowest frequency drawn: 20 Hz, unless the bins are coarser or Nyquist is low.
pub(crate) fn lowest_freq(rate: u32, n: usize) -> f64 {
    let nyquist = rate as f64 / 2.0;
    (rate as f64 / n as f64).max(20f64.min(nyquist / 10.0))
}

/// The Welch average of channel `c`'s power, one value per bin, in dB.
pub(crate) fn welch_db(audio: &Audio, c: usize, n: usize) -> Vec<f64> {
    let mut an = Analyzer::new(n);
    let frames = audio.frames();
    let mut acc = vec![0.0; an.bins()];
    let hop = n / 2;
    let mut count = 0usize;
    let mut start = 0usize;
    loop {
        an.add_power(|i| audio.get(i, c), frames, start as isize, &mut acc);
        count += 1;
        start += hop;
        if start + n > frames {
            break;
        }
    }
    acc.iter().map(|p| power_db(p / count as f64)).collect()
}

/// Formats a frequency tick: 20, 500, 1k, 2.5k, 20k.
pub(crate) fn freq_label(f: f64) -> String {
    if f >= 1000.0 {
        let k = f / 1000.0;
        if (k - k.round()).abs() < 1e-9 {
            format!("{}k", k.round())
        } else {
            format!("{k:.1}k")
        }
    } else {
        format!("{}", f.round())
    }
}

/// Draws the spectrum; returns the mapping (frequency Hz, level dB).
pub(crate) fn draw(area: &Area, audio: &Audio) -> Result<Mapping, PlotError> {
    let n = fft_len(audio.frames(), FFT_LEN);
    let nyquist = audio.rate as f64 / 2.0;
    let f_lo = lowest_freq(audio.rate, n);
    let bin_hz = audio.rate as f64 / n as f64;
    let spectra: Vec<Vec<f64>> = (0..audio.channels).map(|c| welch_db(audio, c, n)).collect();
    // The loudest drawn bin sets the top (DC and bins below f_lo are not drawn).
    let drawn = |k: usize| (f_lo..=nyquist).contains(&(k as f64 * bin_hz));
    let peak = spectra
        .iter()
        .flat_map(|db| {
            db.iter()
                .enumerate()
                .filter(|(k, _)| drawn(*k))
                .map(|(_, &l)| l)
        })
        .fold(BOTTOM_DB, f64::max);
    let top = ((peak / 10.0).ceil() * 10.0).max(0.0);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .margin_right(28)
        .x_label_area_size(48)
        .y_label_area_size(70)
        .build_cartesian_2d((f_lo..nyquist).log_scale(), BOTTOM_DB..top)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .light_line_style(style::GRID.mix(0.5))
        .bold_line_style(style::GRID)
        .x_desc("frequency (Hz)")
        .y_desc("level (dBFS)")
        .label_style(style::label())
        .axis_desc_style(style::desc())
        .x_label_formatter(&|f| freq_label(*f))
        .y_label_formatter(&|db| format!("{db:.0}").replace('-', "−"))
        .draw()
        .map_err(draw_err)?;
    let map = Mapping::of(&chart, (f_lo..nyquist).log_scale(), BOTTOM_DB..top);
    for (c, db) in spectra.iter().enumerate() {
        // Bins that land on the same pixel column keep their loudest, so a narrow peak
        // at high frequency (many bins per pixel) is never averaged away.
        let mut points: Vec<(i32, f64, f64)> = Vec::new();
        for (k, &level) in db.iter().enumerate().skip(1) {
            let f = k as f64 * bin_hz;
            if f < f_lo || f > nyquist {
                continue;
            }
            let level = level.clamp(BOTTOM_DB, top);
            let x = map.at(f, 0.0).0;
            match points.last_mut() {
                Some(last) if last.0 == x => {
                    if level > last.2 {
                        *last = (x, f, level);
                    }
                }
                _ => points.push((x, f, level)),
            }
        }
        let color = channel_color(c);
        chart
            .draw_series(LineSeries::new(
                points.into_iter().map(|(_, f, l)| (f, l)),
                color.stroke_width(1),
            ))
            .map_err(draw_err)?
            .label(format!("o{}", c + 1))
            .legend(move |(x, y)| Rectangle::new([(x, y - 4), (x + 16, y + 4)], color.filled()));
    }
    if audio.channels > 1 {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(style::label())
            .background_style(style::BACKGROUND.mix(0.85))
            .border_style(style::GRID)
            .draw()
            .map_err(draw_err)?;
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{pixel, render_kind};
    use super::*;
    use crate::plot::PlotKind;

    fn sine(freq: f32, amp: f32, rate: u32, frames: usize) -> Vec<f32> {
        (0..frames)
            .map(|i| amp * (std::f32::consts::TAU * freq * i as f32 / rate as f32).sin())
            .collect()
    }

    #[test]
    fn a_1khz_sine_peaks_at_the_1khz_position() {
        let samples = sine(1000.0, 0.5, 48_000, 48_000);
        let (rgb, w, map) = render_kind(&samples, 1, 48_000, PlotKind::Spectrum, draw);
        // The highest drawn pixel of the trace.
        let color = channel_color(0);
        let (mut best_y, mut best_x) = (i32::MAX, 0);
        for y in map.y_px.clone() {
            for x in map.x_px.clone() {
                if pixel(&rgb, w, x, y) == color && y < best_y {
                    best_y = y;
                    best_x = x;
                }
            }
        }
        let want_x = map.at(1000.0, 0.0).0;
        assert!(
            (best_x - want_x).abs() <= 2,
            "peak at x={best_x}, 1 kHz at x={want_x}"
        );
        // Amplitude 0.5 reads −6 dBFS (Hann scalloping at most −1.5 dB off a bin centre).
        let want_y = map.at(1000.0, -6.02).1;
        let tol = map.at(1000.0, -7.6).1 - want_y;
        assert!(
            best_y >= want_y - 1 && best_y <= want_y + tol,
            "peak y {best_y}, −6 dB at {want_y}"
        );
    }

    #[test]
    fn dc_does_not_raise_the_top() {
        // A large offset (DC is not drawn) and a quiet tone: the axis still tops at 0 dB.
        let samples: Vec<f32> = sine(1000.0, 0.01, 48_000, 48_000)
            .iter()
            .map(|s| s + 0.9)
            .collect();
        let (_, _, map) = render_kind(&samples, 1, 48_000, PlotKind::Spectrum, draw);
        assert_eq!(map.at(1000.0, 0.0).1, map.y_px.start, "0 dB is the top row");
    }

    #[test]
    fn welch_levels() {
        let audio_samples = sine(750.0, 1.0, 48_000, 48_000);
        let audio = Audio::new(&audio_samples, 1, 48_000).unwrap();
        let db = welch_db(&audio, 0, 8192);
        // 750 Hz is exactly bin 128 at 5.859375 Hz per bin.
        let k = db
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap()
            .0;
        assert_eq!(k, 128);
        assert!(db[128].abs() < 0.1, "{}", db[128]);
        assert!(db[400] < -100.0, "far from the tone is quiet: {}", db[400]);
    }

    #[test]
    fn sizes_and_labels() {
        assert_eq!(fft_len(100_000, 8192), 8192);
        assert_eq!(fft_len(3000, 8192), 4096);
        assert_eq!(fft_len(1, 8192), 64);
        assert_eq!(lowest_freq(48_000, 8192), 20.0);
        assert_eq!(lowest_freq(48_000, 64), 750.0);
        assert_eq!(lowest_freq(100, 64), 5.0);
        assert_eq!(freq_label(1000.0), "1k");
        assert_eq!(freq_label(2500.0), "2.5k");
        assert_eq!(freq_label(20.0), "20");
    }
}
