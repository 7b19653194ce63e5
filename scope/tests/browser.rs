//! The scope page in a real browser: headless Chromium, driven over DevTools, draws what
//! the server streams from a real rtrb ring fed by a producer thread; the screenshots'
//! pixels are checked. Skipped, with a note, when Chromium is not installed.
//!
//! One test function on purpose: one browser for every scenario keeps it within a few
//! seconds, and Chromium instances started in parallel would fight over two cores.

use std::time::Duration;

use kanon_scope::testing::{Browser, Feed, Image, Page, Rect, Spread};
use kanon_scope::{ring, ScopeServer};

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 800;
/// Generous: the machine may be busy; every wait polls and returns as soon as it can.
const WAIT: Duration = Duration::from_secs(20);
const RATE: u32 = 48_000;

/// Display frames drawn with data so far.
fn frames(page: &mut Page) -> u64 {
    page.eval("Number(document.body.dataset.frames)")
        .unwrap()
        .as_u64()
        .unwrap_or(0)
}

/// Waits until `n` more display frames were drawn with data, then screenshots.
fn shot_after_frames(page: &mut Page, n: u64) -> Image {
    let target = frames(page) + n;
    page.wait_until(
        &format!("Number(document.body.dataset.frames) >= {target}"),
        WAIT,
    )
    .unwrap();
    Image::decode_png(&page.screenshot().unwrap()).unwrap()
}

fn save(img_png: &Image, name: &str) {
    // Kept for eyes when a check fails: target/scope-browser/NAME.png.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("scope-browser");
    let _ = std::fs::create_dir_all(&dir);
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, img_png.width as u32, img_png.height as u32);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&img_png.rgb).unwrap();
    }
    let _ = std::fs::write(dir.join(format!("{name}.png")), out);
}

/// A trace pixel in the wave view: one of the bright channel colours, not the dim grid.
fn wave_lit(p: [u8; 3]) -> bool {
    p.iter().copied().max().unwrap() >= 120
}

/// A lit phosphor pixel: well above the dark background's green.
fn phosphor_lit(p: [u8; 3]) -> bool {
    p[1] >= 70
}

/// `rect` without a margin of `m` pixels (labels, the orientation gizmo).
fn inset(r: Rect, m: f64) -> Rect {
    Rect {
        x: r.x + m,
        y: r.y + m,
        width: r.width - 2.0 * m,
        height: r.height - 2.0 * m,
    }
}

fn check_wave_lanes(img: &Image, rect: Rect, channels: usize, what: &str) {
    let lane_h = rect.height / channels as f64;
    for c in 0..channels {
        // Skip the lane's label corner.
        let lane = Rect {
            x: rect.x + 40.0,
            y: rect.y + c as f64 * lane_h + 2.0,
            width: rect.width - 44.0,
            height: lane_h - 4.0,
        };
        let lit = img.lit_points(lane, wave_lit);
        // A trace crosses the lane: at least one lit pixel per two columns.
        assert!(
            lit.len() as f64 >= lane.width / 2.0,
            "{what}: lane o{} has {} lit pixels over {} columns",
            c + 1,
            lit.len(),
            lane.width
        );
        let s = Spread::of(&lit);
        assert!(
            s.major > lane.width / 5.0,
            "{what}: lane o{} trace too short: {s:?}",
            c + 1
        );
    }
}

fn check_area(img: &Image, rect: Rect, what: &str) -> Spread {
    // Leave out the border and the orientation gizmo in the bottom-left corner.
    let lit: Vec<(f64, f64)> = img
        .lit_points(inset(rect, 8.0), phosphor_lit)
        .into_iter()
        .filter(|&(x, y)| !(x < rect.x + 80.0 && y > rect.y + rect.height - 80.0))
        .collect();
    let s = Spread::of(&lit);
    let side = rect.width.min(rect.height);
    assert!(
        s.count as f64 > 0.002 * rect.width * rect.height,
        "{what}: only {} lit pixels",
        s.count
    );
    // Not a dot, not a line: spread along both principal axes.
    assert!(s.major > side * 0.08, "{what}: no spread {s:?}");
    // A drawn line is one or two pixels thick: its minor spread is under a pixel.
    assert!(
        s.minor > 6.0 && s.minor > 0.12 * s.major,
        "{what}: lit pixels lie on a line {s:?}"
    );
    s
}

