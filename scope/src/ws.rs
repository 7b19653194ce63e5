//! The websocket side: the upgrade handshake and one sending thread per client.
//!
//! The HTTP head is read by [`crate::http`] (so one parser routes every request); this
//! module checks the upgrade headers, answers `101 Switching Protocols` with the key
//! derived by tungstenite, and from then on lets tungstenite frame the messages.
//!
//! A client thread waits on its queue (filled by the drain thread, see [`crate::feed`])
//! and sends each message; between messages it polls the socket for the browser's
//! close or ping with a 1 ms read timeout. A write that stalls for [`WRITE_TIMEOUT`]
//! ends the client: its queue meanwhile fills and the drain thread drops messages for it,
//! never waiting.

use std::io::{self, Write};
use std::net::TcpStream;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use tungstenite::protocol::{Role, WebSocketConfig};
use tungstenite::{Bytes, Message, WebSocket};

use crate::http::{respond_text, Request};

/// How long one message may take to write before the client is given up.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(2);
/// The socket's own write timeout: a blocked write wakes this often to check the total
/// against [`WRITE_TIMEOUT`] (a write that trickles on would otherwise restart its
/// timeout with every byte).
const WRITE_POLL: Duration = Duration::from_millis(250);
/// How long a client thread waits for the next message before checking the socket.
const IDLE_POLL: Duration = Duration::from_millis(100);
/// The read timeout used to poll for client frames without blocking the sends.
const READ_POLL: Duration = Duration::from_millis(1);

/// Checks a `/ws` request's upgrade headers; on success writes the 101 response.
/// On failure answers `400` or `426` and returns `Err`.
pub(crate) fn handshake(stream: &mut TcpStream, req: &Request) -> io::Result<()> {
    let upgrade = req.header_has_token("upgrade", "websocket");
    let connection = req.header_has_token("connection", "upgrade");
    if !upgrade || !connection {
        respond_text(
            stream,
            "426 Upgrade Required",
            "this is the scope's websocket: connect with a websocket client\n",
        )?;
        return Err(io::Error::other("not a websocket upgrade"));
    }
    let key = req.header("sec-websocket-key").unwrap_or("");
    if req.header("sec-websocket-version") != Some("13") || key.is_empty() {
        respond_text(
            stream,
            "400 Bad Request",
            "websocket version 13 with a Sec-WebSocket-Key is required\n",
        )?;
        return Err(io::Error::other("bad websocket handshake"));
    }
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    write!(
        stream,
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {accept}\r\n\r\n"
    )?;
    stream.flush()
}

/// Sends queued messages to one client until it goes away or the queue closes.
pub(crate) fn serve_client(stream: TcpStream, queue: Receiver<Bytes>) {
    // Small frames, sent as soon as they are ready.
    let _ = stream.set_nodelay(true);
    if stream.set_write_timeout(Some(WRITE_POLL)).is_err()
        || stream.set_read_timeout(Some(READ_POLL)).is_err()
    {
        return;
    }
    // The browser sends nothing but control frames: keep its messages small.
    let config = WebSocketConfig::default()
        .max_message_size(Some(64 << 10))
        .max_frame_size(Some(64 << 10));
    let mut ws = WebSocket::from_raw_socket(stream, Role::Server, Some(config));
    loop {
        match queue.recv_timeout(IDLE_POLL) {
            Ok(msg) => {
                if !send(&mut ws, msg) {
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                // The server is shutting down: say goodbye, briefly.
                let _ = ws.close(None);
                let _ = ws.flush();
                return;
            }
        }
        if !poll_client(&mut ws) {
            return;
        }
    }
}

/// Sends one message within [`WRITE_TIMEOUT`]; false if the client failed or stalled.
fn send(ws: &mut WebSocket<TcpStream>, msg: Bytes) -> bool {
    let start = Instant::now();
    // A timed-out write leaves the rest of the frame in tungstenite's buffer; flushing
    // again carries on where it stopped.
    let mut result = ws.send(Message::Binary(msg));
    loop {
        match result {
            Ok(()) => return true,
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) && start.elapsed() < WRITE_TIMEOUT =>
            {
                result = ws.flush();
            }
            Err(_) => return false,
        }
    }
}

/// Reads whatever the client sent; false once the connection is over.
fn poll_client(ws: &mut WebSocket<TcpStream>) -> bool {
    loop {
        match ws.read() {
            // tungstenite queues the pong and the close reply; they go out with the next
            // flush, which `send` does, or here for a close.
            Ok(Message::Close(_)) => {
                let _ = ws.flush();
                return false;
            }
            Ok(Message::Ping(_)) => {
                // Answer now: with no audio flowing there may be no send to carry it.
                let _ = ws.flush();
            }
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return true;
            }
            Err(_) => return false,
        }
    }
}
