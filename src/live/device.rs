//! The audio device: picking a host and an output device, opening the output stream
//! whose callback runs the engine's [`AudioProcessor`], and `kanonc devices`.

use cpal::traits::{DeviceTrait, HostTrait};
use cpal::{FromSample, HostId, SizedSample};
use kanon_compiler::Program;
use kanon_runtime::engine::AudioProcessor;
use std::sync::atomic::{AtomicU64, Ordering::*};
use std::sync::Arc;

pub const NO_DEVICE_HELP: &str = "\
no audio output device.
  - start a JACK server (no sound card needed):
      jackd --no-realtime -d dummy -r 48000 -p 256 &
    and run `kanonc run --host jack FILE`;
  - or render offline: `kanonc render FILE -o out.wav`.
  `kanonc devices` lists what cpal can see.";

/// Keeps alsa-lib's own messages (eight lines of "cannot find card '0'" on a machine
/// without a sound card) off the terminal while devices are probed on this thread;
/// kanonc says what went wrong and what to do instead. `KANONC_ALSA_LOG=1` prints them.
pub struct QuietAlsa {
    #[cfg(target_os = "linux")]
    log: Option<std::rc::Rc<std::cell::RefCell<alsa::Output>>>,
}

impl QuietAlsa {
    /// Starts capturing alsa-lib's messages on this thread (until dropped).
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        #[cfg(target_os = "linux")]
        if std::env::var_os("KANONC_ALSA_LOG").is_none() {
            quiet_jack();
        }
        QuietAlsa {
            #[cfg(target_os = "linux")]
            log: alsa::Output::local_error_handler().ok(),
        }
    }
}

/// Silences libjack's own messages: probing ALSA devices loads its JACK plugin, which
/// tries the JACK server named `default` and prints "jack server is not running" even
/// when another server is running and about to be used, and libjack's messages during
/// a session would break the status line. kanonc reports what it could not open
/// itself, and stream errors reach it through cpal. Called again after the jack crate
/// (which installs its own handlers when it opens a client) has run.
#[cfg(target_os = "linux")]
pub fn quiet_jack() {
    unsafe extern "C" fn silent(_: *const libc::c_char) {}
    type SetFn = unsafe extern "C" fn(Option<unsafe extern "C" fn(*const libc::c_char)>);
    static SETTERS: std::sync::OnceLock<Vec<SetFn>> = std::sync::OnceLock::new();
    let setters = SETTERS.get_or_init(|| {
        // SAFETY: dlopen/dlsym with valid C strings; a symbol found under these names
        // has libjack's `void (*)(void (*)(const char *))` signature. The library is
        // never closed, so the pointers stay valid.
        unsafe {
            let lib = libc::dlopen(c"libjack.so.0".as_ptr(), libc::RTLD_LAZY);
            if lib.is_null() {
                return Vec::new();
            }
            [c"jack_set_error_function", c"jack_set_info_function"]
                .iter()
                .map(|name| libc::dlsym(lib, name.as_ptr()))
                .filter(|f| !f.is_null())
                .map(|f| std::mem::transmute::<*mut libc::c_void, SetFn>(f))
                .collect()
        }
    });
    for set in setters {
        // SAFETY: libjack's setter, given a handler that ignores its argument.
        unsafe { set(Some(silent)) };
    }
}

impl Drop for QuietAlsa {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        if let Some(log) = &self.log {
            let text = log.borrow().to_string();
            if std::env::var_os("KANONC_ALSA_LOG").is_some() && !text.is_empty() {
                eprint!("{text}");
            }
        }
    }
}

/// An output device and its default configuration.
pub type Output = (cpal::Device, cpal::SupportedStreamConfig);

/// The output device asked for, with its default configuration. With no `--host`, the
/// platform's default host is tried first and then a running JACK server, so a machine
/// with no sound card but a JACK server plays through JACK without flags; the second
/// value then says so (a note for the user).
pub fn open(
    host_name: Option<&str>,
    device: Option<&str>,
) -> Result<(Output, Option<String>), String> {
    let first = open_on(host(host_name)?, device);
    match (first, host_name) {
        (Ok(o), _) => Ok((o, None)),
        (Err(e), Some(_)) => Err(e),
        (Err(e), None) => match running_jack(device) {
            Some(o) => Ok((
                o,
                Some(format!(
                    "note: the default audio host has no usable output ({}); playing through the running JACK server",
                    reason(&e)
                )),
            )),
            None => Err(e),
        },
    }
}

/// The first line of an error, without its `error: ` prefix.
pub fn reason(e: &str) -> &str {
    let first = e.lines().next().unwrap_or_default();
    first.strip_prefix("error: ").unwrap_or(first)
}

fn open_on(host: cpal::Host, device: Option<&str>) -> Result<Output, String> {
    let device = pick_device(&host, device)?;
    let default = device.default_output_config().map_err(|e| {
        format!("error: {device}: no usable output configuration: {e}\n{NO_DEVICE_HELP}")
    })?;
    Ok((device, default))
}

/// An output on a JACK server that is already running (none is started).
fn running_jack(device: Option<&str>) -> Option<Output> {
    if cpal::default_host().id() == HostId::Jack || !cpal::available_hosts().contains(&HostId::Jack)
    {
        return None;
    }
    let host = cpal::host_from_id(HostId::Jack).ok()?;
    open_on(host, device).ok()
}

