//! PNG plots of interleaved audio: waveform, spectrum, spectrogram, XY and XYZ.
//!
//! Drawn with `plotters` into an RGB buffer and encoded with `png`. Text uses a font
//! bundled in the crate (a subset of DejaVu Sans, see `fonts/`), loaded from bytes
//! through plotters' `ab_glyph` backend: no system font is looked up, so the same input
//! gives the same pixels on every machine. Spectral levels are rounded to 1/64 dB before
//! they are drawn, so an FFT's last-bit differences between CPUs (SIMD paths, `cos`)
//! cannot move a pixel.
//!
//! Non-finite samples are drawn as 0.
//!
//! - [`PlotKind::Wave`]: one panel per channel, amplitude against time in seconds,
//!   symmetric range rounded up to 1, 2 or 5 × 10ⁿ (±1 for silence); longer signals
//!   are drawn as each pixel column's minimum-to-maximum span.
//! - [`PlotKind::Spectrum`]: per channel, the Welch average (Hann window, 8192 points,
//!   half overlap) of the magnitude in dBFS (a full-scale sine on a bin reads 0 dB),
//!   against log frequency from 20 Hz to Nyquist; −120 dB at the bottom.
//! - [`PlotKind::Spectrogram`]: one panel per channel, time across, log frequency up,
//!   level as colour from −120 dB (black) to 0 dB (pale yellow), with a colour bar; one
//!   Hann-windowed FFT of ~43 ms per pixel column.
//! - [`PlotKind::Xy`]: o1 across, o2 up, on equal symmetric axes, samples joined by
//!   translucent lines (dense regions come out darker, like a phosphor screen).
//! - [`PlotKind::Xyz`]: o1, o2, o3 in a fixed perspective (o3 up), the line coloured
//!   by o3 (dark low, bright high).

mod fft;
mod spectrogram;
mod spectrum;
mod style;
mod wave;
mod xy;

use std::fmt;
use std::io;
use std::path::Path;
use std::str::FromStr;

use plotters::coord::Shift;
use plotters::prelude::*;

/// The most channels a plot draws.
pub const MAX_PLOT_CHANNELS: usize = 16;
/// The smallest width × height of a plot, in pixels.
pub const MIN_SIZE: (u32, u32) = (200, 150);
/// The largest width or height of a plot, in pixels.
pub const MAX_SIDE: u32 = 8192;

/// What to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlotKind {
    /// Each channel against time.
    Wave,
    /// Magnitude in dBFS against log frequency.
    Spectrum,
    /// Time × log frequency, level as colour.
    Spectrogram,
    /// o1 against o2.
    Xy,
    /// o1, o2, o3 in a fixed 3D projection.
    Xyz,
}

impl PlotKind {
    /// Every kind, in the order the command line lists them.
    pub const ALL: [PlotKind; 5] = [
        PlotKind::Wave,
        PlotKind::Spectrum,
        PlotKind::Spectrogram,
        PlotKind::Xy,
        PlotKind::Xyz,
    ];

    /// The name used on the command line (`wave`, `spectrum`, ...).
    pub fn name(self) -> &'static str {
        match self {
            PlotKind::Wave => "wave",
            PlotKind::Spectrum => "spectrum",
            PlotKind::Spectrogram => "spectrogram",
            PlotKind::Xy => "xy",
            PlotKind::Xyz => "xyz",
        }
    }

    /// The fewest channels this kind can draw.
    pub fn min_channels(self) -> usize {
        match self {
            PlotKind::Xy => 2,
            PlotKind::Xyz => 3,
            _ => 1,
        }
    }
}

impl fmt::Display for PlotKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PlotKind {
    type Err = PlotError;

    fn from_str(s: &str) -> Result<PlotKind, PlotError> {
        PlotKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| PlotError::UnknownKind(s.to_string()))
    }
}

/// What to draw and how large.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlotSpec {
    /// The kind of plot.
    pub kind: PlotKind,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// A title drawn above the plot, if any.
    pub title: Option<String>,
}

