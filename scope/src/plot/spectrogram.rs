//! Spectrogram: time across, log frequency up, level as colour; one panel per channel.

use plotters::prelude::*;

use super::fft::{power_db, Analyzer};
use super::spectrum::{fft_len, freq_label, lowest_freq};
use super::style::{self, heat};
use super::{decimals_for, draw_err, trim_number, Area, Audio, Mapping, PlotError};

/// The level drawn black.
pub(crate) const BOTTOM_DB: f64 = -120.0;
/// The level drawn pale yellow.
pub(crate) const TOP_DB: f64 = 0.0;
/// Width of the colour bar's area on the right.
const BAR_AREA: u32 = 96;

/// The FFT size for a sample rate: about 43 ms (2048 points at 48 kHz).
pub(crate) fn column_fft_len(rate: u32) -> usize {
    ((rate as usize) / 24).next_power_of_two().clamp(64, 16384)
}

/// Draws one panel per channel and a colour bar; returns each panel's mapping
/// (time s, frequency Hz).
pub(crate) fn draw(area: &Area, audio: &Audio) -> Result<Vec<Mapping>, PlotError> {
    let (w, _) = area.dim_in_pixel();
    let (main, bar) = area.split_horizontally(w.saturating_sub(BAR_AREA));
    let n = fft_len(audio.frames(), column_fft_len(audio.rate));
    let nyquist = audio.rate as f64 / 2.0;
    let f_lo = lowest_freq(audio.rate, n);
    let seconds = audio.seconds();
    let time_decimals = decimals_for(seconds / 10.0) + 1;
    let time_fmt = move |t: &f64| trim_number(*t, time_decimals);
    let mut analyzer = Analyzer::new(n);
    let bin_hz = audio.rate as f64 / n as f64;
    let mut maps = Vec::new();
    for (c, panel) in main.split_evenly((audio.channels, 1)).iter().enumerate() {
        let last = c + 1 == audio.channels;
        let mut chart = ChartBuilder::on(panel)
            .margin(8)
            .x_label_area_size(if last { 44 } else { 22 })
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..seconds, (f_lo..nyquist).log_scale())
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(if last { "time (s)" } else { "" })
            .y_desc(format!("o{} frequency (Hz)", c + 1))
            .label_style(style::label())
            .axis_desc_style(style::desc())
            .x_label_formatter(&time_fmt)
            .y_label_formatter(&|f| freq_label(*f))
            .draw()
            .map_err(draw_err)?;
        let map = Mapping::of(&chart, 0f64..seconds, (f_lo..nyquist).log_scale());
        let plot = chart.plotting_area().strip_coord_spec();
        let cols = (map.x_px.end - map.x_px.start).max(1) as usize;
        let rows = (map.y_px.end - map.y_px.start).max(1) as usize;
        // Each pixel row covers a band of frequencies: it shows the loudest bin in the
        // band, or the nearest bin where bins are wider than rows.
        let (ln_lo, ln_hi) = (f_lo.ln(), nyquist.ln());
        let edge = |r: f64| (ln_hi - r / rows as f64 * (ln_hi - ln_lo)).exp();
        let bands: Vec<(usize, usize)> = (0..rows)
            .map(|r| {
                let (f_top, f_bottom) = (edge(r as f64), edge(r as f64 + 1.0));
                let k0 = (f_bottom / bin_hz).ceil() as usize;
                let k1 = (f_top / bin_hz).floor() as usize;
                if k1 >= k0 {
                    (k0, k1)
                } else {
                    let k = (edge(r as f64 + 0.5) / bin_hz).round() as usize;
                    (k, k)
                }
            })
            .collect();
        let mut power = vec![0.0; analyzer.bins()];
        let frames = audio.frames();
        for col in 0..cols {
            let centre = ((col as f64 + 0.5) / cols as f64 * frames as f64) as isize;
            power.iter_mut().for_each(|p| *p = 0.0);
            analyzer.add_power(
                |i| audio.get(i, c),
                frames,
                centre - n as isize / 2,
                &mut power,
            );
            for (row, &(k0, k1)) in bands.iter().enumerate() {
                let top = power[k0.min(power.len() - 1)..=k1.min(power.len() - 1)]
                    .iter()
                    .copied()
                    .fold(0.0, f64::max);
                let t = (power_db(top) - BOTTOM_DB) / (TOP_DB - BOTTOM_DB);
                plot.draw_pixel((col as i32, row as i32), &heat(t))
                    .map_err(draw_err)?;
            }
        }
        maps.push(map);
    }
    draw_bar(&bar)?;
    Ok(maps)
}

