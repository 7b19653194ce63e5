//! Colours, the bundled font and text styles shared by every plot.

use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::{register_font as plotters_register_font, FontStyle};

use super::PlotError;

/// The font every label is drawn with: a Latin subset of DejaVu Sans (see `fonts/`).
const FONT: &[u8] = include_bytes!("../../fonts/DejaVuSans-subset.ttf");
/// The family name the font is registered under with plotters.
pub(crate) const FAMILY: &str = "kanon-sans";

/// The plot background.
pub(crate) const BACKGROUND: RGBColor = RGBColor(255, 255, 255);
/// Axis text.
pub(crate) const INK: RGBColor = RGBColor(40, 40, 40);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(225, 225, 225);

/// One colour per channel: o1 blue, o2 red, o3 green, ...
pub(crate) const CHANNEL_COLORS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];

/// The colour of channel `c` (0-based).
pub(crate) fn channel_color(c: usize) -> RGBColor {
    CHANNEL_COLORS[c % CHANNEL_COLORS.len()]
}

/// Registers the bundled font with plotters once per process.
pub(crate) fn register_font() -> Result<(), PlotError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| plotters_register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(PlotError::Draw(
            "the bundled font could not be loaded".into(),
        ))
    }
}

/// Axis tick labels.
pub(crate) fn label() -> TextStyle<'static> {
    (FAMILY, 13).into_font().color(&INK)
}

/// Axis descriptions.
pub(crate) fn desc() -> TextStyle<'static> {
    (FAMILY, 15).into_font().color(&INK)
}

/// The plot title.
pub(crate) fn title() -> TextStyle<'static> {
    (FAMILY, 20).into_font().color(&INK)
}

/// The spectrogram's colour map at `t` in [0, 1]: black, purple, red, orange, pale yellow
/// (an approximation of "inferno", legible in print and for most colour-blind readers).
pub(crate) fn heat(t: f64) -> RGBColor {
    const STOPS: [(f64, [f64; 3]); 5] = [
        (0.0, [0.0, 0.0, 4.0]),
        (0.25, [87.0, 16.0, 110.0]),
        (0.5, [188.0, 55.0, 84.0]),
        (0.75, [249.0, 142.0, 9.0]),
        (1.0, [252.0, 255.0, 164.0]),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let i = STOPS
        .windows(2)
        .position(|w| t <= w[1].0)
        .unwrap_or(STOPS.len() - 2);
    let (t0, a) = STOPS[i];
    let (t1, b) = STOPS[i + 1];
    let u = (t - t0) / (t1 - t0);
    let mix = |k: usize| (a[k] + (b[k] - a[k]) * u).round() as u8;
    RGBColor(mix(0), mix(1), mix(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_runs_dark_to_bright() {
        assert_eq!(heat(0.0), RGBColor(0, 0, 4));
        assert_eq!(heat(1.0), RGBColor(252, 255, 164));
        assert_eq!(heat(-3.0), heat(0.0));
        assert_eq!(heat(f64::NAN), heat(0.0));
        assert_eq!(heat(0.5), RGBColor(188, 55, 84));
        let lum = |c: RGBColor| 0.3 * c.0 as f64 + 0.59 * c.1 as f64 + 0.11 * c.2 as f64;
        let mut last = -1.0;
        for i in 0..=100 {
            let l = lum(heat(i as f64 / 100.0));
            assert!(
                l >= last - 1.0,
                "luminance rises monotonically (within rounding) at {i}"
            );
            last = l;
        }
    }

    #[test]
    fn the_font_loads() {
        register_font().unwrap();
        register_font().unwrap();
    }
}
