//! Seeing the signal: a live oscilloscope in the browser, and PNG plots of rendered audio.
//!
//! # The live scope
//!
//! `kanonc run --scope [[ADDR:]PORT]` taps the engine's output: the audio thread copies
//! each block's interleaved f32 frames into an [`rtrb`] ring with [`push_frames`]
//! (allocation-free, whole frames only, drops what does not fit), and a
//! [`ScopeServer`] drains the other end and serves it:
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let (channels, sample_rate) = (3, 48_000);
//! let addr = kanon_scope::DEFAULT_ADDR; // 127.0.0.1:7771
//! let (mut producer, consumer) = kanon_scope::ring(channels, sample_rate);
//! let server = kanon_scope::ScopeServer::start(addr, channels, sample_rate, consumer)?;
//! eprintln!("scope: {}", server.url());
//! // In the audio callback, after rendering `block` (interleaved, `channels` wide):
//! # let block = [0.0f32; 768];
//! kanon_scope::push_frames(&mut producer, &block, channels);
//! // On exit (or just drop it):
//! server.shutdown();
//! # Ok(()) }
//! ```
//!
//! The server is plain threads and blocking sockets (no async runtime):
//!
//! - one drain thread empties the ring every 5 ms whether or not anyone watches, and cuts
//!   the stream into messages of 1/60 s of audio (800 frames at 48 kHz);
//! - an accept thread hands each connection to its own thread, which serves one HTTP
//!   request (`/` the page, `/scope.js`, `/scope.css`, `/stats` as JSON) or, for `/ws`,
//!   becomes that websocket client's sender;
//! - each client has a queue of four messages; when it is full (a slow or stalled
//!   browser) new messages are dropped for that client only. The drain never waits on a
//!   client and the audio thread never waits on the drain, so losing the browser changes
//!   nothing upstream.
//!
//! Requests must name an IP address or `localhost` in `Host`, and a websocket request
//! that carries an `Origin` must come from the page itself, so other web sites open in
//! the same browser cannot listen in.
//!
//! ## Wire format
//!
//! Each websocket message is binary: a 24-byte little-endian header (`KSC1`, channels,
//! stride, sample rate, frame count, index of the first frame), then the frames'
//! samples as interleaved little-endian f32. Above 2048 frames per message (sample
//! rates over ~120 kHz) every `stride`-th frame is sent. The table is in [`wire`];
//! [`decode_frame`] reads a message.
//!
//! ## The page
//!
//! Drawn with canvas at the display's frame rate, no libraries: **wave** (every channel
//! in its lane, triggered on channel 1's rising zero crossing), **xy** (o1 against o2 on a
//! fading phosphor screen) and **xyz** (o1/o2/o3 in a rotatable perspective view, turning
//! slowly by itself, o3 also as beam brightness). One channel shows wave; two show wave
//! and xy; three or more wave and xyz. Controls: views, timebase, gain, persistence,
//! spin, fit. It reconnects by itself when the server restarts. The URL can preset
//! everything: `?views=wave,xy,xyz&time=20&gain=2&persist=0.5&spin=0&fit=0`.
//!
//! # Plots
//!
//! [`plot_png`] draws interleaved samples as a PNG: [`PlotKind::Wave`] (each channel
//! against time), [`PlotKind::Spectrum`] (Welch-averaged Hann-windowed magnitude in dBFS
//! over log frequency), [`PlotKind::Spectrogram`] (time × log frequency, colour for
//! level), [`PlotKind::Xy`] (o1 against o2) and [`PlotKind::Xyz`] (a fixed 3D view of
//! o1/o2/o3). The font is bundled, so a plot is the same pixels on every machine:
//!
//! ```no_run
//! use kanon_scope::{plot_png, PlotKind, PlotSpec};
//! # let samples = vec![0.0f32; 96_000];
//! let png = plot_png(&samples, 2, 48_000, &PlotSpec::new(PlotKind::Spectrum))?;
//! std::fs::write("spectrum.png", png)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod addr;
mod feed;
mod http;
mod page;
pub mod plot;
mod server;
mod tap;
#[cfg(feature = "test-support")]
#[doc(hidden)]
pub mod testing;
pub mod wire;
mod ws;

pub use addr::{DEFAULT_ADDR, DEFAULT_PORT};
pub use feed::{CLIENT_QUEUE, DRAIN_INTERVAL, MAX_FRAMES_PER_MESSAGE, MESSAGES_PER_SECOND};
pub use plot::{plot_png, write_plot, PlotError, PlotKind, PlotSpec};
pub use server::{ScopeError, ScopeServer, ScopeStats, MAX_CONNECTIONS};
pub use tap::{push_frames, ring, RING_SECONDS};
pub use wire::{decode_frame, FrameHeader, WireError};
pub use ws::WRITE_TIMEOUT;
