//! The `[[ADDR:]PORT]` value of `--osc` and `--scope`: where a listener binds.
//!
//! | typed            | binds to          | who can reach it                        |
//! |------------------|-------------------|-----------------------------------------|
//! | `9000`, `:9000`  | `127.0.0.1:9000`  | this machine only                       |
//! | `localhost:9000` | `127.0.0.1:9000`  | this machine only                       |
//! | `0.0.0.0:9000`   | every interface   | the network: only when asked explicitly |
//! | `[::1]:9000`     | IPv6 loopback     | this machine only                       |
//!
//! Loopback unless another address is named: OSC sets the music and the scope streams
//! it. Only IP literals and `localhost` are hosts: no name lookups, so parsing never
//! touches the network and never waits. Port 0 asks the system for a free port.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// What a listener is called in messages and the port it uses when none is given.
#[derive(Clone, Copy, Debug)]
pub struct Listener {
    /// `OSC`, `scope`.
    pub what: &'static str,
    /// 7770, 7771.
    pub default_port: u16,
}

/// The OSC listener's: `bad OSC port …`, default 7770.
pub const OSC: Listener = Listener {
    what: "OSC",
    default_port: kanon_control::DEFAULT_OSC_PORT,
};

/// The scope server's: `bad scope port …`, default 7771.
pub const SCOPE: Listener = Listener {
    what: "scope",
    default_port: kanon_scope::DEFAULT_PORT,
};

impl Listener {
    /// Reads `PORT`, `:PORT`, `HOST:PORT` or `[IPV6]:PORT`; a bare port binds loopback.
    /// The error says what was expected.
    pub fn parse(self, text: &str) -> Result<SocketAddr, String> {
        let Listener { what, default_port } = self;
        let text = text.trim();
        if text.is_empty() {
            return Err(format!("empty {what} address: expected PORT or ADDR:PORT"));
        }
        let port = |p: &str| -> Result<u16, String> {
            // `u16::from_str` accepts a leading `+`; a port never has one.
            match p.bytes().all(|b| b.is_ascii_digit()) {
                true => p.parse::<u16>().ok(),
                false => None,
            }
            .ok_or_else(|| {
                format!(
                    "bad {what} port `{p}`: expected a number from 0 to 65535 (e.g. {default_port})"
                )
            })
        };
        let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(SocketAddr::new(loopback, port(text)?));
        }
        // Whole literals first: `[::1]:9000` and `127.0.0.1:9000` need no splitting rules.
        if let Ok(addr) = text.parse::<SocketAddr>() {
            return Ok(addr);
        }
        if text.starts_with('[') && !text.contains("]:") {
            return Err(format!(
                "bad {what} address `{text}`: expected [IPV6]:PORT, e.g. [::1]:{default_port}"
            ));
        }
        let Some((host, p)) = text.rsplit_once(':') else {
            return Err(port(text).unwrap_err());
        };
        let p = port(p)?;
        if host.is_empty() || host.eq_ignore_ascii_case("localhost") {
            return Ok(SocketAddr::new(loopback, p));
        }
        // An IPv6 literal needs its brackets when a port follows; say so rather than guess.
        if host.contains(':') && !host.starts_with('[') {
            return Err(format!(
                "ambiguous {what} address `{text}`: write an IPv6 address in brackets, e.g. [::1]:{default_port}"
            ));
        }
        match host.parse::<IpAddr>() {
            Ok(ip) => Ok(SocketAddr::new(ip, p)),
            Err(_) => Err(format!(
                "bad {what} host `{host}`: expected an IP address (127.0.0.1, 0.0.0.0, [::1]) or localhost"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> String {
        OSC.parse(text).unwrap().to_string()
    }

    fn err(l: Listener, text: &str) -> String {
        l.parse(text).unwrap_err()
    }

    #[test]
    fn the_defaults_are_loopback() {
        assert_eq!(
            kanon_control::DEFAULT_OSC_ADDR.to_string(),
            "127.0.0.1:7770"
        );
        assert_eq!(kanon_scope::DEFAULT_ADDR.to_string(), "127.0.0.1:7771");
        assert_eq!(SCOPE.parse("7771").unwrap(), kanon_scope::DEFAULT_ADDR);
        assert_eq!(OSC.parse("7770").unwrap(), kanon_control::DEFAULT_OSC_ADDR);
    }

    #[test]
    fn a_bare_port_binds_loopback() {
        assert_eq!(ok("9000"), "127.0.0.1:9000");
        assert_eq!(ok(" 7770 "), "127.0.0.1:7770");
        assert_eq!(ok(":9000"), "127.0.0.1:9000");
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
        assert_eq!(
            err(OSC, "  "),
            "empty OSC address: expected PORT or ADDR:PORT"
        );
        for (text, port) in [
            ("70000", "70000"),
            ("127.0.0.1:", ""),
            ("127.0.0.1:+80", "+80"),
            ("127.0.0.1:-1", "-1"),
            ("127.0.0.1", "127.0.0.1"),
            ("+80", "+80"),
        ] {
            assert_eq!(
                err(OSC, text),
                format!("bad OSC port `{port}`: expected a number from 0 to 65535 (e.g. 7770)")
            );
        }
        for (text, host) in [
            ("example.com:7770", "example.com"),
            ("300.1.1.1:7770", "300.1.1.1"),
            ("[zz]:80", "[zz]"),
        ] {
            assert!(
                err(SCOPE, text)
                    .starts_with(&format!("bad scope host `{host}`: expected an IP address")),
                "{text}"
            );
        }
        for text in ["::1:9000", "fe80::1:80"] {
            assert_eq!(
                err(SCOPE, text),
                format!("ambiguous scope address `{text}`: write an IPv6 address in brackets, e.g. [::1]:7771")
            );
        }
        assert!(err(SCOPE, "99999").starts_with("bad scope port `99999`"));
    }

    #[test]
    fn never_panics_and_what_parses_round_trips() {
        // A small deterministic fuzz over the characters that matter to the grammar.
        let alphabet = [
            '1', '0', ':', '[', ']', '.', 'a', ' ', '9', 'f', '+', '-', 'é',
        ];
        let mut state = 0x2545_f491_u32;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as usize
        };
        for _ in 0..20_000 {
            let len = next() % 12;
            let s: String = (0..len)
                .map(|_| alphabet[next() % alphabet.len()])
                .collect();
            if let Ok(addr) = OSC.parse(&s) {
                let again: SocketAddr = addr.to_string().parse().unwrap();
                assert_eq!(again, addr, "{s:?}");
            }
        }
    }
}
