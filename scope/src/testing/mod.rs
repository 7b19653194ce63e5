//! Test helpers (feature `test-support`): a synthetic real-time feed, headless Chromium
//! driven over the DevTools protocol, and PNG pixel statistics.
//!
//! Used by this crate's browser test and meant for the end-to-end test against
//! `kanonc run --scope`: enable with
//! `kanon-scope = { workspace = true, features = ["test-support"] }` in dev-dependencies.
//!
//! The pattern (see `tests/browser.rs` for the full checks):
//!
//! ```no_run
//! use kanon_scope::testing::{Browser, Image, Spread};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let Some(browser) = Browser::launch(1200, 800)? else {
//!     eprintln!("note: chromium not installed; skipped");
//!     return Ok(());
//! };
//! let mut page = browser.open("http://127.0.0.1:7771/")?;
//! // Never a fixed sleep: the page counts the frames it drew with data.
//! page.wait_until("Number(document.body.dataset.frames) >= 30", std::time::Duration::from_secs(20))?;
//! let shot = Image::decode_png(&page.screenshot()?)?;
//! let xyz = page.rect("#view-xyz canvas")?;
//! let lit = shot.lit_points(xyz, |p| p[1] >= 70); // phosphor green above the background
//! let spread = Spread::of(&lit);
//! assert!(spread.minor > 6.0, "an area, not a line: {spread:?}");
//! # Ok(()) }
//! ```
//!
//! Chromium here: `apt-get install -y chromium` (run as root it needs `--no-sandbox`,
//! which [`Browser::launch`] passes). `KANON_CHROMIUM` names another executable.

mod chromium;
mod feed;
mod image;

pub use chromium::{find_chromium, Browser, BrowserError, Page, Rect};
pub use feed::{lorenz, Feed};
pub use image::{Image, Spread};
