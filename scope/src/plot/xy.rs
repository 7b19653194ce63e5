//! XY (o1 against o2) and XYZ (o1, o2, o3 in a fixed 3D view).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{self, heat};
use super::{decimals_for, draw_err, nice_ceil, trim_number, Area, Audio, Mapping, PlotError};

/// How opaque each XY segment is: overlapping passes build up like phosphor.
const XY_ALPHA: f64 = 0.35;
/// The 3D view: turned about the vertical axis so a Lorenz attractor's wings (which lie
/// near the plane x = y) face the viewer.
const YAW: f64 = -0.9;
/// The 3D view's tilt.
const PITCH: f64 = 0.3;

/// The largest square centred in `area`.
fn square<'a>(area: &Area<'a>) -> Area<'a> {
    let (w, h) = area.dim_in_pixel();
    let side = w.min(h);
    area.clone()
        .shrink(((w - side) / 2, (h - side) / 2), (side, side))
}

/// Draws o1 across and o2 up on equal symmetric axes; returns the mapping (o1, o2).
pub(crate) fn draw_xy(area: &Area, audio: &Audio) -> Result<Mapping, PlotError> {
    let area = square(area);
    let m = nice_ceil(audio.peak(0).max(audio.peak(1)));
    let decimals = decimals_for(m / 5.0) + 1;
    let fmt = move |v: &f64| trim_number(*v, decimals);
    // Equal label areas and margins keep the plotting area square.
    let mut chart = ChartBuilder::on(&area)
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(56)
        .right_y_label_area_size(0)
        .build_cartesian_2d(-m..m, -m..m)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .light_line_style(style::GRID.mix(0.5))
        .bold_line_style(style::GRID)
        .x_desc("o1")
        .y_desc("o2")
        .label_style(style::label())
        .axis_desc_style(style::desc())
        .x_label_formatter(&fmt)
        .y_label_formatter(&fmt)
        .draw()
        .map_err(draw_err)?;
    let color = style::channel_color(0).mix(XY_ALPHA);
    let frames = audio.frames();
    chart
        .draw_series(LineSeries::new(
            (0..frames).map(|f| (audio.get(f, 0), audio.get(f, 1))),
            color.stroke_width(1),
        ))
        .map_err(draw_err)?;
    if frames == 1 {
        // A single frame has no segment to draw: mark the point.
        chart
            .draw_series(std::iter::once(Circle::new(
                (audio.get(0, 0), audio.get(0, 1)),
                2,
                style::channel_color(0).filled(),
            )))
            .map_err(draw_err)?;
    }
    Ok(Mapping::of(&chart, -m..m, -m..m))
}

/// A padded range around a channel's values (never empty).
fn extent(audio: &Audio, c: usize) -> std::ops::Range<f64> {
    let (lo, hi) = (0..audio.frames())
        .map(|f| audio.get(f, c))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let pad = ((hi - lo) * 0.05).max(1e-3);
    (lo - pad)..(hi + pad)
}

