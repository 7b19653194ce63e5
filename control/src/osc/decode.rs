//! OSC packets to [`Update`]s: pure functions, no socket, so every rule is testable alone.

use rosc::{OscMessage, OscPacket, OscType};

use crate::counters::{OscCounters, OscReject};
use crate::{Sink, Update};

/// How deeply bundles may nest inside one packet; deeper packets count as malformed.
///
/// Real senders nest one or two levels. The bound exists because the OSC decoder recurses
/// once per level, and a 64 KiB datagram can nest over 3,000 levels: enough to overflow a
/// thread's stack, which would abort the whole process, music included.
pub const MAX_BUNDLE_DEPTH: usize = 8;

/// Why a datagram could not be read as OSC at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Malformed {
    /// Bundles nested deeper than [`MAX_BUNDLE_DEPTH`].
    TooDeep,
    /// Not valid OSC; the decoder's own words.
    Invalid(String),
}

/// Decodes one datagram and calls `each` once per message inside it, in order.
///
/// A bundle's messages (nested bundles included) come out in the order they appear, and
/// all at once: time tags are ignored, so a bundle acts immediately. A packet that is not
/// valid OSC yields no message at all: nothing from a broken packet is ever applied.
pub fn decode_packet(
    bytes: &[u8],
    each: &mut dyn FnMut(Result<Update, OscReject>),
) -> Result<(), Malformed> {
    if nests_deeper_than(bytes, MAX_BUNDLE_DEPTH) {
        return Err(Malformed::TooDeep);
    }
    let (rest, packet) =
        rosc::decoder::decode_udp(bytes).map_err(|e| Malformed::Invalid(e.to_string()))?;
    // A datagram holds exactly one packet. Bytes left over mean a bundle element that did
    // not parse (the decoder stops a bundle at its first bad element and returns the rest)
    // or junk after a message: either way the packet is broken, so none of it applies.
    if !rest.is_empty() {
        return Err(Malformed::Invalid(format!(
            "{} bytes left after the packet",
            rest.len()
        )));
    }
    visit(&packet, each);
    Ok(())
}

/// Decodes one datagram, hands each good update to `sink` and counts every outcome.
///
/// This is all the OSC listener does with a datagram; it is public so a session can feed
/// OSC that arrives some other way (a file of captured packets, a test) through the same
/// rules and counters.
pub fn dispatch_packet(bytes: &[u8], counters: &OscCounters, sink: &mut dyn Sink) {
    let outcome = decode_packet(bytes, &mut |decoded| match decoded {
        Ok(update) => counters.record_delivery(sink.deliver(update)),
        Err(why) => counters.record_rejected(why),
    });
    if outcome.is_err() {
        counters.record_malformed();
    }
    // Last, so a reader that sees N packets sees every outcome of those N.
    counters.record_packet();
}

fn visit(packet: &OscPacket, each: &mut dyn FnMut(Result<Update, OscReject>)) {
    match packet {
        OscPacket::Message(message) => each(decode_message(message)),
        // Depth is bounded by `nests_deeper_than` before decoding, so this recursion is too.
        OscPacket::Bundle(bundle) => bundle.content.iter().for_each(|p| visit(p, each)),
    }
}

