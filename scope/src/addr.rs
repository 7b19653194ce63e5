//! The `--scope [[ADDR:]PORT]` argument: where the scope server listens.
//!
//! Loopback by default: the stream is the program's audio output, so exposing it to the
//! network takes an explicit address (`0.0.0.0:7771`). Host names other than `localhost`
//! are refused rather than resolved, so parsing never touches DNS.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4};

/// The port used when `--scope` is given without a value.
pub const DEFAULT_PORT: u16 = 7771;

/// The address used when `--scope` is given without a value: `127.0.0.1:7771`.
pub const DEFAULT_ADDR: SocketAddr =
    SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, DEFAULT_PORT));

/// Why a `[[ADDR:]PORT]` string could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddrError {
    /// The string was empty (or only spaces).
    Empty,
    /// The port part is not a number from 0 to 65535.
    BadPort(String),
    /// The address part is not an IP address nor `localhost`.
    BadHost(String),
    /// An IPv6 address without brackets, so its port cannot be told apart.
    UnbracketedIpv6(String),
}

impl fmt::Display for AddrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddrError::Empty => write!(f, "empty scope address: expected PORT or ADDR:PORT"),
            AddrError::BadPort(p) => {
                write!(f, "bad scope port `{p}`: expected a number from 0 to 65535")
            }
            AddrError::BadHost(h) => write!(
                f,
                "bad scope address `{h}`: expected an IP address (127.0.0.1, [::1]) or localhost"
            ),
            AddrError::UnbracketedIpv6(s) => write!(
                f,
                "ambiguous scope address `{s}`: write an IPv6 address in brackets, e.g. [::1]:{DEFAULT_PORT}"
            ),
        }
    }
}

impl std::error::Error for AddrError {}

/// Reads `PORT`, `:PORT`, `ADDR:PORT` or `[IPV6]:PORT`; a bare port binds to loopback.
///
/// `localhost` means `127.0.0.1`; other host names are refused (no DNS lookup).
/// Port 0 asks the system for a free port ([`crate::ScopeServer::local_addr`] tells which).
pub fn parse_bind_addr(text: &str) -> Result<SocketAddr, AddrError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AddrError::Empty);
    }
    if let Some(rest) = text.strip_prefix('[') {
        // [v6]:port
        let (host, port) = rest
            .split_once("]:")
            .ok_or_else(|| AddrError::BadHost(text.to_string()))?;
        let ip: IpAddr = host
            .parse::<std::net::Ipv6Addr>()
            .map(IpAddr::V6)
            .map_err(|_| AddrError::BadHost(host.to_string()))?;
        return Ok(SocketAddr::new(ip, parse_port(port)?));
    }
    match text.rsplit_once(':') {
        None => Ok(SocketAddr::new(
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            parse_port(text)?,
        )),
        Some((host, port)) => {
            if host.contains(':') {
                return Err(AddrError::UnbracketedIpv6(text.to_string()));
            }
            let ip = if host.is_empty() || host.eq_ignore_ascii_case("localhost") {
                IpAddr::V4(Ipv4Addr::LOCALHOST)
            } else {
                host.parse::<Ipv4Addr>()
                    .map(IpAddr::V4)
                    .map_err(|_| AddrError::BadHost(host.to_string()))?
            };
            Ok(SocketAddr::new(ip, parse_port(port)?))
        }
    }
}

fn parse_port(text: &str) -> Result<u16, AddrError> {
    // u16's parser accepts a leading '+'; a port is digits only.
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AddrError::BadPort(text.to_string()));
    }
    text.parse::<u16>()
        .map_err(|_| AddrError::BadPort(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        parse_bind_addr(s).unwrap().to_string()
    }

    #[test]
    fn bare_port_is_loopback() {
        assert_eq!(ok("7771"), "127.0.0.1:7771");
        assert_eq!(ok(" 8000 "), "127.0.0.1:8000");
        assert_eq!(ok(":9000"), "127.0.0.1:9000");
        assert_eq!(ok("0"), "127.0.0.1:0");
    }

    #[test]
    fn explicit_addresses() {
        assert_eq!(ok("0.0.0.0:7771"), "0.0.0.0:7771");
        assert_eq!(ok("192.168.1.20:80"), "192.168.1.20:80");
        assert_eq!(ok("localhost:7000"), "127.0.0.1:7000");
        assert_eq!(ok("LocalHost:7000"), "127.0.0.1:7000");
        assert_eq!(ok("[::1]:7771"), "[::1]:7771");
        assert_eq!(ok("[::]:1"), "[::]:1");
    }

    #[test]
    fn default_addr_is_loopback_7771() {
        assert_eq!(DEFAULT_ADDR.to_string(), "127.0.0.1:7771");
        assert!(DEFAULT_ADDR.ip().is_loopback());
    }

    #[test]
    fn bad_input_gets_a_clear_error() {
        assert_eq!(parse_bind_addr(""), Err(AddrError::Empty));
        assert_eq!(parse_bind_addr("  "), Err(AddrError::Empty));
        assert_eq!(
            parse_bind_addr("65536"),
            Err(AddrError::BadPort("65536".into()))
        );
        assert_eq!(
            parse_bind_addr("+80"),
            Err(AddrError::BadPort("+80".into()))
        );
        assert_eq!(parse_bind_addr("-1"), Err(AddrError::BadPort("-1".into())));
        assert_eq!(
            parse_bind_addr("127.0.0.1:"),
            Err(AddrError::BadPort("".into()))
        );
        assert_eq!(
            parse_bind_addr("example.com:80"),
            Err(AddrError::BadHost("example.com".into()))
        );
        assert_eq!(
            parse_bind_addr("300.1.1.1:80"),
            Err(AddrError::BadHost("300.1.1.1".into()))
        );
        assert_eq!(
            parse_bind_addr("::1:7771"),
            Err(AddrError::UnbracketedIpv6("::1:7771".into()))
        );
        assert_eq!(
            parse_bind_addr("[::1]"),
            Err(AddrError::BadHost("[::1]".into()))
        );
        assert_eq!(
            parse_bind_addr("[zz]:80"),
            Err(AddrError::BadHost("zz".into()))
        );
        let msg = parse_bind_addr("::1").unwrap_err().to_string();
        assert!(msg.contains("[::1]:7771"), "{msg}");
        let msg = parse_bind_addr("x").unwrap_err().to_string();
        assert!(msg.contains("0 to 65535"), "{msg}");
    }

    #[test]
    fn never_panics_on_arbitrary_text() {
        // A small deterministic fuzz over the characters that matter to the grammar.
        let alphabet = ['1', '0', ':', '[', ']', '.', 'a', ' ', '9', 'f', '+', '-'];
        let mut state = 0x2545_f491_u32;
        for _ in 0..20_000 {
            let mut s = String::new();
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let len = (state % 12) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                s.push(alphabet[(state as usize) % alphabet.len()]);
            }
            if let Ok(addr) = parse_bind_addr(&s) {
                // Whatever parses round-trips through the standard parser.
                let again: SocketAddr = addr.to_string().parse().unwrap();
                assert_eq!(again, addr, "{s:?}");
            }
        }
    }
}
