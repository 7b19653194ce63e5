//! Just enough HTTP/1.1 for the scope: read one request head, answer, close.
//!
//! Routes: `GET /` (the page), `/scope.js`, `/scope.css`, `/stats` (JSON counters) and
//! `/ws` (the websocket, see [`crate::ws`]). `HEAD` is answered for the static routes.
//! Every response closes the connection: the page needs three small files once, so
//! keep-alive would buy nothing.
//!
//! Two checks keep other web sites out of the stream while a browser has the page open:
//! the `Host` header must name an IP address or `localhost` (a DNS-rebinding guard), and a
//! websocket request that carries an `Origin` must come from the page itself
//! (`http://` + its `Host`). Websockets are not bound by the same-origin policy, so
//! without this any page in the user's browser could listen to the output.

use std::io::{self, Read, Write};
use std::net::IpAddr;

/// The longest request head accepted.
pub(crate) const MAX_HEAD: usize = 8192;

/// A parsed request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    pub method: String,
    /// The path without its query string.
    pub path: String,
    /// Header names in lower case, values trimmed.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The first header of that (lower-case) name.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether a comma-separated header holds `token` (case-insensitive).
    pub(crate) fn header_has_token(&self, name: &str, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .flat_map(|(_, v)| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }
}

/// Why a request head could not be read.
#[derive(Debug)]
pub(crate) enum HeadError {
    /// The socket failed or timed out, or closed before the head ended: nothing to answer.
    Closed,
    /// Not HTTP, or a head larger than [`MAX_HEAD`].
    Malformed(&'static str),
}

/// Reads one request head (up to the blank line). Bytes after it are discarded: none of
/// the routes takes a body, and a websocket client sends nothing before the 101.
pub(crate) fn read_request(stream: &mut impl Read) -> Result<Request, HeadError> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk).map_err(|_| HeadError::Closed)?;
        if n == 0 {
            return Err(HeadError::Closed);
        }
        buf.extend_from_slice(&chunk[..n]);
        let end = find_head_end(&buf);
        if end.unwrap_or(buf.len()) > MAX_HEAD {
            return Err(HeadError::Malformed("request head too large"));
        }
        if let Some(end) = end {
            return parse_head(&buf[..end]);
        }
    }
}

fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

fn parse_head(head: &[u8]) -> Result<Request, HeadError> {
    let mut headers = [httparse::EMPTY_HEADER; 48];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(HeadError::Malformed("incomplete head")),
        Err(_) => return Err(HeadError::Malformed("not an HTTP request")),
    }
    let method = req.method.unwrap_or_default().to_string();
    let target = req.path.unwrap_or_default();
    let path = target
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string();
    let headers = req
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_ascii_lowercase(),
                String::from_utf8_lossy(h.value).trim().to_string(),
            )
        })
        .collect();
    Ok(Request {
        method,
        path,
        headers,
    })
}

/// Whether a `Host` header value names an IP address or `localhost` (with any port).
pub(crate) fn host_is_literal(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((v6, tail)) if tail.is_empty() || tail.starts_with(':') => {
                return v6.parse::<std::net::Ipv6Addr>().is_ok();
            }
            _ => return false,
        }
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok()
}

/// Whether a websocket request's `Origin` (if any) is the page served from `Host`.
pub(crate) fn origin_allowed(req: &Request) -> bool {
    match (req.header("origin"), req.header("host")) {
        (None, _) => true,
        (Some(origin), Some(host)) => {
            let origin = origin.to_ascii_lowercase();
            origin == format!("http://{}", host.to_ascii_lowercase())
        }
        (Some(_), None) => false,
    }
}

