//! Where the OSC listener binds, from what a user types after `--osc`.
//!
//! | typed            | binds to          | who can reach it                        |
//! |------------------|-------------------|-----------------------------------------|
//! | (nothing)        | `127.0.0.1:7770`  | this machine only                       |
//! | `9000`           | `127.0.0.1:9000`  | this machine only                       |
//! | `localhost:9000` | `127.0.0.1:9000`  | this machine only                       |
//! | `0.0.0.0:9000`   | every interface   | the network: only when asked explicitly |
//! | `[::1]:9000`     | IPv6 loopback     | this machine only                       |
//!
//! Only IP literals and `localhost` are accepted as hosts: no name lookups, so parsing
//! never touches the network and never waits. Port 0 asks the system for a free port
//! (tests use it; [`crate::OscListener::local_addr`] tells which one was given).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The port the OSC listener uses when none is given.
pub const DEFAULT_OSC_PORT: u16 = 7770;

/// The address the OSC listener binds when none is given: loopback, port 7770.
pub const DEFAULT_OSC_ADDR: SocketAddr =
    SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), DEFAULT_OSC_PORT);

/// Why a listen address could not be read; the message says what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddrError {
    /// Nothing was given.
    Empty,
    /// The port is not a number from 0 to 65535.
    BadPort(String),
    /// The host is neither an IP address nor `localhost`.
    BadHost(String),
}

impl fmt::Display for AddrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddrError::Empty => write!(f, "empty OSC address: expected PORT or ADDR:PORT"),
            AddrError::BadPort(p) => write!(
                f,
                "bad OSC port `{p}`: expected a number from 0 to 65535 (e.g. 7770)"
            ),
            AddrError::BadHost(h) => write!(
                f,
                "bad OSC host `{h}`: expected an IP address (127.0.0.1, 0.0.0.0, [::1]) or localhost"
            ),
        }
    }
}

impl std::error::Error for AddrError {}

/// Reads `PORT`, `HOST:PORT` or `[IPV6]:PORT` into the address to bind.
///
/// A bare port binds loopback; any other interface has to be named.
pub fn parse_listen_addr(text: &str) -> Result<SocketAddr, AddrError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AddrError::Empty);
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(SocketAddr::new(DEFAULT_OSC_ADDR.ip(), parse_port(text)?));
    }
    // Whole literals first, so `[::1]:9000` and `127.0.0.1:9000` need no splitting rules.
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let Some((host, port)) = text.rsplit_once(':') else {
        return Err(AddrError::BadPort(text.to_string()));
    };
    let port = parse_port(port)?;
    let host_bare = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(SocketAddr::new(DEFAULT_OSC_ADDR.ip(), port));
    }
    match host_bare.parse::<IpAddr>() {
        // An IPv6 literal needs its brackets when a port follows; say so rather than guess.
        Ok(IpAddr::V6(_)) if !host.starts_with('[') => Err(AddrError::BadHost(format!(
            "{host} (write IPv6 as [{host}]:PORT)"
        ))),
        Ok(ip) => Ok(SocketAddr::new(ip, port)),
        Err(_) => Err(AddrError::BadHost(host.to_string())),
    }
}

fn parse_port(text: &str) -> Result<u16, AddrError> {
    // `u16::from_str` accepts a leading `+`; a port never has one.
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AddrError::BadPort(text.to_string()));
    }
    text.parse::<u16>()
        .map_err(|_| AddrError::BadPort(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> String {
        parse_listen_addr(text).unwrap().to_string()
    }

    #[test]
    fn the_default_is_loopback_7770() {
        assert_eq!(DEFAULT_OSC_ADDR.to_string(), "127.0.0.1:7770");
        assert!(DEFAULT_OSC_ADDR.ip().is_loopback());
    }

    #[test]
    fn a_bare_port_binds_loopback() {
        assert_eq!(ok("9000"), "127.0.0.1:9000");
        assert_eq!(ok(" 7770 "), "127.0.0.1:7770");
        assert_eq!(ok("0"), "127.0.0.1:0");
        assert_eq!(ok("localhost:9001"), "127.0.0.1:9001");
        assert_eq!(ok("LOCALHOST:9001"), "127.0.0.1:9001");
    }

    #[test]
    fn other_interfaces_only_when_named() {
        assert_eq!(ok("0.0.0.0:7770"), "0.0.0.0:7770");
        assert_eq!(ok("192.168.1.20:57120"), "192.168.1.20:57120");
        assert_eq!(ok("[::1]:9000"), "[::1]:9000");
        assert_eq!(ok("[::]:9000"), "[::]:9000");
    }

    #[test]
    fn bad_input_gets_a_clear_error() {
        assert_eq!(parse_listen_addr(""), Err(AddrError::Empty));
        assert_eq!(parse_listen_addr("   "), Err(AddrError::Empty));
        assert_eq!(
            parse_listen_addr("70000"),
            Err(AddrError::BadPort("70000".into()))
        );
        assert_eq!(
            parse_listen_addr("127.0.0.1:"),
            Err(AddrError::BadPort("".into()))
        );
        assert_eq!(
            parse_listen_addr("127.0.0.1:+80"),
            Err(AddrError::BadPort("+80".into()))
        );
        assert_eq!(
            parse_listen_addr("127.0.0.1:-1"),
            Err(AddrError::BadPort("-1".into()))
        );
        assert_eq!(
            parse_listen_addr("127.0.0.1"),
            Err(AddrError::BadPort("127.0.0.1".into()))
        );
        assert_eq!(
            parse_listen_addr("example.com:7770"),
            Err(AddrError::BadHost("example.com".into()))
        );
        assert_eq!(
            parse_listen_addr("300.1.1.1:7770"),
            Err(AddrError::BadHost("300.1.1.1".into()))
        );
        assert!(matches!(
            parse_listen_addr("::1:9000"),
            Err(AddrError::BadHost(h)) if h.contains("[::1]:PORT")
        ));
        let message = parse_listen_addr("abc").unwrap_err().to_string();
        assert!(message.contains("expected a number"), "{message}");
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            ":",
            "[]:1",
            "[:1",
            "]:1",
            "::::",
            "1:2:3",
            "\u{0}",
            "é:1",
            "[::1]",
            "a:b:c:7770",
        ] {
            let _ = parse_listen_addr(text);
        }
    }
}