impl PlotSpec {
    /// A plot of `kind` at the default size (1200 × 700, square 800 × 800 for xy and xyz),
    /// untitled.
    pub fn new(kind: PlotKind) -> PlotSpec {
        let (width, height) = match kind {
            PlotKind::Xy | PlotKind::Xyz => (800, 800),
            _ => (1200, 700),
        };
        PlotSpec {
            kind,
            width,
            height,
            title: None,
        }
    }
}

/// Why a plot could not be drawn.
#[derive(Debug)]
pub enum PlotError {
    /// The channel count is 0 or above [`MAX_PLOT_CHANNELS`].
    Channels(usize),
    /// The sample count is not a multiple of the channel count.
    Ragged {
        /// Samples given.
        samples: usize,
        /// Channels announced.
        channels: usize,
    },
    /// No samples at all.
    Empty,
    /// A sample rate of 0.
    SampleRate,
    /// A size below [`MIN_SIZE`] or above [`MAX_SIDE`].
    Size {
        /// Width asked for.
        width: u32,
        /// Height asked for.
        height: u32,
    },
    /// The kind needs more channels than the audio has.
    TooFewChannels {
        /// The kind asked for.
        kind: PlotKind,
        /// Channels present.
        channels: usize,
    },
    /// Not one of `wave`, `spectrum`, `spectrogram`, `xy`, `xyz`.
    UnknownKind(String),
    /// Drawing failed inside plotters.
    Draw(String),
    /// PNG encoding or writing the file failed.
    Io(io::Error),
}

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlotError::Channels(n) => {
                write!(f, "a plot draws 1 to {MAX_PLOT_CHANNELS} channels, not {n}")
            }
            PlotError::Ragged { samples, channels } => write!(
                f,
                "{samples} samples are not a whole number of {channels}-channel frames"
            ),
            PlotError::Empty => write!(f, "nothing to plot: no samples"),
            PlotError::SampleRate => write!(f, "a plot needs a sample rate above 0"),
            PlotError::Size { width, height } => write!(
                f,
                "plot size {width}×{height} is outside {}×{} to {MAX_SIDE}×{MAX_SIDE}",
                MIN_SIZE.0, MIN_SIZE.1
            ),
            PlotError::TooFewChannels { kind, channels } => write!(
                f,
                "a {kind} plot needs at least {} channels (o1{}), the audio has {channels}",
                kind.min_channels(),
                if kind.min_channels() == 3 {
                    ", o2, o3"
                } else {
                    ", o2"
                }
            ),
            PlotError::UnknownKind(s) => write!(
                f,
                "unknown plot kind `{s}`: choose wave, spectrum, spectrogram, xy or xyz"
            ),
            PlotError::Draw(e) => write!(f, "drawing the plot failed: {e}"),
            PlotError::Io(e) => write!(f, "writing the plot failed: {e}"),
        }
    }
}

impl std::error::Error for PlotError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PlotError::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// Draws interleaved `samples` (`channels` wide, at `sample_rate` Hz) and returns PNG bytes.
pub fn plot_png(
    samples: &[f32],
    channels: usize,
    sample_rate: u32,
    spec: &PlotSpec,
) -> Result<Vec<u8>, PlotError> {
    let rgb = render_rgb(samples, channels, sample_rate, spec)?;
    encode_png(&rgb, spec.width, spec.height)
}

/// Like [`plot_png`], writing the PNG to `path`.
pub fn write_plot(
    path: &Path,
    samples: &[f32],
    channels: usize,
    sample_rate: u32,
    spec: &PlotSpec,
) -> Result<(), PlotError> {
    let png = plot_png(samples, channels, sample_rate, spec)?;
    std::fs::write(path, png).map_err(PlotError::Io)
}

/// The audio being plotted, checked.
pub(crate) struct Audio<'a> {
    samples: &'a [f32],
    pub channels: usize,
    pub rate: u32,
}