/// What one message asks for, or why it cannot be applied.
///
/// | address        | arguments                 | update                          |
/// |----------------|---------------------------|---------------------------------|
/// | `/param`       | name (`s`), value         | `Param { name, value }`         |
/// | `/param/NAME`  | value                     | `Param { name: NAME, value }`   |
/// | `/ctrl`        | name (`s`) or number (`i`), value | `Param` (number `N` → `ccN`) |
/// | `/tempo`, `/setcps` | cps                  | `Tempo { cps }` (cps > 0)       |
/// | `/param/reset` | name (`s`)               | `ResetParam { name }`           |
/// | `/hush`        | none                      | `Hush`                          |
///
/// A value may be `f` (float32), `d` (float64), `i` (int32) or `h` (int64).
pub fn decode_message(message: &OscMessage) -> Result<Update, OscReject> {
    let args = message.args.as_slice();
    match message.addr.as_str() {
        "/param" => {
            let [name, value] = args else {
                return Err(OscReject::WrongArgCount);
            };
            let OscType::String(name) = name else {
                return Err(OscReject::WrongType);
            };
            param(name.clone(), value)
        }
        "/ctrl" => {
            let [key, value] = args else {
                return Err(OscReject::WrongArgCount);
            };
            let name = match key {
                OscType::String(name) => name.clone(),
                // Tidal names an integer key by its digits ("74"); a kanon name must be an
                // identifier, so it becomes `cc74`: the name MIDI CC 74 also gets, which is
                // what integer keys are in practice (Tidal's MIDI-to-OSC bridge sends them).
                OscType::Int(number) => format!("cc{number}"),
                _ => return Err(OscReject::WrongType),
            };
            param(name, value)
        }
        "/tempo" | "/setcps" => {
            let [cps] = args else {
                return Err(OscReject::WrongArgCount);
            };
            let cps = number(cps)?;
            if cps <= 0.0 {
                return Err(OscReject::OutOfRange);
            }
            Ok(Update::Tempo { cps })
        }
        "/param/reset" => match args {
            [OscType::String(name)] => Ok(Update::ResetParam { name: name.clone() }),
            [_] => Err(OscReject::WrongType),
            _ => Err(OscReject::WrongArgCount),
        },
        "/hush" => match args {
            [] => Ok(Update::Hush),
            _ => Err(OscReject::WrongArgCount),
        },
        addr => match addr.strip_prefix("/param/") {
            Some(name) => {
                let [value] = args else {
                    return Err(OscReject::WrongArgCount);
                };
                param(name.to_string(), value)
            }
            None => Err(OscReject::UnknownAddress),
        },
    }
}

fn param(name: String, value: &OscType) -> Result<Update, OscReject> {
    Ok(Update::Param {
        name,
        value: number(value)?,
    })
}

/// A finite number from any numeric OSC argument.
fn number(arg: &OscType) -> Result<f64, OscReject> {
    let value = match *arg {
        OscType::Float(v) => f64::from(v),
        OscType::Double(v) => v,
        OscType::Int(v) => f64::from(v),
        // Exact up to 2^53, which is all a parameter could mean.
        OscType::Long(v) => v as f64,
        // OSC's "Infinitum" tag is infinity by name.
        OscType::Inf => return Err(OscReject::NonFinite),
        _ => return Err(OscReject::WrongType),
    };
    if value.is_finite() {
        Ok(value)
    } else {
        Err(OscReject::NonFinite)
    }
}

