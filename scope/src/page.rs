//! The browser page, embedded in the binary: no external resources, no libraries.
//!
//! `page/index.html` lays out the views and controls, `page/scope.js` connects to `/ws`
//! and draws, `page/scope.css` styles it. The views (each can be switched on and off):
//!
//! - **wave**: every channel in its own lane, ±1 full scale times the gain, over the
//!   chosen timebase. A trigger on channel 1's rising zero crossing (with hysteresis, to
//!   a fraction of a sample) holds a periodic signal still; without a crossing the view
//!   runs free and says `auto`.
//! - **xy**: o1 across, o2 up, drawn like a phosphor screen: each display frame the
//!   screen fades (the *persistence* control is the time to fade to 1/e) and the beam
//!   draws the samples that arrived since the last frame; a fast beam is dimmer.
//! - **xyz**: o1, o2, o3 as a point in space (o3 up), projected in perspective; drag to
//!   rotate, and it turns slowly by itself (the *spin* control). o3 also sets the beam's
//!   brightness, as osci-render does with its Z input.
//!
//! Defaults by channel count: 1 → wave; 2 → wave + xy; 3 or more → wave + xyz. With *fit*
//! on (the default), xy and xyz centre and scale themselves to the signal's recent
//! extent, so an attractor whose z runs from 0 to 1.5 still sits in the middle.
//!
//! The URL can set the initial state: `?views=wave,xy,xyz&time=20&gain=2&persist=0.3`
//! (`time` in ms, `persist` in s; also `spin=0`, `fit=0`). The page reconnects by
//! itself, every second, when the server goes away.
//!
//! For tests the page reports on `<body>`: `data-frames` (display frames drawn with
//! data), `data-messages` (messages received), `data-status` (`connecting`, `live`,
//! `reconnecting`), `data-views` (the views shown, comma-separated), `data-connects`
//! (successful connections so far), and `data-trigger` (`trig` or `auto`).

/// The page.
const INDEX_HTML: &str = include_str!("page/index.html");
/// The drawing code.
const SCOPE_JS: &str = include_str!("page/scope.js");
/// The style sheet.
const SCOPE_CSS: &str = include_str!("page/scope.css");

/// The content type and bytes served at `path`, if it is one of the page's files.
pub(crate) fn asset(path: &str) -> Option<(&'static str, &'static [u8])> {
    match path {
        "/" | "/index.html" => Some(("text/html; charset=utf-8", INDEX_HTML.as_bytes())),
        "/scope.js" => Some(("text/javascript; charset=utf-8", SCOPE_JS.as_bytes())),
        "/scope.css" => Some(("text/css; charset=utf-8", SCOPE_CSS.as_bytes())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_the_three_files_and_nothing_else() {
        assert!(asset("/").unwrap().0.starts_with("text/html"));
        assert_eq!(asset("/index.html"), asset("/"));
        assert!(asset("/scope.js").unwrap().0.starts_with("text/javascript"));
        assert!(asset("/scope.css").unwrap().0.starts_with("text/css"));
        assert_eq!(asset("/nope"), None);
        assert_eq!(asset("/../Cargo.toml"), None);
    }

    #[test]
    fn the_page_loads_nothing_from_elsewhere() {
        for text in [INDEX_HTML, SCOPE_JS, SCOPE_CSS] {
            for needle in [
                "http://",
                "https://",
                "//cdn",
                "@import",
                "<script src=\"http",
            ] {
                assert!(!text.contains(needle), "external reference {needle}");
            }
        }
        assert!(INDEX_HTML.contains("src=\"scope.js\""));
        assert!(INDEX_HTML.contains("href=\"scope.css\""));
    }
}