#[test]
fn scope_page_draws_in_chromium() {
    let started = std::time::Instant::now();
    let browser = match Browser::launch(WIDTH, HEIGHT) {
        Ok(Some(b)) => b,
        Ok(None) => {
            eprintln!(
                "note: chromium not installed (apt-get install chromium); browser test skipped"
            );
            return;
        }
        Err(e) => panic!("chromium would not start: {e}"),
    };

    // 1. Three channels of Lorenz through a real ring: wave + xyz by default.
    let (producer, consumer) = ring(3, RATE);
    let server = ScopeServer::start("127.0.0.1:0".parse().unwrap(), 3, RATE, consumer).unwrap();
    let addr = server.local_addr();
    let feed = Feed::lorenz(producer, RATE);
    let mut page = browser.open(&server.url()).unwrap();
    page.wait_until("document.body.dataset.status === 'live'", WAIT)
        .unwrap();
    let img = shot_after_frames(&mut page, 30);
    save(&img, "lorenz-default");
    assert_eq!(
        page.eval("document.body.dataset.views").unwrap(),
        "wave,xyz"
    );
    let wave = page.rect("#view-wave canvas").unwrap();
    let xyz = page.rect("#view-xyz canvas").unwrap();
    check_wave_lanes(&img, wave, 3, "lorenz wave");
    check_area(&img, xyz, "lorenz xyz");
    // The background stays dark: the screen is not simply filled.
    let total = (xyz.width * xyz.height) as usize;
    assert!(
        img.lit_points(xyz, phosphor_lit).len() < total / 2,
        "xyz mostly lit"
    );

    // The xyz view turns by itself: a second look differs.
    let yaw0 = page.eval("kanonScope.state.yaw").unwrap().as_f64().unwrap();
    let img2 = shot_after_frames(&mut page, 20);
    let yaw1 = page.eval("kanonScope.state.yaw").unwrap().as_f64().unwrap();
    assert!(yaw1 > yaw0, "auto-rotation: yaw {yaw0} -> {yaw1}");
    assert!(
        img.differing(&img2, inset(xyz, 60.0), 60) > 100,
        "xyz did not change"
    );

    // Dragging rotates it.
    page.eval("kanonScope.state.spin = false").unwrap();
    let before = page.eval("kanonScope.state.yaw").unwrap().as_f64().unwrap();
    let (cx, cy) = (xyz.x + xyz.width / 2.0, xyz.y + xyz.height / 2.0);
    for (kind, x) in [
        ("mousePressed", cx),
        ("mouseMoved", cx + 100.0),
        ("mouseReleased", cx + 100.0),
    ] {
        page.call(
            "Input.dispatchMouseEvent",
            serde_json::json!({"type": kind, "x": x, "y": cy, "button": "left", "buttons": 1, "clickCount": 1}),
        )
        .unwrap();
    }
    let after = page.eval("kanonScope.state.yaw").unwrap().as_f64().unwrap();
    assert!(
        (after - before - 1.0).abs() < 0.05,
        "drag of 100 px turns 1 rad: {before} -> {after}"
    );

    // 2. Every view at once, chosen in the URL.
    page.navigate(&format!("{}?views=wave,xy,xyz&persist=0.5", server.url()))
        .unwrap();
    page.wait_until("document.body.dataset.views === 'wave,xy,xyz'", WAIT)
        .unwrap();
    let img = shot_after_frames(&mut page, 30);
    save(&img, "lorenz-all-views");
    check_wave_lanes(
        &img,
        page.rect("#view-wave canvas").unwrap(),
        3,
        "all: wave",
    );
    check_area(&img, page.rect("#view-xy canvas").unwrap(), "all: xy");
    check_area(&img, page.rect("#view-xyz canvas").unwrap(), "all: xyz");

    // 3. The server goes away and comes back on the same port: the page reconnects.
    drop(feed);
    server.shutdown();
    page.wait_until("document.body.dataset.status === 'reconnecting'", WAIT)
        .unwrap();
    let connects: u64 = page
        .eval("Number(document.body.dataset.connects)")
        .unwrap()
        .as_u64()
        .unwrap();
    let (producer, consumer) = ring(2, RATE);
    let server = ScopeServer::start(addr, 2, RATE, consumer).unwrap();
    // Two channels this time: a 220 Hz sine and cosine, a circle in xy.
    let feed = Feed::sines(
        producer,
        RATE,
        &[(220.0, 0.0), (220.0, std::f64::consts::FRAC_PI_2)],
    );
    page.wait_until(
        &format!("Number(document.body.dataset.connects) > {connects}"),
        WAIT,
    )
    .unwrap();
    page.wait_until("document.body.dataset.status === 'live'", WAIT)
        .unwrap();
    // The URL still chooses all three views; load the page plainly for the defaults.
    page.navigate(&server.url()).unwrap();
    page.wait_until("document.body.dataset.views === 'wave,xy'", WAIT)
        .unwrap();
    let img = shot_after_frames(&mut page, 30);
    save(&img, "circle-default");
    let wave = page.rect("#view-wave canvas").unwrap();
    let xy = page.rect("#view-xy canvas").unwrap();
    check_wave_lanes(&img, wave, 2, "circle wave");
    let s = check_area(&img, xy, "circle xy");
    assert!(s.minor > 0.7 * s.major, "a circle spreads evenly: {s:?}");
    assert_eq!(page.eval("document.body.dataset.trigger").unwrap(), "trig");

    // 4. Triggered, the display holds still: two looks a few frames apart draw the sine
    // in the same place. (Free-running, a 220 Hz sine would land anywhere.)
    let later = shot_after_frames(&mut page, 15);
    save(&later, "circle-later");
    let lit = img.lit_points(wave, wave_lit).len();
    let moved = img.differing(&later, wave, 120);
    assert!(
        (moved as f64) < 0.1 * lit as f64,
        "triggered wave moved: {moved} of {lit} trace pixels differ"
    );
    drop(feed);
    drop(server);

    // 5. One channel: wave only; and the page's own helpers.
    let (producer, consumer) = ring(1, RATE);
    let server = ScopeServer::start("127.0.0.1:0".parse().unwrap(), 1, RATE, consumer).unwrap();
    let _feed = Feed::sines(producer, RATE, &[(440.0, 0.0)]);
    page.navigate(&server.url()).unwrap();
    page.wait_until("document.body.dataset.views === 'wave'", WAIT)
        .unwrap();
    let img = shot_after_frames(&mut page, 20);
    save(&img, "sine-default");
    check_wave_lanes(
        &img,
        page.rect("#view-wave canvas").unwrap(),
        1,
        "sine wave",
    );
    assert_eq!(
        page.eval("JSON.stringify([1, 2, 3, 8].map(kanonScope.defaultViews))")
            .unwrap(),
        r#"[["wave"],["wave","xy"],["wave","xyz"],["wave","xyz"]]"#
    );
    // A sampled sine crossing zero upwards at 2.5 samples in: found to the fraction.
    let t = page
        .eval("kanonScope.findRising(i => Math.sin((i - 2.5) * 0.3), 0, 30, 0.01)")
        .unwrap()
        .as_f64()
        .unwrap();
    assert!((t - 23.444).abs() < 0.01, "latest rising crossing at {t}");
    assert_eq!(
        page.eval("kanonScope.findRising(i => 0.5, 0, 100, 0.01)")
            .unwrap(),
        -1,
        "no crossing, no trigger"
    );
    assert_eq!(
        page.eval("kanonScope.decode(new ArrayBuffer(10))").unwrap(),
        serde_json::Value::Null
    );
    eprintln!("browser test took {:.1} s", started.elapsed().as_secs_f64());
}