/// Whether `bytes` is a bundle whose nesting goes deeper than `limit` levels.
///
/// Walks only the bundle framing (tag, time tag, sized elements), with recursion bounded by
/// `limit`; framing errors are left for the decoder to report.
fn nests_deeper_than(bytes: &[u8], limit: usize) -> bool {
    const TAG: &[u8] = b"#bundle\0";
    const HEADER: usize = 16; // the tag and an 8-byte time tag
    if !bytes.starts_with(TAG) {
        return false;
    }
    if limit == 0 {
        return true;
    }
    let mut rest = bytes.get(HEADER..).unwrap_or_default();
    while let Some((size, after)) = rest.split_first_chunk::<4>() {
        let size = u32::from_be_bytes(*size) as usize;
        let Some(element) = after.get(..size) else {
            return false;
        };
        if nests_deeper_than(element, limit - 1) {
            return true;
        }
        rest = &after[size..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use rosc::{OscBundle, OscTime};

    fn msg(addr: &str, args: Vec<OscType>) -> OscMessage {
        OscMessage {
            addr: addr.into(),
            args,
        }
    }

    fn param(name: &str, value: f64) -> Update {
        Update::Param {
            name: name.into(),
            value,
        }
    }

    fn s(text: &str) -> OscType {
        OscType::String(text.into())
    }

    #[test]
    fn param_takes_a_name_and_any_numeric_value() {
        let cases = [
            (OscType::Float(500.0), 500.0),
            (OscType::Double(0.25), 0.25),
            (OscType::Int(-3), -3.0),
            (OscType::Long(1 << 40), (1u64 << 40) as f64),
        ];
        for (value, expect) in cases {
            assert_eq!(
                decode_message(&msg("/param", vec![s("cutoff"), value])),
                Ok(param("cutoff", expect))
            );
        }
    }

    #[test]
    fn reset_names_a_parameter() {
        assert_eq!(
            decode_message(&msg("/param/reset", vec![s("cutoff")])),
            Ok(Update::ResetParam {
                name: "cutoff".into()
            })
        );
        assert_eq!(
            decode_message(&msg("/param/reset", vec![OscType::Float(1.0)])),
            Err(OscReject::WrongType)
        );
        assert_eq!(
            decode_message(&msg("/param/reset", vec![])),
            Err(OscReject::WrongArgCount)
        );
    }

    #[test]
    fn param_in_the_address() {
        assert_eq!(
            decode_message(&msg("/param/cutoff", vec![OscType::Float(440.0)])),
            Ok(param("cutoff", 440.0))
        );
        // The session decides which names exist, odd ones included.
        assert_eq!(
            decode_message(&msg("/param/", vec![OscType::Int(1)])),
            Ok(param("", 1.0))
        );
        assert_eq!(
            decode_message(&msg("/param/cutoff", vec![])),
            Err(OscReject::WrongArgCount)
        );
        assert_eq!(
            decode_message(&msg("/param/cutoff", vec![s("high")])),
            Err(OscReject::WrongType)
        );
    }

    #[test]
    fn ctrl_as_tidal_sends_it() {
        assert_eq!(
            decode_message(&msg("/ctrl", vec![s("speed"), OscType::Float(1.5)])),
            Ok(param("speed", 1.5))
        );
        assert_eq!(
            decode_message(&msg("/ctrl", vec![s("speed"), OscType::Int(2)])),
            Ok(param("speed", 2.0))
        );
        // Tidal's MIDI bridge: `oscformat ctrl` with `format if`.
        assert_eq!(
            decode_message(&msg("/ctrl", vec![OscType::Int(74), OscType::Float(0.5)])),
            Ok(param("cc74", 0.5))
        );
        // Tidal stores string values; a signal cannot hold one.
        assert_eq!(
            decode_message(&msg("/ctrl", vec![s("vowel"), s("a")])),
            Err(OscReject::WrongType)
        );
        assert_eq!(
            decode_message(&msg(
                "/ctrl",
                vec![OscType::Float(1.0), OscType::Float(0.5)]
            )),
            Err(OscReject::WrongType)
        );
        assert_eq!(
            decode_message(&msg("/ctrl", vec![s("speed")])),
            Err(OscReject::WrongArgCount)
        );
    }

    #[test]
    fn tempo_must_be_a_positive_finite_number() {
        assert_eq!(
            decode_message(&msg("/tempo", vec![OscType::Float(0.5)])),
            Ok(Update::Tempo { cps: 0.5 })
        );
        assert_eq!(
            decode_message(&msg("/setcps", vec![OscType::Double(0.75)])),
            Ok(Update::Tempo { cps: 0.75 })
        );
        assert_eq!(
            decode_message(&msg("/tempo", vec![OscType::Float(0.0)])),
            Err(OscReject::OutOfRange)
        );
        assert_eq!(
            decode_message(&msg("/tempo", vec![OscType::Int(-1)])),
            Err(OscReject::OutOfRange)
        );
        assert_eq!(
            decode_message(&msg("/tempo", vec![OscType::Float(f32::NAN)])),
            Err(OscReject::NonFinite)
        );
        assert_eq!(
            decode_message(&msg("/tempo", vec![])),
            Err(OscReject::WrongArgCount)
        );
        assert_eq!(
            decode_message(&msg("/tempo", vec![OscType::Bool(true)])),
            Err(OscReject::WrongType)
        );
    }

    #[test]
    fn hush_takes_no_arguments() {
        assert_eq!(decode_message(&msg("/hush", vec![])), Ok(Update::Hush));
        assert_eq!(
            decode_message(&msg("/hush", vec![OscType::Int(1)])),
            Err(OscReject::WrongArgCount)
        );
    }

    #[test]
    fn non_finite_values_are_never_delivered() {
        for bad in [
            OscType::Float(f32::NAN),
            OscType::Float(f32::INFINITY),
            OscType::Double(f64::NEG_INFINITY),
            OscType::Double(f64::NAN),
            OscType::Inf,
        ] {
            assert_eq!(
                decode_message(&msg("/param", vec![s("x"), bad.clone()])),
                Err(OscReject::NonFinite)
            );
            assert_eq!(
                decode_message(&msg("/param/x", vec![bad])),
                Err(OscReject::NonFinite)
            );
        }
    }

    #[test]
    fn wrong_counts_and_types_are_told_apart() {
        assert_eq!(
            decode_message(&msg("/param", vec![s("x")])),
            Err(OscReject::WrongArgCount)
        );
        assert_eq!(
            decode_message(&msg(
                "/param",
                vec![s("x"), OscType::Int(1), OscType::Int(2)]
            )),
            Err(OscReject::WrongArgCount)
        );
        assert_eq!(
            decode_message(&msg("/param", vec![OscType::Int(1), OscType::Int(2)])),
            Err(OscReject::WrongType)
        );
        for bad in [
            s("1"),
            OscType::Bool(true),
            OscType::Nil,
            OscType::Blob(vec![1]),
            OscType::Char('a'),
        ] {
            assert_eq!(
                decode_message(&msg("/param", vec![s("x"), bad])),
                Err(OscReject::WrongType)
            );
        }
    }

    #[test]
    fn other_addresses_are_unknown() {
        for addr in ["/params", "/Param", "/par", "/", "/tempo/x", "/hush/now"] {
            assert_eq!(
                decode_message(&msg(addr, vec![OscType::Float(1.0)])),
                Err(OscReject::UnknownAddress),
                "{addr}"
            );
        }
    }

    fn bundle(content: Vec<OscPacket>) -> OscPacket {
        OscPacket::Bundle(OscBundle {
            timetag: OscTime::from((0, 1)),
            content,
        })
    }

    fn decode_all(bytes: &[u8]) -> Result<Vec<Result<Update, OscReject>>, Malformed> {
        let mut out = Vec::new();
        decode_packet(bytes, &mut |d| out.push(d))?;
        Ok(out)
    }

    #[test]
    fn nested_bundles_deliver_every_message_in_order() {
        let packet = bundle(vec![
            OscPacket::Message(msg("/param/a", vec![OscType::Int(1)])),
            bundle(vec![
                OscPacket::Message(msg("/param/b", vec![OscType::Int(2)])),
                OscPacket::Message(msg("/nope", vec![])),
                bundle(vec![OscPacket::Message(msg("/hush", vec![]))]),
            ]),
            OscPacket::Message(msg("/param/c", vec![OscType::Int(3)])),
        ]);
        let bytes = rosc::encoder::encode(&packet).unwrap();
        assert_eq!(
            decode_all(&bytes).unwrap(),
            vec![
                Ok(param("a", 1.0)),
                Ok(param("b", 2.0)),
                Err(OscReject::UnknownAddress),
                Ok(Update::Hush),
                Ok(param("c", 3.0)),
            ]
        );
    }

    fn nested(depth: usize) -> Vec<u8> {
        let mut packet = OscPacket::Message(msg("/param/deep", vec![OscType::Int(1)]));
        for _ in 0..depth {
            packet = bundle(vec![packet]);
        }
        rosc::encoder::encode(&packet).unwrap()
    }

    #[test]
    fn nesting_is_allowed_up_to_the_limit_and_refused_beyond() {
        assert_eq!(
            decode_all(&nested(MAX_BUNDLE_DEPTH)).unwrap(),
            vec![Ok(param("deep", 1.0))]
        );
        assert_eq!(
            decode_all(&nested(MAX_BUNDLE_DEPTH + 1)),
            Err(Malformed::TooDeep)
        );
    }

    /// `inner` wrapped in `depth` bundles, framed by hand: an encoder would recurse too.
    fn wrapped_by_hand(inner: &[u8], depth: usize) -> Vec<u8> {
        const LEVEL: usize = 20; // tag, time tag, element size
        let mut bytes = Vec::with_capacity(inner.len() + LEVEL * depth);
        for level in 0..depth {
            bytes.extend_from_slice(b"#bundle\0");
            bytes.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1]);
            let size = inner.len() + LEVEL * (depth - 1 - level);
            bytes.extend_from_slice(&(size as u32).to_be_bytes());
        }
        bytes.extend_from_slice(inner);
        bytes
    }

    #[test]
    fn hand_framing_matches_the_encoder() {
        let inner = rosc::encoder::encode(&OscPacket::Message(msg(
            "/param/deep",
            vec![OscType::Int(1)],
        )))
        .unwrap();
        assert_eq!(wrapped_by_hand(&inner, 3), nested(3));
    }

    #[test]
    fn a_datagram_deep_enough_to_overflow_the_decoder_is_refused_before_decoding() {
        // ~3,200 levels fit in one UDP datagram; the decoder would recurse through all of them.
        let inner = rosc::encoder::encode(&OscPacket::Message(msg("/hush", vec![]))).unwrap();
        let bytes = wrapped_by_hand(&inner, 3_200);
        assert!(bytes.len() <= 65_507, "{}", bytes.len());
        assert_eq!(decode_all(&bytes), Err(Malformed::TooDeep));
    }

    #[test]
    fn broken_packets_yield_nothing() {
        let good = rosc::encoder::encode(&OscPacket::Message(msg(
            "/param",
            vec![s("cutoff"), OscType::Float(1.0)],
        )))
        .unwrap();
        for cut in 0..good.len() {
            if let Ok(out) = decode_all(&good[..cut]) {
                panic!("a packet cut at {cut} decoded to {out:?}");
            }
        }
        assert!(matches!(decode_all(b""), Err(Malformed::Invalid(_))));
        // Junk after a whole message.
        let mut long = good.clone();
        long.extend_from_slice(&[0, 0, 0, 0]);
        assert!(matches!(decode_all(&long), Err(Malformed::Invalid(_))));
        // A bundle whose second element is cut short: its first element must not apply.
        let inner = rosc::encoder::encode(&OscPacket::Message(msg("/hush", vec![]))).unwrap();
        let mut bundle_bytes = b"#bundle\0\0\0\0\0\0\0\0\x01".to_vec();
        bundle_bytes.extend_from_slice(&(inner.len() as u32).to_be_bytes());
        bundle_bytes.extend_from_slice(&inner);
        bundle_bytes.extend_from_slice(&1000u32.to_be_bytes());
        bundle_bytes.extend_from_slice(&inner);
        assert!(matches!(
            decode_all(&bundle_bytes),
            Err(Malformed::Invalid(_))
        ));
        // The same bundle whole is fine.
        let whole = bundle_bytes.len() - inner.len() - 4;
        assert_eq!(
            decode_all(&bundle_bytes[..whole]).unwrap(),
            vec![Ok(Update::Hush)]
        );
        assert!(matches!(
            decode_all(b"param\0\0\0,f\0\0\0\0\0\0"),
            Err(Malformed::Invalid(_))
        ));
    }

    #[test]
    fn dispatch_counts_every_outcome() {
        let counters = OscCounters::new();
        let mut got = Vec::new();
        let mut sink = |u: Update| {
            let answer = match &u {
                Update::Param { name, .. } if name == "nope" => crate::Delivery::UnknownName,
                _ => crate::Delivery::Applied,
            };
            got.push(u);
            answer
        };
        let packet = bundle(vec![
            OscPacket::Message(msg("/param/cutoff", vec![OscType::Float(1.0)])),
            OscPacket::Message(msg("/param/nope", vec![OscType::Float(1.0)])),
            OscPacket::Message(msg("/param/cutoff", vec![OscType::Float(f32::NAN)])),
            OscPacket::Message(msg("/param/cutoff", vec![s("x")])),
            OscPacket::Message(msg("/param/cutoff", vec![])),
            OscPacket::Message(msg("/else", vec![])),
            OscPacket::Message(msg("/tempo", vec![OscType::Float(-1.0)])),
        ]);
        dispatch_packet(
            &rosc::encoder::encode(&packet).unwrap(),
            &counters,
            &mut sink,
        );
        dispatch_packet(b"garbage", &counters, &mut sink);
        assert_eq!(got, vec![param("cutoff", 1.0), param("nope", 1.0)]);
        let s = counters.snapshot();
        assert_eq!(
            (
                s.packets,
                s.malformed,
                s.received,
                s.applied,
                s.unknown_name
            ),
            (2, 1, 7, 1, 1)
        );
        assert_eq!(
            (
                s.non_finite,
                s.wrong_type,
                s.wrong_arg_count,
                s.unknown_address,
                s.out_of_range
            ),
            (1, 1, 1, 1, 1)
        );
    }
}