/// The colour bar: the map from −120 dB to 0 dB with labels.
fn draw_bar(bar: &Area) -> Result<(), PlotError> {
    let mut chart = ChartBuilder::on(bar)
        .margin_top(8)
        .margin_bottom(52)
        .margin_right(8)
        .y_label_area_size(0)
        .right_y_label_area_size(52)
        .build_cartesian_2d(0f64..1.0, BOTTOM_DB..TOP_DB)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_desc("dBFS")
        .label_style(style::label())
        .axis_desc_style(style::desc())
        .y_label_formatter(&|db| format!("{db:.0}").replace('-', "−"))
        .draw()
        .map_err(draw_err)?;
    let steps = 120;
    chart
        .draw_series((0..steps).map(|i| {
            let a = BOTTOM_DB + (TOP_DB - BOTTOM_DB) * i as f64 / steps as f64;
            let b = BOTTOM_DB + (TOP_DB - BOTTOM_DB) * (i + 1) as f64 / steps as f64;
            let t = (i as f64 + 0.5) / steps as f64;
            Rectangle::new([(0.0, a), (1.0, b)], heat(t).filled())
        }))
        .map_err(draw_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{pixel, render_kind};
    use super::*;
    use crate::plot::PlotKind;

    #[test]
    fn a_tone_is_the_brightest_row_at_its_frequency() {
        let samples: Vec<f32> = (0..48_000)
            .map(|i| 0.5 * (std::f32::consts::TAU * 1000.0 * i as f32 / 48_000.0).sin())
            .collect();
        let (rgb, w, maps) = render_kind(&samples, 1, 48_000, PlotKind::Spectrogram, draw);
        let map = &maps[0];
        let x = (map.x_px.start + map.x_px.end) / 2;
        let lum = |c: RGBColor| c.0 as u32 + c.1 as u32 + c.2 as u32;
        let brightest = map
            .y_px
            .clone()
            .max_by_key(|&y| (lum(pixel(&rgb, w, x, y)), -y))
            .unwrap();
        let want = map.at(0.5, 1000.0).1;
        assert!(
            (brightest - want).abs() <= 3,
            "brightest row {brightest}, 1 kHz at {want}"
        );
        // Far from the tone it is dark.
        let far = map.at(0.5, 100.0).1;
        assert!(
            lum(pixel(&rgb, w, x, far)) < 60,
            "{:?}",
            pixel(&rgb, w, x, far)
        );
    }

    #[test]
    fn a_sweep_rises_across_the_plot() {
        // A log sweep from 100 Hz to 10 kHz: the brightest row climbs column by column.
        let rate = 48_000.0f64;
        let secs = 2.0;
        let (f0, f1) = (100.0f64, 10_000.0f64);
        let k = (f1 / f0).ln() / secs;
        let samples: Vec<f32> = (0..(rate * secs) as usize)
            .map(|i| {
                let t = i as f64 / rate;
                (0.5 * (std::f64::consts::TAU * f0 * ((k * t).exp() - 1.0) / k).sin()) as f32
            })
            .collect();
        let (rgb, w, maps) = render_kind(&samples, 1, 48_000, PlotKind::Spectrogram, draw);
        let map = &maps[0];
        let lum = |c: RGBColor| c.0 as u32 + c.1 as u32 + c.2 as u32;
        let row_at = |x: i32| {
            map.y_px
                .clone()
                .max_by_key(|&y| lum(pixel(&rgb, w, x, y)))
                .unwrap()
        };
        for t in [0.25, 0.5, 1.0, 1.5] {
            let x = map.at(t, 1000.0).0;
            let f = f0 * (k * t).exp();
            let want = map.at(t, f).1;
            // Within the rows one FFT bin (23.4 Hz) spans there, plus a pixel either way.
            let bin_rows = (map.at(t, f + 48_000.0 / 2048.0).1 - want).abs();
            let got = row_at(x);
            assert!(
                (got - want).abs() <= bin_rows + 2,
                "t={t}: row {got}, expected {want} ± {bin_rows}"
            );
        }
    }

    #[test]
    fn column_sizes() {
        assert_eq!(column_fft_len(48_000), 2048);
        assert_eq!(column_fft_len(44_100), 2048);
        assert_eq!(column_fft_len(8_000), 512);
        assert_eq!(column_fft_len(1), 64);
    }
}