fn host(name: Option<&str>) -> Result<cpal::Host, String> {
    match name {
        None => Ok(cpal::default_host()),
        Some(n) => {
            let id: HostId = n.parse().map_err(|e| {
                let avail: Vec<String> = cpal::available_hosts()
                    .iter()
                    .map(|h| h.to_string())
                    .collect();
                format!("error: --host {n}: {e} (available: {})", avail.join(", "))
            })?;
            cpal::host_from_id(id).map_err(|e| {
                format!("error: the {n} host is not available ({e}).\n{NO_DEVICE_HELP}")
            })
        }
    }
}

/// `kanonc devices`.
pub fn devices() -> Result<(), String> {
    let _quiet = QuietAlsa::new();
    for id in cpal::available_hosts() {
        #[cfg(target_os = "linux")]
        if std::env::var_os("KANONC_ALSA_LOG").is_none() {
            quiet_jack();
        }
        println!("host {id}");
        let Ok(h) = cpal::host_from_id(id) else {
            println!("  (not running)");
            continue;
        };
        let default = h.default_output_device().map(|d| d.to_string());
        match h.output_devices() {
            Ok(devs) => {
                let mut any = false;
                for d in devs {
                    any = true;
                    let name = d.to_string();
                    let cfg = d
                        .default_output_config()
                        .map(|c| {
                            format!(
                                "{} ch, {} Hz, {}",
                                c.channels(),
                                c.sample_rate(),
                                c.sample_format()
                            )
                        })
                        .unwrap_or_else(|e| format!("unusable: {e}"));
                    let mark = if Some(&name) == default.as_ref() {
                        " (default)"
                    } else {
                        ""
                    };
                    println!("  {name}{mark}: {cfg}");
                }
                if !any {
                    println!("  (no output devices)");
                }
            }
            Err(e) => println!("  cannot list devices: {e}"),
        }
    }
    Ok(())
}

fn pick_device(host: &cpal::Host, name: Option<&str>) -> Result<cpal::Device, String> {
    match name {
        None => host
            .default_output_device()
            .ok_or_else(|| format!("error: {NO_DEVICE_HELP}")),
        Some(n) => {
            let devs = host
                .output_devices()
                .map_err(|e| format!("error: cannot list devices: {e}\n{NO_DEVICE_HELP}"))?;
            let devs: Vec<cpal::Device> = devs.collect();
            devs.iter()
                .find(|d| d.to_string() == n)
                .or_else(|| devs.iter().find(|d| d.to_string().contains(n)))
                .cloned()
                .ok_or_else(|| {
                    let names: Vec<String> = devs.iter().map(|d| d.to_string()).collect();
                    format!(
                        "error: no output device named `{n}`; there are: {}",
                        if names.is_empty() {
                            "none".into()
                        } else {
                            names.join(", ")
                        }
                    )
                })
        }
    }
}

/// Counters the cpal error callback updates.
#[derive(Default)]
pub struct StreamErrors {
    /// Buffer under- or overruns the host reported.
    pub xruns: AtomicU64,
    /// Any other stream error.
    pub other: AtomicU64,
    /// The last such error, for the session to print above its status line.
    message: std::sync::Mutex<Option<String>>,
}

impl StreamErrors {
    /// The last stream error not printed yet.
    pub fn take_message(&self) -> Option<String> {
        self.message.lock().ok()?.take()
    }
}

/// Builds the output stream; the callback converts from the engine's f32 frames.
fn build_stream<T>(
    device: &cpal::Device,
    config: &cpal::StreamConfig,
    mut proc: AudioProcessor<Program>,
    errors: Arc<StreamErrors>,
) -> Result<cpal::Stream, String>
where
    T: SizedSample + FromSample<f32>,
{
    let ch = usize::from(config.channels);
    // Conversion buffer, allocated here and never resized in the callback.
    let mut conv = vec![0f32; 4096 * ch];
    let data_cb = move |data: &mut [T], _: &cpal::OutputCallbackInfo| {
        for chunk in data.chunks_mut(conv.len()) {
            let buf = &mut conv[..chunk.len()];
            proc.process(buf);
            for (d, s) in chunk.iter_mut().zip(buf.iter()) {
                *d = T::from_sample(*s);
            }
        }
    };
    let err_cb = move |e: cpal::Error| {
        if e.kind() == cpal::ErrorKind::Xrun {
            errors.xruns.fetch_add(1, Relaxed);
        } else {
            errors.other.fetch_add(1, Relaxed);
            // Rare (the stream is failing): the text is kept for the session to print
            // above its status line; never waits for the lock (on some hosts this runs
            // on the audio thread).
            if let Ok(mut m) = errors.message.try_lock() {
                *m = Some(e.to_string());
            }
        }
    };
    device
        .build_output_stream::<T, _, _>(*config, data_cb, err_cb, None)
        .map_err(|e| format!("error: cannot open the output stream: {e}"))
}

/// Opens the output stream in the device's sample format.
pub fn stream(
    device: &cpal::Device,
    format: cpal::SampleFormat,
    config: &cpal::StreamConfig,
    proc: AudioProcessor<Program>,
    errors: Arc<StreamErrors>,
) -> Result<cpal::Stream, String> {
    use cpal::SampleFormat as F;
    match format {
        F::F32 => build_stream::<f32>(device, config, proc, errors),
        F::I16 => build_stream::<i16>(device, config, proc, errors),
        F::I32 => build_stream::<i32>(device, config, proc, errors),
        F::U16 => build_stream::<u16>(device, config, proc, errors),
        F::F64 => build_stream::<f64>(device, config, proc, errors),
        other => Err(format!(
            "error: {device}: sample format {other} is not supported"
        )),
    }
}
