//! The scope server over real loopback sockets: HTTP routes, the websocket stream,
//! several clients, stalled and vanished clients, shutdown, and start-up errors.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use kanon_scope::{decode_frame, push_frames, ring, ScopeError, ScopeServer, MAX_CONNECTIONS};
use tungstenite::Message;

const WAIT: Duration = Duration::from_secs(20);

fn any_port() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// Sends raw request bytes, returns the whole response (the server closes after one).
fn raw(addr: SocketAddr, request: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn get(addr: SocketAddr, path: &str) -> String {
    raw(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
    )
}

fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < WAIT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Frame `f` of the test pattern: three exactly representable values.
fn pattern(f: u64) -> [f32; 3] {
    [f as f32, -(f as f32), (f % 1000) as f32 * 0.5]
}

/// Pushes frames `from..to` of the pattern, retrying while the ring is full.
fn push_pattern(p: &mut rtrb::Producer<f32>, from: u64, to: u64) {
    let mut f = from;
    let start = Instant::now();
    while f < to {
        let n = (to - f).min(256);
        let block: Vec<f32> = (f..f + n).flat_map(pattern).collect();
        let pushed = push_frames(p, &block, 3) as u64;
        f += pushed;
        if pushed == 0 {
            assert!(start.elapsed() < WAIT, "the ring is never drained");
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

type Client = tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>;

fn client(addr: SocketAddr) -> Client {
    let (ws, resp) = tungstenite::connect(format!("ws://{addr}/ws")).unwrap();
    assert_eq!(resp.status(), 101);
    if let tungstenite::stream::MaybeTlsStream::Plain(s) = ws.get_ref() {
        s.set_read_timeout(Some(WAIT)).unwrap();
    }
    ws
}

/// Reads binary messages until `frames` frames arrived, checking every value; returns
/// how many whole messages were missing between them (dropped for a slow reader).
fn read_pattern(ws: &mut Client, frames: u64) -> u64 {
    let mut next: Option<u64> = None;
    let (mut got, mut missing) = (0, 0);
    while got < frames {
        let msg = match ws.read().unwrap() {
            Message::Binary(b) => b,
            _ => continue,
        };
        let (h, samples) = decode_frame(&msg).unwrap();
        assert_eq!((h.channels, h.stride, h.sample_rate), (3, 1, 48_000));
        assert_eq!(h.frame_count, 800, "1/60 s of 48 kHz per message");
        if let Some(n) = next {
            assert!(
                h.first_frame >= n && (h.first_frame - n) % 800 == 0,
                "whole messages, in order"
            );
            missing += (h.first_frame - n) / 800;
        }
        for (i, frame) in samples.chunks(3).enumerate() {
            let f = h.first_frame + i as u64;
            assert_eq!(frame, pattern(f), "frame {f}");
        }
        next = Some(h.first_frame + h.frame_count as u64);
        got += h.frame_count as u64;
    }
    missing
}

#[test]
fn serves_the_page_and_answers_bad_requests_clearly() {
    let (_p, c) = ring(2, 48_000);
    let server = ScopeServer::start(any_port(), 2, 48_000, c).unwrap();
    let addr = server.local_addr();
    assert_eq!(server.url(), format!("http://{addr}/"));

    let page = get(addr, "/");
    assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
    assert!(page.contains("Content-Type: text/html; charset=utf-8"));
    assert!(page.contains("<canvas>"));
    let js = get(addr, "/scope.js?v=1");
    assert!(js.contains("Content-Type: text/javascript") && js.contains("requestAnimationFrame"));
    assert!(get(addr, "/scope.css").contains("Content-Type: text/css"));

    let head = raw(addr, &format!("HEAD / HTTP/1.1\r\nHost: {addr}\r\n\r\n"));
    assert!(
        head.starts_with("HTTP/1.1 200 OK") && head.ends_with("\r\n\r\n"),
        "{head}"
    );

    let stats = get(addr, "/stats");
    assert!(stats.contains("application/json"));
    assert!(
        stats.contains("\"channels\":2,\"sample_rate\":48000"),
        "{stats}"
    );

    assert!(get(addr, "/nope").starts_with("HTTP/1.1 404"));
    let post = raw(
        addr,
        &format!("POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\n\r\n"),
    );
    assert!(
        post.starts_with("HTTP/1.1 405") && post.contains("Allow: GET, HEAD"),
        "{post}"
    );
    assert!(raw(addr, "\x16\x03\x01\x02\x00\x01\r\n\r\n").starts_with("HTTP/1.1 400"));
    // DNS rebinding: a foreign host name is refused.
    let evil = raw(addr, "GET / HTTP/1.1\r\nHost: evil.example:7771\r\n\r\n");
    assert!(evil.starts_with("HTTP/1.1 403"), "{evil}");
    // Websocket requests: not an upgrade, no key, a foreign origin.
    assert!(get(addr, "/ws").starts_with("HTTP/1.1 426"));
    let no_key = raw(
        addr,
        &format!(
            "GET /ws HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
        ),
    );
    assert!(no_key.starts_with("HTTP/1.1 400"), "{no_key}");
    let foreign = raw(
        addr,
        &format!(
            "GET /ws HTTP/1.1\r\nHost: {addr}\r\nOrigin: https://evil.example\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        ),
    );
    assert!(foreign.starts_with("HTTP/1.1 403"), "{foreign}");
    // The page's own origin is welcome (the key from RFC 6455's example).
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "GET /ws HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nUpgrade: websocket\r\n\
         Connection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    )
    .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        s.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let reply = String::from_utf8_lossy(&head);
    assert!(reply.starts_with("HTTP/1.1 101"), "{reply}");
    assert!(
        reply.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        "{reply}"
    );
}

#[test]
fn streams_every_frame_to_several_clients() {
    let (mut p, c) = ring(3, 48_000);
    let server = ScopeServer::start(any_port(), 3, 48_000, c).unwrap();
    let addr = server.local_addr();
    let mut a = client(addr);
    let mut b = client(addr);
    wait_for("two clients", || server.stats().clients == 2);
    // 0.5 s of audio, pushed at the pace of an audio callback in 256-frame blocks.
    let frames = 24_000;
    let reader = std::thread::spawn(move || read_pattern(&mut b, frames));
    let start = Instant::now();
    for block in 0..frames / 256 + 1 {
        let due = Duration::from_secs_f64(block as f64 * 256.0 / 48_000.0);
        if let Some(wait) = due.checked_sub(start.elapsed()) {
            std::thread::sleep(wait);
        }
        push_pattern(&mut p, block * 256, (block + 1) * 256);
    }
    let missing = read_pattern(&mut a, frames) + reader.join().unwrap();
    // The drain thread counts a chunk after broadcasting it: a reader can have it first.
    wait_for("the drained count", || {
        server.stats().frames_drained >= frames
    });
    let stats = server.stats();
    // At real-time pace both readers normally get everything; on a starved machine a
    // message may be dropped for one of them, and then it is counted as dropped.
    assert!(
        missing <= stats.dropped_messages,
        "{missing} missing, {stats:?}"
    );
    assert!(stats.frames_drained >= frames, "{stats:?}");
    assert!(stats.messages >= frames / 800, "{stats:?}");
    assert!(stats.connections >= 2);
}

#[test]
fn a_stalled_client_never_holds_up_the_drain_or_the_others() {
    let (mut p, c) = ring(3, 48_000);
    let server = ScopeServer::start(any_port(), 3, 48_000, c).unwrap();
    let addr = server.local_addr();
    // A client that completes the handshake and then never reads.
    let stalled = {
        let mut s = TcpStream::connect(addr).unwrap();
        shrink_receive_buffer(&s);
        write!(
            s,
            "GET /ws HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        )
        .unwrap();
        s
    };
    wait_for("the stalled client", || server.stats().clients == 1);
    // Far faster than real time, until the stalled client's socket and queue are full
    // and messages are being dropped for it: the drain must keep emptying the ring.
    let mut pushed = 0u64;
    while server.stats().dropped_messages == 0 {
        push_pattern(&mut p, pushed, pushed + 48_000);
        pushed += 48_000;
        assert!(
            pushed < 48_000 * 600,
            "no message was ever dropped for the stalled client"
        );
    }
    wait_for("the drain to catch up", || {
        server.stats().frames_drained == pushed
    });
    // Meanwhile a new client is served in full.
    let mut good = client(addr);
    wait_for("the good client", || server.stats().clients >= 2);
    let reader = std::thread::spawn(move || {
        let missing = read_pattern(&mut good, 48_000);
        (missing, good)
    });
    // Real-time pace, one message's worth at a time.
    let mut more = pushed;
    while !reader.is_finished() {
        push_pattern(&mut p, more, more + 800);
        more += 800;
        std::thread::sleep(Duration::from_millis(16));
    }
    let dropped_before = server.stats().dropped_messages;
    let (missing, good) = reader.join().unwrap();
    assert!(
        missing <= dropped_before,
        "the good client lost {missing} messages"
    );
    // The stalled client is given up after its write timeout; the good one remains.
    // Fast again, so the socket buffers (megabytes on loopback) fill and its writes
    // block until the write timeout.
    wait_for("the stalled client to be dropped", || {
        push_pattern(&mut p, more, more + 4800);
        more += 4800;
        server.stats().clients == 1
    });
    drop((stalled, good));
}

/// A small receive buffer (no autotuning), so a client that never reads fills its
/// socket after a few messages instead of tens of megabytes.
fn shrink_receive_buffer(s: &TcpStream) {
    use std::os::fd::AsRawFd;
    let size: libc::c_int = 4096;
    // SAFETY: a valid socket descriptor and a c_int option value of the right length.
    let rc = unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            &size as *const libc::c_int as *const libc::c_void,
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(rc, 0, "setsockopt SO_RCVBUF");
}

#[test]
fn vanished_clients_are_forgotten_and_shutdown_closes_the_rest() {
    let (mut p, c) = ring(3, 48_000);
    let server = ScopeServer::start(any_port(), 3, 48_000, c).unwrap();
    let addr = server.local_addr();
    let gone = client(addr);
    let mut stay = client(addr);
    wait_for("two clients", || server.stats().clients == 2);
    drop(gone); // no close frame: the socket just goes
    let mut f = 0;
    wait_for("the vanished client to be removed", || {
        push_pattern(&mut p, f, f + 800);
        f += 800;
        server.stats().clients == 1
    });
    server.shutdown();
    // The remaining client hears a close (or the end of the stream), promptly.
    loop {
        match stay.read() {
            Ok(Message::Close(_)) | Err(_) => break,
            Ok(_) => continue,
        }
    }
    // The port is free again.
    let (_p, c) = ring(3, 48_000);
    let again = ScopeServer::start(addr, 3, 48_000, c).unwrap();
    assert_eq!(again.local_addr(), addr);
}

#[test]
fn connections_beyond_the_limit_are_closed_at_once() {
    let (_p, c) = ring(1, 48_000);
    let server = ScopeServer::start(any_port(), 1, 48_000, c).unwrap();
    let addr = server.local_addr();
    // Idle connections that never send a request hold their slots (up to the head timeout).
    let idle: Vec<TcpStream> = (0..MAX_CONNECTIONS)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    wait_for("all slots taken", || {
        server.stats().connections == MAX_CONNECTIONS as u64
    });
    let mut extra = TcpStream::connect(addr).unwrap();
    extra.set_read_timeout(Some(WAIT)).unwrap();
    let _ = extra.write_all(format!("GET / HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes());
    let mut buf = Vec::new();
    let _ = extra.read_to_end(&mut buf);
    assert!(
        buf.is_empty(),
        "the extra connection is closed without an answer"
    );
    drop(idle);
    // Slots come back as the idle connections close.
    wait_for("a free slot", || get(addr, "/").starts_with("HTTP/1.1 200"));
}

#[test]
fn start_up_errors_are_clear() {
    let (_p, c) = ring(1, 48_000);
    let busy = ScopeServer::start(any_port(), 1, 48_000, c).unwrap();
    let (_p, c) = ring(1, 48_000);
    let err = ScopeServer::start(busy.local_addr(), 1, 48_000, c).unwrap_err();
    assert!(matches!(err, ScopeError::Bind { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains(&busy.local_addr().to_string()) && msg.contains("--scope PORT"),
        "{msg}"
    );
    let (_p, c) = ring(1, 48_000);
    let msg = ScopeServer::start(any_port(), 0, 48_000, c)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("1 to 64 channels, not 0"), "{msg}");
    let (_p, c) = ring(1, 48_000);
    assert!(matches!(
        ScopeServer::start(any_port(), 65, 48_000, c),
        Err(ScopeError::Channels(65))
    ));
    let (_p, c) = ring(1, 48_000);
    assert!(matches!(
        ScopeServer::start(any_port(), 1, 0, c),
        Err(ScopeError::SampleRate)
    ));
}
