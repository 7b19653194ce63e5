//! Test helpers (feature `test-support`): a synthetic real-time feed, headless Chromium
//! driven over the DevTools protocol, and PNG pixel statistics.
//!
//! Used by this crate's browser test and meant for the end-to-end test against
//! `kanonc run --scope`: enable with
//! `kanon-scope = { workspace = true, features = ["test-support"] }` in dev-dependencies.

mod chromium;
mod feed;
mod image;

pub use chromium::{find_chromium, Browser, BrowserError, Page, Rect};
pub use feed::{lorenz, Feed};
pub use image::{Image, Spread};