/// Writes a complete response that closes the connection.
pub(crate) fn respond(
    stream: &mut impl Write,
    status: &str,
    content_type: &str,
    body: &[u8],
    head_only: bool,
    extra: &[(&str, &str)],
) -> io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in extra {
        out.push_str(k);
        out.push_str(": ");
        out.push_str(v);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

/// Answers with a short plain-text body.
pub(crate) fn respond_text(stream: &mut impl Write, status: &str, text: &str) -> io::Result<()> {
    respond(
        stream,
        status,
        "text/plain; charset=utf-8",
        text.as_bytes(),
        false,
        &[],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Request, HeadError> {
        read_request(&mut text.as_bytes())
    }

    #[test]
    fn reads_a_request_head() {
        let r = parse(
            "GET /ws?x=1 HTTP/1.1\r\nHost: 127.0.0.1:7771\r\nConnection: keep-alive, Upgrade\r\n\
             Upgrade: websocket\r\n\r\nignored",
        )
        .unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, "/ws");
        assert_eq!(r.header("host"), Some("127.0.0.1:7771"));
        assert!(r.header_has_token("connection", "upgrade"));
        assert!(!r.header_has_token("connection", "close"));
        assert_eq!(r.header("nope"), None);
    }

    #[test]
    fn rejects_garbage_oversize_and_truncation() {
        assert!(matches!(
            parse("\x16\x03\x01 tls\r\n\r\n"),
            Err(HeadError::Malformed(_))
        ));
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert!(matches!(parse(&big), Err(HeadError::Malformed(_))));
        assert!(matches!(
            parse("GET / HTTP/1.1\r\nHost: x"),
            Err(HeadError::Closed)
        ));
        let many: String = (0..60).map(|i| format!("H{i}: v\r\n")).collect();
        let r = parse(&format!("GET / HTTP/1.1\r\n{many}\r\n"));
        assert!(
            matches!(r, Err(HeadError::Malformed(_))),
            "too many headers"
        );
    }

    #[test]
    fn never_panics_on_arbitrary_bytes() {
        let pieces: [&[u8]; 9] = [
            b"GET ",
            b"/",
            b" HTTP/1.1",
            b"\r\n",
            b"Host: a",
            b":",
            b"\xff",
            b"\r\n\r\n",
            b" ",
        ];
        let mut state = 0x9e37_79b9_u32;
        for _ in 0..20_000 {
            let mut bytes = Vec::new();
            for _ in 0..(state % 10) {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                bytes.extend_from_slice(pieces[state as usize % pieces.len()]);
            }
            let _ = read_request(&mut bytes.as_slice());
            state = state.wrapping_add(1);
        }
    }

    #[test]
    fn host_must_be_an_ip_or_localhost() {
        for ok in [
            "127.0.0.1:7771",
            "127.0.0.1",
            "localhost:7771",
            "LOCALHOST",
            "[::1]:7771",
            "[::1]",
            "192.168.1.4:80",
        ] {
            assert!(host_is_literal(ok), "{ok}");
        }
        for bad in [
            "evil.example:7771",
            "evil.example",
            "[::1",
            "[::1]x",
            "",
            "127.0.0.1.nip.io",
        ] {
            assert!(!host_is_literal(bad), "{bad}");
        }
    }

    #[test]
    fn websocket_origin_must_be_the_page() {
        let req = |origin: Option<&str>| Request {
            method: "GET".into(),
            path: "/ws".into(),
            headers: [("host", Some("127.0.0.1:7771")), ("origin", origin)]
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k.to_string(), v.to_string())))
                .collect(),
        };
        assert!(origin_allowed(&req(None)));
        assert!(origin_allowed(&req(Some("http://127.0.0.1:7771"))));
        assert!(!origin_allowed(&req(Some("https://evil.example"))));
        assert!(!origin_allowed(&req(Some("http://127.0.0.1:9999"))));
        assert!(!origin_allowed(&req(Some("null"))));
    }

    #[test]
    fn responses_close_and_head_has_no_body() {
        let mut out = Vec::new();
        respond(
            &mut out,
            "200 OK",
            "text/plain",
            b"hello",
            false,
            &[("Allow", "GET")],
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(text.contains("Content-Length: 5\r\n"));
        assert!(text.contains("Connection: close\r\n"));
        assert!(text.contains("Allow: GET\r\n"));
        assert!(text.ends_with("\r\n\r\nhello"));
        let mut out = Vec::new();
        respond(&mut out, "200 OK", "text/plain", b"hello", true, &[]).unwrap();
        assert!(String::from_utf8(out).unwrap().ends_with("Content-Length: 5\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"));
    }
}
