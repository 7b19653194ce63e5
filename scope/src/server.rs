//! The scope server: threads, not async.
//!
//! - `scope-feed` drains the ring into messages ([`crate::feed`]);
//! - `scope-accept` accepts connections and gives each its own `scope-conn` thread, which
//!   answers one HTTP request ([`crate::http`]) or, for `/ws`, becomes that client's
//!   sending thread ([`crate::ws`]).
//!
//! Nothing here can block the drain: the only lock it shares is the short one around the
//! client list. At most [`MAX_CONNECTIONS`] connections are open at once; further ones
//! are closed on accept.

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use rtrb::Consumer;

use crate::feed::{drain, Batcher, Clients, Counters};
use crate::http::{self, HeadError, Request};
use crate::page;
use crate::wire::MAX_CHANNELS;
use crate::ws;

/// The most connections (page loads and websockets together) served at once.
pub const MAX_CONNECTIONS: usize = 64;
/// How long a connection may take to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the server could not start.
#[derive(Debug)]
pub enum ScopeError {
    /// The channel count is 0 or above [`MAX_CHANNELS`].
    Channels(usize),
    /// The sample rate is 0.
    SampleRate,
    /// The address could not be bound (in use, not local, no permission).
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the system said.
        source: io::Error,
    },
    /// A server thread could not be started.
    Thread(io::Error),
}

impl fmt::Display for ScopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScopeError::Channels(n) => {
                write!(f, "the scope shows 1 to {MAX_CHANNELS} channels, not {n}")
            }
            ScopeError::SampleRate => write!(f, "the scope needs a sample rate above 0"),
            ScopeError::Bind { addr, source } => {
                write!(f, "cannot serve the scope on {addr}: {source}")?;
                if source.kind() == io::ErrorKind::AddrInUse {
                    write!(f, " (choose another port with --scope PORT)")?;
                }
                Ok(())
            }
            ScopeError::Thread(e) => write!(f, "cannot start the scope server: {e}"),
        }
    }
}

impl std::error::Error for ScopeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ScopeError::Bind { source, .. } | ScopeError::Thread(source) => Some(source),
            _ => None,
        }
    }
}

/// A snapshot of the server's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScopeStats {
    /// Frames taken out of the ring since the start.
    pub frames_drained: u64,
    /// Messages cut from them (each offered to every client).
    pub messages: u64,
    /// Messages not delivered to a client because its queue was full.
    pub dropped_messages: u64,
    /// Websocket clients connected now.
    pub clients: usize,
    /// Connections accepted since the start (page loads and websockets).
    pub connections: u64,
}

struct Shared {
    channels: usize,
    sample_rate: u32,
    clients: Clients,
    counters: Counters,
    stop: AtomicBool,
}

impl Shared {
    fn stats(&self) -> ScopeStats {
        let c = &self.counters;
        ScopeStats {
            frames_drained: c.frames_drained.load(Ordering::Relaxed),
            messages: c.messages.load(Ordering::Relaxed),
            dropped_messages: c.dropped_messages.load(Ordering::Relaxed),
            clients: self.clients.count(),
            connections: c.connections.load(Ordering::Relaxed),
        }
    }
}

/// A running scope server; dropping it (or [`ScopeServer::shutdown`]) stops it.
pub struct ScopeServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
    feed: Option<JoinHandle<()>>,
}

impl ScopeServer {
    /// Binds `addr` and starts serving the page and the stream of `consumer`, which holds
    /// interleaved frames of `channels` channels at `sample_rate` Hz.
    ///
    /// Returns once the socket is bound: a browser can connect right away. The ring is
    /// drained every [`crate::DRAIN_INTERVAL`] from then on, watched or not, so it should
    /// hold well over that (tens of milliseconds at least; [`crate::ring`] makes one of
    /// [`crate::RING_SECONDS`]). The producer must push whole frames
    /// ([`crate::push_frames`]) or the channels would shift after a drop.
    ///
    /// Any address can be given; only a loopback one keeps the stream on this machine.
    pub fn start(
        addr: SocketAddr,
        channels: usize,
        sample_rate: u32,
        consumer: Consumer<f32>,
    ) -> Result<ScopeServer, ScopeError> {
        if channels == 0 || channels > MAX_CHANNELS {
            return Err(ScopeError::Channels(channels));
        }
        if sample_rate == 0 {
            return Err(ScopeError::SampleRate);
        }
        let listener =
            TcpListener::bind(addr).map_err(|source| ScopeError::Bind { addr, source })?;
        let local = listener
            .local_addr()
            .map_err(|source| ScopeError::Bind { addr, source })?;
        let shared = Arc::new(Shared {
            channels,
            sample_rate,
            clients: Clients::default(),
            counters: Counters::default(),
            stop: AtomicBool::new(false),
        });
        let feed = {
            let shared = shared.clone();
            let batcher = Batcher::new(channels, sample_rate);
            std::thread::Builder::new()
                .name("scope-feed".into())
                .spawn(move || {
                    drain(
                        consumer,
                        batcher,
                        &shared.clients,
                        &shared.counters,
                        &shared.stop,
                    )
                })
                .map_err(ScopeError::Thread)?
        };
        let accept = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("scope-accept".into())
                .spawn(move || accept_loop(listener, shared))
        };
        let mut server = ScopeServer {
            addr: local,
            shared,
            accept: None,
            feed: Some(feed),
        };
        match accept {
            Ok(h) => server.accept = Some(h),
            Err(e) => {
                server.stop();
                return Err(ScopeError::Thread(e));
            }
        }
        Ok(server)
    }

    /// The address actually bound (tells the port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The page's address, e.g. `http://127.0.0.1:7771/` (loopback for a wildcard bind).
    pub fn url(&self) -> String {
        format!("http://{}/", connectable(self.addr))
    }

    /// The server's counters now.
    pub fn stats(&self) -> ScopeStats {
        self.shared.stats()
    }

    /// Stops serving: closes every websocket, stops draining, releases the port.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if self.shared.stop.swap(true, Ordering::AcqRel) {
            return;
        }
        // The accept loop is blocked in accept(): a connection of our own wakes it.
        let woke = TcpStream::connect_timeout(&connectable(self.addr), Duration::from_secs(1));
        if let Some(h) = self.feed.take() {
            let _ = h.join();
        }
        if let Some(h) = self.accept.take() {
            // Without the wake-up connection it could wait forever; leave it detached.
            if woke.is_ok() {
                let _ = h.join();
            }
        }
    }
}