impl<'a> Audio<'a> {
    fn new(samples: &'a [f32], channels: usize, rate: u32) -> Result<Audio<'a>, PlotError> {
        if channels == 0 || channels > MAX_PLOT_CHANNELS {
            return Err(PlotError::Channels(channels));
        }
        if !samples.len().is_multiple_of(channels) {
            return Err(PlotError::Ragged {
                samples: samples.len(),
                channels,
            });
        }
        if samples.is_empty() {
            return Err(PlotError::Empty);
        }
        if rate == 0 {
            return Err(PlotError::SampleRate);
        }
        Ok(Audio {
            samples,
            channels,
            rate,
        })
    }

    /// Frames in the audio.
    pub fn frames(&self) -> usize {
        self.samples.len() / self.channels
    }

    /// Duration in seconds.
    pub fn seconds(&self) -> f64 {
        self.frames() as f64 / self.rate as f64
    }

    /// One sample; non-finite values read as 0.
    pub fn get(&self, frame: usize, channel: usize) -> f64 {
        let s = self.samples[frame * self.channels + channel];
        if s.is_finite() {
            s as f64
        } else {
            0.0
        }
    }

    /// The largest magnitude in a channel.
    pub fn peak(&self, channel: usize) -> f64 {
        (0..self.frames())
            .map(|f| self.get(f, channel).abs())
            .fold(0.0, f64::max)
    }
}

/// Draws into an RGB buffer of `spec.width × spec.height × 3` bytes.
pub(crate) fn render_rgb(
    samples: &[f32],
    channels: usize,
    sample_rate: u32,
    spec: &PlotSpec,
) -> Result<Vec<u8>, PlotError> {
    let audio = Audio::new(samples, channels, sample_rate)?;
    let mut buf = Vec::new();
    draw_with(&audio, spec, &mut buf, |area, audio| match spec.kind {
        PlotKind::Wave => wave::draw(area, audio).map(drop),
        PlotKind::Spectrum => spectrum::draw(area, audio).map(drop),
        PlotKind::Spectrogram => spectrogram::draw(area, audio).map(drop),
        PlotKind::Xy => xy::draw_xy(area, audio).map(drop),
        PlotKind::Xyz => xy::draw_xyz(area, audio).map(drop),
    })?;
    Ok(buf)
}

/// The drawing area every kind draws on.
pub(crate) type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// Sets up the buffer, background and title, then calls `draw` on the area below the
/// title. Shared by [`render_rgb`] and the kinds' tests (which keep what `draw` returns).
pub(crate) fn draw_with<T>(
    audio: &Audio,
    spec: &PlotSpec,
    buf: &mut Vec<u8>,
    draw: impl FnOnce(&Area, &Audio) -> Result<T, PlotError>,
) -> Result<T, PlotError> {
    let (w, h) = (spec.width, spec.height);
    if w < MIN_SIZE.0 || h < MIN_SIZE.1 || w > MAX_SIDE || h > MAX_SIDE {
        return Err(PlotError::Size {
            width: w,
            height: h,
        });
    }
    if audio.channels < spec.kind.min_channels() {
        return Err(PlotError::TooFewChannels {
            kind: spec.kind,
            channels: audio.channels,
        });
    }
    style::register_font()?;
    buf.clear();
    buf.resize(w as usize * h as usize * 3, 0);
    let root = BitMapBackend::with_buffer(buf, (w, h)).into_drawing_area();
    root.fill(&style::BACKGROUND).map_err(draw_err)?;
    let area = match &spec.title {
        Some(t) => root.titled(t, style::title()).map_err(draw_err)?,
        None => root.clone(),
    };
    let out = draw(&area, audio)?;
    root.present().map_err(draw_err)?;
    Ok(out)
}

/// Where data coordinates land in the image, kept from a chart for tests.
#[allow(dead_code)] // read by the kinds' tests only
pub(crate) struct Mapping {
    map: Box<dyn Fn(f64, f64) -> (i32, i32)>,
    /// The plotting area's pixel columns.
    pub x_px: std::ops::Range<i32>,
    /// The plotting area's pixel rows.
    pub y_px: std::ops::Range<i32>,
}

#[allow(dead_code)] // read by the kinds' tests only
impl Mapping {
    /// Keeps `chart`'s coordinate mapping, rebuilt from the ranges it was built with
    /// (plotters' log coordinate cannot be cloned).
    pub(crate) fn of<X, Y, XS, YS>(
        chart: &ChartContext<'_, BitMapBackend<'_>, Cartesian2d<X, Y>>,
        xs: XS,
        ys: YS,
    ) -> Mapping
    where
        X: Ranged<ValueType = f64> + 'static,
        Y: Ranged<ValueType = f64> + 'static,
        XS: Into<X> + Clone + 'static,
        YS: Into<Y> + Clone + 'static,
    {
        let (x_px, y_px) = chart.plotting_area().get_pixel_range();
        // As plotters' build_cartesian_2d: last pixel inclusive, y running upwards.
        let back = (x_px.start..x_px.end - 1, y_px.end - 1..y_px.start);
        Mapping {
            map: Box::new(move |x, y| {
                use plotters::coord::CoordTranslate;
                Cartesian2d::<X, Y>::new(xs.clone(), ys.clone(), back.clone()).translate(&(x, y))
            }),
            x_px,
            y_px,
        }
    }

