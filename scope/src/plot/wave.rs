//! Waveform: one panel per channel, amplitude against time.

use plotters::prelude::*;

use super::style::{self, channel_color};
use super::{decimals_for, draw_err, nice_ceil, trim_number, Area, Audio, Mapping, PlotError};

/// Draws every channel in its own panel; returns each panel's mapping (time s, value).
pub(crate) fn draw(area: &Area, audio: &Audio) -> Result<Vec<Mapping>, PlotError> {
    let panels = area.split_evenly((audio.channels, 1));
    let seconds = audio.seconds();
    let time_decimals = decimals_for(seconds / 10.0) + 1;
    let time_fmt = move |t: &f64| trim_number(*t, time_decimals);
    let mut maps = Vec::with_capacity(audio.channels);
    for (c, panel) in panels.iter().enumerate() {
        let last = c + 1 == audio.channels;
        let m = nice_ceil(audio.peak(c));
        let value_decimals = decimals_for(m / 5.0) + 1;
        let value_fmt = move |v: &f64| trim_number(*v, value_decimals);
        let mut chart = ChartBuilder::on(panel)
            .margin(8)
            .margin_right(24)
            .x_label_area_size(if last { 44 } else { 22 })
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..seconds, -m..m)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .light_line_style(style::GRID.mix(0.5))
            .bold_line_style(style::GRID)
            .x_desc(if last { "time (s)" } else { "" })
            .y_desc(format!("o{}", c + 1))
            .label_style(style::label())
            .axis_desc_style(style::desc())
            .x_label_formatter(&time_fmt)
            .y_label_formatter(&value_fmt)
            .draw()
            .map_err(draw_err)?;
        let color = channel_color(c);
        let (xr, _) = chart.plotting_area().get_pixel_range();
        let cols = (xr.end - xr.start).max(1) as usize;
        let frames = audio.frames();
        let rate = audio.rate as f64;
        let points: Vec<(f64, f64)> = if frames <= 2 * cols {
            (0..frames)
                .map(|f| (f as f64 / rate, audio.get(f, c)))
                .collect()
        } else {
            // More frames than pixels: each column's minimum and maximum, joined, so no
            // peak between two drawn samples is lost.
            let mut pts = Vec::with_capacity(2 * cols);
            for col in 0..cols {
                let f0 = col * frames / cols;
                let f1 = ((col + 1) * frames / cols).max(f0 + 1);
                let (lo, hi) = (f0..f1)
                    .map(|f| audio.get(f, c))
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                        (lo.min(v), hi.max(v))
                    });
                let t = (col as f64 + 0.5) / cols as f64 * seconds;
                pts.push((t, lo));
                pts.push((t, hi));
            }
            pts
        };
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(1)))
            .map_err(draw_err)?;
        maps.push(Mapping::of(&chart, 0f64..seconds, -m..m));
    }
    Ok(maps)
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{render_kind, rows_of_color};
    use super::*;
    use crate::plot::PlotKind;

    #[test]
    fn silence_is_a_flat_line_at_zero() {
        let samples = vec![0.0f32; 48_000 * 2];
        let (rgb, w, maps) = render_kind(&samples, 2, 48_000, PlotKind::Wave, draw);
        for (c, map) in maps.iter().enumerate() {
            let rows = rows_of_color(&rgb, w, channel_color(c), &map.x_px, &map.y_px);
            let zero_y = map.at(0.0, 0.0).1;
            assert_eq!(rows, vec![zero_y], "channel {c}: trace rows {rows:?}");
        }
    }

    #[test]
    fn a_sine_spans_its_amplitude() {
        let samples: Vec<f32> = (0..4800)
            .map(|i| 0.8 * (std::f32::consts::TAU * 50.0 * i as f32 / 48_000.0).sin())
            .collect();
        let (rgb, w, maps) = render_kind(&samples, 1, 48_000, PlotKind::Wave, draw);
        let map = &maps[0];
        let rows = rows_of_color(&rgb, w, channel_color(0), &map.x_px, &map.y_px);
        // The range is ±1 (0.8 rounded up); the trace reaches ±0.8 and no further.
        let top = map.at(0.0, 0.8).1;
        let bottom = map.at(0.0, -0.8).1;
        let (min, max) = (*rows.first().unwrap(), *rows.last().unwrap());
        assert!((min - top).abs() <= 1, "top {min} vs {top}");
        assert!((max - bottom).abs() <= 1, "bottom {max} vs {bottom}");
    }
}