/// Draws o1, o2, o3 in perspective with o3 up, the line coloured by o3; returns the
/// pixel ranges of the area drawn in.
pub(crate) fn draw_xyz(
    area: &Area,
    audio: &Audio,
) -> Result<(std::ops::Range<i32>, std::ops::Range<i32>), PlotError> {
    let area = square(area);
    let (xr, yr, zr) = (extent(audio, 0), extent(audio, 2), extent(audio, 1));
    let (x_end, y_end, z_end) = (xr.end, yr.end, zr.end);
    let (x0, y0, z0) = (xr.start, yr.start, zr.start);
    let fmt_for = |r: &std::ops::Range<f64>| {
        let d = decimals_for((r.end - r.start) / 5.0) + 1;
        move |v: &f64| trim_number(*v, d)
    };
    let (fx, fy, fz) = (fmt_for(&xr), fmt_for(&yr), fmt_for(&zr));
    // plotters' 3D y axis is vertical: (o1, o3, o2) puts o3 up.
    let mut chart = ChartBuilder::on(&area)
        .margin(36)
        .build_cartesian_3d(xr, yr, zr)
        .map_err(draw_err)?;
    chart.with_projection(|mut p| {
        p.yaw = YAW;
        p.pitch = PITCH;
        p.scale = 0.75;
        p.into_matrix()
    });
    chart
        .configure_axes()
        .light_grid_style(style::GRID.mix(0.5))
        .bold_grid_style(style::GRID)
        .max_light_lines(2)
        .label_style(style::label())
        .x_formatter(&fx)
        .y_formatter(&fy)
        .z_formatter(&fz)
        .draw()
        .map_err(draw_err)?;
    // Colour by o3, quantised to 32 steps so runs of equal colour share one path.
    let frames = audio.frames();
    let level = |f: usize| {
        let t = (audio.get(f, 2) - y0) / (y_end - y0);
        (t.clamp(0.0, 1.0) * 31.0).round() as u32
    };
    let point = |f: usize| (audio.get(f, 0), audio.get(f, 2), audio.get(f, 1));
    let mut paths = Vec::new();
    let mut f = 0;
    while f + 1 < frames {
        let l = level(f);
        let mut pts = vec![point(f)];
        while f + 1 < frames {
            f += 1;
            pts.push(point(f));
            if level(f) != l {
                break;
            }
        }
        // Low o3 dark, high o3 bright: the brightness cue of a scope's Z input.
        let color = heat(0.1 + 0.75 * l as f64 / 31.0);
        paths.push(PathElement::new(pts, color.stroke_width(1)));
    }
    chart.draw_series(paths).map_err(draw_err)?;
    // Axis names. plotters puts the ticks of o1 and o2 on the two bottom edges that meet
    // at the corner nearest the viewer (lowest on screen), and those of o3 on the
    // leftmost vertical edge: name each by its edge, clear of the tick labels.
    let plot = chart.plotting_area();
    let base = area.get_base_pixel();
    let px = |p: (f64, f64, f64)| {
        let (x, y) = plot.map_coordinate(&p);
        ((x - base.0) as f64, (y - base.1) as f64)
    };
    let bottom =
        [(x0, z0), (x_end, z0), (x0, z_end), (x_end, z_end)].map(|(x, z)| (x, z, px((x, y0, z))));
    let front = bottom
        .iter()
        .copied()
        .max_by(|a, b| a.2 .1.total_cmp(&b.2 .1))
        .unwrap_or(bottom[0]);
    let name_style = style::desc().pos(Pos::new(HPos::Center, VPos::Center));
    let mut names = Vec::new();
    for (name, other) in [
        (
            "o1",
            px((if front.0 == x0 { x_end } else { x0 }, y0, front.1)),
        ),
        (
            "o2",
            px((front.0, y0, if front.1 == z0 { z_end } else { z0 })),
        ),
    ] {
        // Below the edge's middle, clear of its tick labels.
        let mid = ((front.2 .0 + other.0) / 2.0, (front.2 .1 + other.1) / 2.0);
        names.push((name, (mid.0, mid.1 + 42.0)));
    }
    let left = bottom
        .iter()
        .map(|c| px((c.0, y_end, c.1)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap_or((0.0, 0.0));
    names.push(("o3 (up)", (left.0, left.1 - 22.0)));
    for (name, (x, y)) in names {
        area.draw(&Text::new(
            name,
            (x.round() as i32, y.round() as i32),
            name_style.clone(),
        ))
        .map_err(draw_err)?;
    }
    Ok(plot.get_pixel_range())
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::{pixel, render_kind};
    use super::*;
    use crate::plot::PlotKind;

    #[test]
    fn a_circle_is_drawn_as_a_circle() {
        let n = 4800;
        let samples: Vec<f32> = (0..n)
            .flat_map(|i| {
                let a = std::f32::consts::TAU * 5.0 * i as f32 / n as f32;
                [0.6 * a.cos(), 0.6 * a.sin()]
            })
            .collect();
        let (rgb, w, map) = render_kind(&samples, 2, 48_000, PlotKind::Xy, draw_xy);
        let (cx, cy) = map.at(0.0, 0.0);
        let r = (map.at(0.6, 0.0).0 - cx) as f64;
        // Every non-white, non-grid pixel of the trace lies on the circle.
        let mut on = 0;
        for y in map.y_px.clone() {
            for x in map.x_px.clone() {
                let p = pixel(&rgb, w, x, y);
                // The trace is blue: blue well above red.
                if p.2 as i32 - p.0 as i32 > 40 {
                    let d = (((x - cx).pow(2) + (y - cy).pow(2)) as f64).sqrt();
                    assert!((d - r).abs() <= 2.0, "pixel ({x},{y}) at {d}, radius {r}");
                    on += 1;
                }
            }
        }
        assert!(
            on as f64 > 3.0 * r,
            "the circle is drawn all round: {on} pixels"
        );
        // The plotting area is square.
        assert_eq!(map.x_px.len(), map.y_px.len());
    }

    #[test]
    fn xyz_spreads_over_an_area() {
        let samples = crate::testing::lorenz(20_000);
        let (rgb, w, (xs, ys)) = render_kind(&samples, 3, 48_000, PlotKind::Xyz, draw_xyz);
        let mut pts = Vec::new();
        for y in ys.clone() {
            for x in xs.clone() {
                let p = pixel(&rgb, w, x, y);
                // The trace's colours are saturated; grid and labels are grey.
                let sat = p.0.max(p.1).max(p.2) as i32 - p.0.min(p.1).min(p.2) as i32;
                if sat > 60 {
                    pts.push((x as f64, y as f64));
                }
            }
        }
        assert!(pts.len() > 2000, "trace pixels: {}", pts.len());
        let (sx, sy) = spread(&pts);
        assert!(sx > 30.0 && sy > 30.0, "spread {sx} × {sy}");
    }

    fn spread(pts: &[(f64, f64)]) -> (f64, f64) {
        let n = pts.len() as f64;
        let (mx, my) = pts
            .iter()
            .fold((0.0, 0.0), |a, p| (a.0 + p.0 / n, a.1 + p.1 / n));
        let (vx, vy) = pts.iter().fold((0.0, 0.0), |a, p| {
            (a.0 + (p.0 - mx).powi(2) / n, a.1 + (p.1 - my).powi(2) / n)
        });
        (vx.sqrt(), vy.sqrt())
    }
}