    /// The pixel where data point `(x, y)` is drawn.
    pub(crate) fn at(&self, x: f64, y: f64) -> (i32, i32) {
        (self.map)(x, y)
    }
}

/// A tick formatter showing just enough decimals for ticks `step` apart.
pub(crate) fn decimals_for(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    (-(step.log10().floor())).clamp(0.0, 9.0) as usize
}

/// `x` with at most `decimals` decimals, trailing zeros dropped, and no `-0`.
pub(crate) fn trim_number(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s.replace('-', "−")
    }
}

/// Turns a plotters error into ours.
pub(crate) fn draw_err<E: fmt::Display>(e: E) -> PlotError {
    PlotError::Draw(e.to_string())
}

fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc
        .write_header()
        .map_err(|e| PlotError::Io(io::Error::other(e)))?;
    writer
        .write_image_data(rgb)
        .map_err(|e| PlotError::Io(io::Error::other(e)))?;
    writer
        .finish()
        .map_err(|e| PlotError::Io(io::Error::other(e)))?;
    Ok(out)
}

/// The smallest 1, 2 or 5 × 10ⁿ at or above `x` (1 for 0 or non-finite input).
pub(crate) fn nice_ceil(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    let mut p = 10f64.powi(x.log10().floor() as i32);
    // log10 may land one decade off for exact powers of ten; settle it.
    while p > x {
        p /= 10.0;
    }
    while p * 10.0 <= x {
        p *= 10.0;
    }
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * p >= x {
            return m * p;
        }
    }
    10.0 * p
}

