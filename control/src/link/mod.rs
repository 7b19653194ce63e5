//! Tempo sync with Ableton Link: Link's beats as kanonc's cycles.
//!
//! [`Follower`] (when to re-anchor the engine's clock, from the control thread) and
//! [`mapping`](LinkMapping) are always compiled: a pure function from a session state
//! (anything implementing [`LinkTimeline`]) to a [`CycleClock`], tested against a model of
//! Link's timeline. The real session (`LinkSession`, `LinkAudio`) needs the cargo
//! feature `link`, which builds Link's C++ through the `rusty_link` crate: it needs
//! `cmake`, a C++ compiler and `libclang-dev`, and Link is GPL-2.0-or-later, so a binary
//! built with the feature is distributed under the GPL.

mod follow;
mod line;
mod mapping;
#[cfg(feature = "link")]
mod session;

pub use follow::{Anchor, Follower, FrameClock, Step, DEFAULT_TOLERANCE_S};
pub use line::TempoLine;
pub use mapping::{BadMapping, CycleClock, LinkMapping, LinkTimeline, Transport};
#[cfg(feature = "link")]
pub use session::{LinkAudio, LinkSession};
