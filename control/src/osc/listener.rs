//! The OSC listener: one UDP socket, one thread, every datagram through [`dispatch_packet`].

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::decode::dispatch_packet;
use crate::counters::{OscCounters, OscStats};
use crate::Sink;

/// Room for the largest UDP payload, so no datagram is ever truncated.
const MAX_DATAGRAM: usize = 65_536;

/// How long a read waits before the thread looks at its stop flag again. Stopping sends a
/// wake-up datagram, so this only matters if that datagram is lost.
const POLL: Duration = Duration::from_millis(250);

/// After an unexpected socket error, wait this long before reading again, so a socket that
/// fails on every read cannot spin a core.
const ERROR_BACKOFF: Duration = Duration::from_millis(10);

/// Why the listener could not start; the caller turns it into a warning and plays on.
#[derive(Debug)]
pub enum ListenError {
    /// Another program (often another kanonc, or Tidal's SuperDirt) holds the port.
    InUse(SocketAddr),
    /// The socket could not be bound (no such interface, not permitted, ...).
    Bind(SocketAddr, io::Error),
    /// The socket or the thread could not be set up.
    Setup(io::Error),
}

impl fmt::Display for ListenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListenError::InUse(addr) => write!(
                f,
                "OSC port {addr} is already in use (another kanonc?); OSC control is off: \
                 try --osc with another port"
            ),
            ListenError::Bind(addr, e) => {
                write!(
                    f,
                    "cannot listen for OSC on {addr}: {e}; OSC control is off"
                )
            }
            ListenError::Setup(e) => write!(f, "cannot start the OSC listener: {e}"),
        }
    }
}

impl std::error::Error for ListenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ListenError::InUse(_) => None,
            ListenError::Bind(_, e) | ListenError::Setup(e) => Some(e),
        }
    }
}

/// A running OSC listener; stops (and joins its thread) when dropped.
pub struct OscListener {
    local_addr: SocketAddr,
    counters: Arc<OscCounters>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl OscListener {
    /// Binds `addr` and starts the thread `kanon-osc`, which hands every update to `sink`.
    ///
    /// The sink runs on that thread, once per message, in arrival order.
    pub fn spawn<S: Sink + Send + 'static>(addr: SocketAddr, sink: S) -> Result<Self, ListenError> {
        let socket = UdpSocket::bind(addr).map_err(|e| match e.kind() {
            io::ErrorKind::AddrInUse => ListenError::InUse(addr),
            _ => ListenError::Bind(addr, e),
        })?;
        socket
            .set_read_timeout(Some(POLL))
            .map_err(ListenError::Setup)?;
        let local_addr = socket.local_addr().map_err(ListenError::Setup)?;
        let counters = Arc::new(OscCounters::new());
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::Builder::new()
            .name("kanon-osc".into())
            .spawn({
                let counters = Arc::clone(&counters);
                let stop = Arc::clone(&stop);
                move || listen(socket, sink, &counters, &stop)
            })
            .map_err(ListenError::Setup)?;
        Ok(OscListener {
            local_addr,
            counters,
            stop,
            thread: Some(thread),
        })
    }

    /// The address actually bound (with the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The live counters, to hand to whatever draws the status line.
    pub fn counters(&self) -> Arc<OscCounters> {
        Arc::clone(&self.counters)
    }

    /// The counters as they are now.
    pub fn stats(&self) -> OscStats {
        self.counters.snapshot()
    }

    /// Stops the thread and waits for it; the same as dropping the listener.
    pub fn stop(self) {}
}

impl Drop for OscListener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        wake(self.local_addr);
        if let Some(thread) = self.thread.take() {
            // A panic in the session's sink already ended the thread; nothing to add here.
            let _ = thread.join();
        }
    }
}

fn listen<S: Sink>(socket: UdpSocket, mut sink: S, counters: &OscCounters, stop: &AtomicBool) {
    let mut buf = vec![0u8; MAX_DATAGRAM];
    while !stop.load(Ordering::Relaxed) {
        match socket.recv_from(&mut buf) {
            Ok((len, _from)) => {
                // The stop flag is set before the wake-up datagram is sent.
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                dispatch_packet(&buf[..len], counters, &mut sink);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => {
                counters.record_socket_error();
                std::thread::sleep(ERROR_BACKOFF);
            }
        }
    }
}

/// Sends an empty datagram to the listener so its blocking read returns at once.
fn wake(addr: SocketAddr) {
    // A socket bound to every interface is reached through loopback.
    let target_ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    // Send from loopback when the target is loopback (always, unless an interface was
    // named), so stopping never opens a socket beyond this machine.
    let from: SocketAddr = match (target_ip, target_ip.is_loopback()) {
        (IpAddr::V4(_), true) => (Ipv4Addr::LOCALHOST, 0).into(),
        (IpAddr::V6(_), true) => (Ipv6Addr::LOCALHOST, 0).into(),
        (IpAddr::V4(_), false) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        (IpAddr::V6(_), false) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    // Best effort: if it fails, the read timeout ends the thread a moment later.
    if let Ok(socket) = UdpSocket::bind(from) {
        let _ = socket.send_to(&[], SocketAddr::new(target_ip, addr.port()));
    }
}