/// Helpers for the kinds' pixel tests.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// Renders `kind` at its default size with `draw`, keeping what `draw` returns.
    pub(crate) fn render_kind<T>(
        samples: &[f32],
        channels: usize,
        rate: u32,
        kind: PlotKind,
        draw: impl FnOnce(&Area, &Audio) -> Result<T, PlotError>,
    ) -> (Vec<u8>, usize, T) {
        let spec = PlotSpec::new(kind);
        let audio = Audio::new(samples, channels, rate).unwrap();
        let mut buf = Vec::new();
        let out = draw_with(&audio, &spec, &mut buf, draw).unwrap();
        (buf, spec.width as usize, out)
    }

    /// The pixel at (x, y).
    pub(crate) fn pixel(rgb: &[u8], width: usize, x: i32, y: i32) -> RGBColor {
        let i = (y as usize * width + x as usize) * 3;
        RGBColor(rgb[i], rgb[i + 1], rgb[i + 2])
    }

    /// The rows (sorted, distinct) inside the given ranges holding pixels of `color`.
    pub(crate) fn rows_of_color(
        rgb: &[u8],
        width: usize,
        color: RGBColor,
        xs: &std::ops::Range<i32>,
        ys: &std::ops::Range<i32>,
    ) -> Vec<i32> {
        ys.clone()
            .filter(|&y| xs.clone().any(|x| pixel(rgb, width, x, y) == color))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_by_name() {
        for k in PlotKind::ALL {
            assert_eq!(k.name().parse::<PlotKind>().unwrap(), k);
            assert_eq!(k.to_string(), k.name());
        }
        assert_eq!(" XY ".parse::<PlotKind>().unwrap(), PlotKind::Xy);
        let e = "bars".parse::<PlotKind>().unwrap_err().to_string();
        assert!(e.contains("wave, spectrum, spectrogram, xy or xyz"), "{e}");
    }

    #[test]
    fn numbers_are_trimmed() {
        assert_eq!(trim_number(0.5, 3), "0.5");
        assert_eq!(trim_number(-1.0, 2), "−1");
        assert_eq!(trim_number(-0.0001, 2), "0");
        assert_eq!(trim_number(120.0, 0), "120");
        assert_eq!(decimals_for(0.25), 1);
        assert_eq!(decimals_for(0.01), 2);
        assert_eq!(decimals_for(5.0), 0);
        assert_eq!(decimals_for(0.0), 0);
    }

    #[test]
    fn nice_ceil_rounds_up_to_1_2_5() {
        for (x, want) in [
            (0.0, 1.0),
            (f64::NAN, 1.0),
            (0.3, 0.5),
            (0.5, 0.5),
            (0.51, 1.0),
            (1.0, 1.0),
            (1.2, 2.0),
            (3.0, 5.0),
            (7.0, 10.0),
            (0.001, 0.001),
            (1e-7, 1e-7),
            (120.0, 200.0),
        ] {
            let got = nice_ceil(x);
            assert!((got - want).abs() <= want * 1e-12, "{x}: {got} != {want}");
        }
    }

    #[test]
    fn bad_input_gets_clear_errors() {
        let spec = PlotSpec::new(PlotKind::Wave);
        let e = |r: Result<Vec<u8>, PlotError>| r.unwrap_err().to_string();
        assert!(e(plot_png(&[0.0; 4], 0, 48_000, &spec)).contains("1 to 16 channels"));
        assert!(e(plot_png(&[0.0; 4], 17, 48_000, &spec)).contains("not 17"));
        assert!(e(plot_png(&[0.0; 5], 2, 48_000, &spec)).contains("5 samples"));
        assert!(e(plot_png(&[], 2, 48_000, &spec)).contains("no samples"));
        assert!(e(plot_png(&[0.0; 4], 2, 0, &spec)).contains("sample rate"));
        let tiny = PlotSpec {
            width: 10,
            ..spec.clone()
        };
        assert!(e(plot_png(&[0.0; 4], 2, 48_000, &tiny)).contains("10×700"));
        let huge = PlotSpec {
            height: 9000,
            ..spec.clone()
        };
        assert!(matches!(
            plot_png(&[0.0; 4], 2, 48_000, &huge),
            Err(PlotError::Size { .. })
        ));
        let xyz = PlotSpec::new(PlotKind::Xyz);
        let msg = e(plot_png(&[0.0; 4], 2, 48_000, &xyz));
        assert!(
            msg.contains("xyz plot needs at least 3 channels (o1, o2, o3)"),
            "{msg}"
        );
        let xy = PlotSpec::new(PlotKind::Xy);
        assert!(e(plot_png(&[0.0; 4], 1, 48_000, &xy)).contains("at least 2"));
    }

    #[test]
    fn writes_a_png_file() {
        let dir = std::env::temp_dir().join(format!("kanon-scope-plot-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("w.png");
        let spec = PlotSpec {
            width: 300,
            height: 200,
            ..PlotSpec::new(PlotKind::Wave)
        };
        write_plot(&path, &[0.0, 0.5, -0.5, 0.0], 1, 8, &spec).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let err = write_plot(&dir.join("no/such/dir.png"), &[0.0], 1, 8, &spec).unwrap_err();
        assert!(matches!(err, PlotError::Io(_)), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn every_kind_survives_odd_input() {
        // Single frames, non-finite values, huge values, tiny sizes: a plot, never a panic.
        let inputs: Vec<Vec<f32>> = vec![
            vec![0.0; 3],
            vec![f32::NAN, f32::INFINITY, -f32::INFINITY],
            vec![1e30, -1e30, 1e-30, 0.0, 0.0, 0.0],
            (0..300).map(|i| (i as f32 * 0.1).sin() * 3.0).collect(),
        ];
        for kind in PlotKind::ALL {
            for data in &inputs {
                for (w, h) in [MIN_SIZE, (640, 480)] {
                    let spec = PlotSpec {
                        width: w,
                        height: h,
                        title: Some("odd".into()),
                        ..PlotSpec::new(kind)
                    };
                    let png = plot_png(data, 3, 1000, &spec).unwrap();
                    assert!(png.len() > 100);
                }
            }
        }
    }
}
