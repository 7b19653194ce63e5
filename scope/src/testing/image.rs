//! Decoded screenshots and what the tests measure on them.

use super::Rect;

/// An RGB image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Pixels row by row, three bytes each.
    pub rgb: Vec<u8>,
}

/// How lit points spread: their count and the standard deviations along their
/// principal axes (a line has a tiny minor axis, a dot two tiny ones).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Points counted.
    pub count: usize,
    /// Standard deviation along the direction of greatest spread, in pixels.
    pub major: f64,
    /// Standard deviation across it, in pixels.
    pub minor: f64,
}

impl Image {
    /// Decodes a PNG (8-bit grey, RGB or RGBA) into RGB.
    pub fn decode_png(bytes: &[u8]) -> Result<Image, String> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
        let mut buf = vec![0; reader.output_buffer_size().ok_or("PNG too large")?];
        let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
        let (w, h) = (info.width as usize, info.height as usize);
        let channels = match info.color_type {
            png::ColorType::Grayscale => 1,
            png::ColorType::GrayscaleAlpha => 2,
            png::ColorType::Rgb => 3,
            png::ColorType::Rgba => 4,
            other => return Err(format!("unexpected PNG colour type {other:?}")),
        };
        let mut rgb = Vec::with_capacity(w * h * 3);
        for px in buf[..w * h * channels].chunks_exact(channels) {
            if channels < 3 {
                rgb.extend_from_slice(&[px[0]; 3]);
            } else {
                rgb.extend_from_slice(&px[..3]);
            }
        }
        Ok(Image {
            width: w,
            height: h,
            rgb,
        })
    }

    /// The pixel at (x, y) as [r, g, b].
    pub fn pixel(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.width + x) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    /// The pixels inside `rect` (clipped to the image) for which `lit` holds.
    pub fn lit_points(&self, rect: Rect, lit: impl Fn([u8; 3]) -> bool) -> Vec<(f64, f64)> {
        let x0 = rect.x.max(0.0).round() as usize;
        let y0 = rect.y.max(0.0).round() as usize;
        let x1 = ((rect.x + rect.width).round() as usize).min(self.width);
        let y1 = ((rect.y + rect.height).round() as usize).min(self.height);
        let mut out = Vec::new();
        for y in y0..y1 {
            for x in x0..x1 {
                if lit(self.pixel(x, y)) {
                    out.push((x as f64, y as f64));
                }
            }
        }
        out
    }

    /// Pixels inside `rect` that differ from `other`'s by more than `threshold` (summed
    /// over r, g, b). Both images must have the same size.
    pub fn differing(&self, other: &Image, rect: Rect, threshold: u32) -> usize {
        self.lit_points(rect, |_| true)
            .into_iter()
            .filter(|&(x, y)| {
                let (a, b) = (
                    self.pixel(x as usize, y as usize),
                    other.pixel(x as usize, y as usize),
                );
                (0..3).map(|i| a[i].abs_diff(b[i]) as u32).sum::<u32>() > threshold
            })
            .count()
    }
}

impl Spread {
    /// The spread of `points` by principal components.
    pub fn of(points: &[(f64, f64)]) -> Spread {
        let n = points.len() as f64;
        if points.is_empty() {
            return Spread {
                count: 0,
                major: 0.0,
                minor: 0.0,
            };
        }
        let (mx, my) = points
            .iter()
            .fold((0.0, 0.0), |a, p| (a.0 + p.0 / n, a.1 + p.1 / n));
        let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
        for &(x, y) in points {
            sxx += (x - mx) * (x - mx) / n;
            syy += (y - my) * (y - my) / n;
            sxy += (x - mx) * (y - my) / n;
        }
        // Eigenvalues of the 2×2 covariance matrix.
        let mean = (sxx + syy) / 2.0;
        let d = (((sxx - syy) / 2.0).powi(2) + sxy * sxy).sqrt();
        Spread {
            count: points.len(),
            major: (mean + d).max(0.0).sqrt(),
            minor: (mean - d).max(0.0).sqrt(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_tells_area_from_line_and_dot() {
        let dot = vec![(5.0, 5.0); 50];
        let s = Spread::of(&dot);
        assert!(s.count == 50 && s.major < 1e-9 && s.minor < 1e-9, "{s:?}");
        let line: Vec<(f64, f64)> = (0..100).map(|i| (i as f64, 2.0 * i as f64)).collect();
        let s = Spread::of(&line);
        assert!(s.major > 50.0 && s.minor < 1e-6, "{s:?}");
        let square: Vec<(f64, f64)> = (0..400)
            .map(|i| ((i % 20) as f64, (i / 20) as f64))
            .collect();
        let s = Spread::of(&square);
        assert!((s.major - s.minor).abs() < 1e-6 && s.minor > 5.0, "{s:?}");
        assert_eq!(Spread::of(&[]).count, 0);
    }

    #[test]
    fn decodes_png_and_finds_lit_pixels() {
        let (w, h) = (4u32, 3u32);
        let mut rgba = vec![0u8; (w * h * 4) as usize];
        // One lit pixel at (2, 1).
        let i = ((w + 2) * 4) as usize;
        rgba[i..i + 4].copy_from_slice(&[200, 100, 50, 255]);
        let mut bytes = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut bytes, w, h);
            enc.set_color(png::ColorType::Rgba);
            enc.set_depth(png::BitDepth::Eight);
            enc.write_header().unwrap().write_image_data(&rgba).unwrap();
        }
        let img = Image::decode_png(&bytes).unwrap();
        assert_eq!((img.width, img.height), (4, 3));
        assert_eq!(img.pixel(2, 1), [200, 100, 50]);
        let all = Rect {
            x: 0.0,
            y: 0.0,
            width: 4.0,
            height: 3.0,
        };
        assert_eq!(img.lit_points(all, |p| p[0] > 100), vec![(2.0, 1.0)]);
        let mut other = img.clone();
        assert_eq!(img.differing(&other, all, 10), 0);
        other.rgb[0] = 255;
        assert_eq!(img.differing(&other, all, 10), 1);
        assert!(Image::decode_png(b"not a png").is_err());
    }
}