impl Drop for ScopeServer {
    fn drop(&mut self) {
        self.stop();
    }
}

impl fmt::Debug for ScopeServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScopeServer")
            .field("addr", &self.addr)
            .field("channels", &self.shared.channels)
            .field("sample_rate", &self.shared.sample_rate)
            .finish()
    }
}

/// The address to connect to for a bound address (a wildcard bind is reached on loopback).
fn connectable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), addr.port())
        }
        _ => addr,
    }
}

/// Decrements the open-connection count when a connection thread ends.
struct OpenGuard(Arc<Shared>);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0
            .counters
            .open_connections
            .fetch_sub(1, Ordering::AcqRel);
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for conn in listener.incoming() {
        if shared.stop.load(Ordering::Acquire) {
            return;
        }
        let stream = match conn {
            Ok(s) => s,
            Err(_) => {
                // Out of descriptors or an aborted handshake: back off instead of spinning.
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        let open = &shared.counters.open_connections;
        if open.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::AcqRel);
            drop(stream);
            continue;
        }
        shared.counters.connections.fetch_add(1, Ordering::Relaxed);
        let guard = OpenGuard(shared.clone());
        let spawned = std::thread::Builder::new()
            .name("scope-conn".into())
            .spawn(move || {
                let shared = guard.0.clone();
                handle_connection(stream, &shared);
                drop(guard);
            });
        // On failure the closure (and its guard and stream) is dropped: counted down, closed.
        drop(spawned);
    }
}

fn handle_connection(mut stream: TcpStream, shared: &Shared) {
    if stream.set_read_timeout(Some(HEAD_TIMEOUT)).is_err()
        || stream.set_write_timeout(Some(HEAD_TIMEOUT)).is_err()
    {
        return;
    }
    let req = match http::read_request(&mut stream) {
        Ok(r) => r,
        Err(HeadError::Malformed(why)) => {
            let _ = http::respond_text(&mut stream, "400 Bad Request", &format!("{why}\n"));
            return;
        }
        Err(HeadError::Closed) => return,
    };
    let _ = route(stream, &req, shared);
}

fn route(mut stream: TcpStream, req: &Request, shared: &Shared) -> io::Result<()> {
    if let Some(host) = req.header("host") {
        if !http::host_is_literal(host) {
            return http::respond_text(
                &mut stream,
                "403 Forbidden",
                "the scope answers only to an IP address or localhost in the Host header\n",
            );
        }
    }
    let head_only = req.method == "HEAD";
    let get_like = req.method == "GET" || head_only;
    if req.path == "/ws" {
        if req.method != "GET" {
            return http::respond(
                &mut stream,
                "405 Method Not Allowed",
                "text/plain",
                b"",
                false,
                &[("Allow", "GET")],
            );
        }
        if !http::origin_allowed(req) {
            return http::respond_text(
                &mut stream,
                "403 Forbidden",
                "the scope's stream is only for its own page\n",
            );
        }
        ws::handshake(&mut stream, req)?;
        let queue = shared.clients.add();
        ws::serve_client(stream, queue);
        return Ok(());
    }
    let body: Option<(&str, Vec<u8>)> = if req.path == "/stats" {
        Some(("application/json", stats_json(shared).into_bytes()))
    } else {
        page::asset(&req.path).map(|(ct, bytes)| (ct, bytes.to_vec()))
    };
    match body {
        Some((content_type, bytes)) if get_like => {
            http::respond(&mut stream, "200 OK", content_type, &bytes, head_only, &[])
        }
        Some(_) => http::respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"",
            false,
            &[("Allow", "GET, HEAD")],
        ),
        None => http::respond_text(&mut stream, "404 Not Found", "not found: try /\n"),
    }
}

fn stats_json(shared: &Shared) -> String {
    let s = shared.stats();
    format!(
        "{{\"channels\":{},\"sample_rate\":{},\"frames_drained\":{},\"messages\":{},\
         \"dropped_messages\":{},\"clients\":{},\"connections\":{}}}\n",
        shared.channels,
        shared.sample_rate,
        s.frames_drained,
        s.messages,
        s.dropped_messages,
        s.clients,
        s.connections
    )
}
