//! Headless Chromium over the DevTools protocol: open a page, evaluate, wait, screenshot.
//!
//! Chromium is started with a fresh profile directory and `--remote-debugging-port=0`;
//! it writes the port it chose to `DevToolsActivePort` in that directory. The page's
//! DevTools websocket comes from `/json/list`. Everything stays on loopback, and the
//! flags keep Chromium from reaching for the network on its own.

use std::fmt;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// How long one DevTools call may take before the test fails instead of hanging.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// A failure while driving the browser.
#[derive(Debug)]
pub struct BrowserError(pub String);

impl fmt::Display for BrowserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BrowserError {}

fn err(msg: impl Into<String>) -> BrowserError {
    BrowserError(msg.into())
}

/// A rectangle in CSS pixels (which are screenshot pixels at device pixel ratio 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// A running headless Chromium; killed (and its profile removed) on drop.
pub struct Browser {
    child: Child,
    profile: PathBuf,
    port: u16,
}

/// The Chromium executable: `$KANON_CHROMIUM`, else the first of `chromium`,
/// `chromium-browser`, `google-chrome` found on `PATH`.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KANON_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

impl Browser {
    /// Starts headless Chromium with a `width × height` window, or `Ok(None)` when no
    /// Chromium is installed (the caller prints a note and skips).
    pub fn launch(width: u32, height: u32) -> Result<Option<Browser>, BrowserError> {
        let Some(exe) = find_chromium() else {
            return Ok(None);
        };
        let profile = std::env::temp_dir().join(format!(
            "kanon-scope-chromium-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        std::fs::create_dir_all(&profile).map_err(|e| err(format!("profile dir: {e}")))?;
        let log = std::fs::File::create(profile.join("chromium.log"))
            .map_err(|e| err(format!("log file: {e}")))?;
        let child = Command::new(&exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--mute-audio",
                "--hide-scrollbars",
                // A page in the background must keep drawing every frame.
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--window-size={width},{height}"))
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .map_err(|e| err(format!("cannot start {}: {e}", exe.display())))?;
        let mut browser = Browser {
            child,
            profile,
            port: 0,
        };
        browser.port = browser.wait_for_port(Duration::from_secs(30))?;
        Ok(Some(browser))
    }

    fn wait_for_port(&mut self, timeout: Duration) -> Result<u16, BrowserError> {
        let file = self.profile.join("DevToolsActivePort");
        let start = Instant::now();
        loop {
            if let Ok(text) = std::fs::read_to_string(&file) {
                if let Some(port) = text.lines().next().and_then(|l| l.trim().parse().ok()) {
                    return Ok(port);
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(err(format!(
                    "chromium exited ({status}) before DevTools was up: {}",
                    self.log_tail()
                )));
            }
            if start.elapsed() > timeout {
                return Err(err(format!(
                    "no DevTools port after {timeout:?}: {}",
                    self.log_tail()
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The last lines Chromium wrote to stderr (for failure messages).
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.profile.join("chromium.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(12)..].join("\n")
    }

    /// Connects to the browser's page and navigates it to `url`.
    pub fn open(&self, url: &str) -> Result<Page, BrowserError> {
        let list = http_get(self.port, "/json/list")?;
        let targets: Value =
            serde_json::from_str(&list).map_err(|e| err(format!("/json/list: {e}: {list}")))?;
        let ws_url = targets
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["type"] == "page")
            .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            .ok_or_else(|| err(format!("no page target in {list}")))?
            .to_string();
        let (mut ws, _) = tungstenite::connect(ws_url.as_str())
            .map_err(|e| err(format!("DevTools connect: {e}")))?;
        if let MaybeTlsStream::Plain(s) = ws.get_mut() {
            let _ = s.set_read_timeout(Some(CALL_TIMEOUT));
        }
        let mut page = Page { ws, next_id: 1 };
        page.navigate(url)?;
        Ok(page)
    }

    /// The profile directory (removed on drop).
    pub fn profile_dir(&self) -> &Path {
        &self.profile
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A minimal HTTP GET on loopback, for DevTools' JSON endpoints. The body is read by its
/// Content-Length: Chromium keeps the connection open despite `Connection: close`.
fn http_get(port: u16, path: &str) -> Result<String, BrowserError> {
    let mut s =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| err(format!("DevTools http: {e}")))?;
    let _ = s.set_read_timeout(Some(CALL_TIMEOUT));
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| err(e.to_string()))?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(head_end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| err(format!("DevTools response without length: {head}")))?;
            let body_start = head_end + 4;
            if buf.len() >= body_start + len {
                return Ok(String::from_utf8_lossy(&buf[body_start..body_start + len]).into_owned());
            }
        }
        let n = s
            .read(&mut chunk)
            .map_err(|e| err(format!("DevTools http read: {e}")))?;
        if n == 0 {
            return Err(err("DevTools http: connection closed early"));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// One page, driven over its DevTools websocket.
pub struct Page {
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

impl Page {
    /// Sends one DevTools command and returns its `result`.
    pub fn call(&mut self, method: &str, params: Value) -> Result<Value, BrowserError> {
        let id = self.next_id;
        self.next_id += 1;
        let msg = json!({ "id": id, "method": method, "params": params });
        self.ws
            .send(Message::text(msg.to_string()))
            .map_err(|e| err(format!("{method}: {e}")))?;
        loop {
            let reply = self.ws.read().map_err(|e| err(format!("{method}: {e}")))?;
            let Message::Text(text) = reply else { continue };
            let v: Value = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;
            // Events (no id) and stale replies are skipped.
            if v["id"] != id {
                continue;
            }
            if let Some(e) = v.get("error") {
                return Err(err(format!("{method}: {e}")));
            }
            return Ok(v["result"].clone());
        }
    }

    /// Navigates to `url` (returns once navigation started; wait for the page with
    /// [`Page::wait_until`]).
    pub fn navigate(&mut self, url: &str) -> Result<(), BrowserError> {
        let r = self.call("Page.navigate", json!({ "url": url }))?;
        if let Some(e) = r.get("errorText") {
            return Err(err(format!("navigate to {url}: {e}")));
        }
        Ok(())
    }

    /// Evaluates a JavaScript expression and returns its value.
    pub fn eval(&mut self, expression: &str) -> Result<Value, BrowserError> {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        )?;
        if let Some(e) = r.get("exceptionDetails") {
            return Err(err(format!("`{expression}` threw: {e}")));
        }
        Ok(r["result"]["value"].clone())
    }

    /// Polls `expression` every 50 ms until it is truthy; fails after `timeout`.
    pub fn wait_until(
        &mut self,
        expression: &str,
        timeout: Duration,
    ) -> Result<Value, BrowserError> {
        let start = Instant::now();
        let wrapped = format!(
            "(() => {{ try {{ return ({expression}); }} catch (e) {{ return null; }} }})()"
        );
        loop {
            let v = self.eval(&wrapped)?;
            let truthy = match &v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return Ok(v);
            }
            if start.elapsed() > timeout {
                return Err(err(format!(
                    "`{expression}` still not true after {timeout:?} (last: {v})"
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The bounding box of the first element matching `selector`.
    pub fn rect(&mut self, selector: &str) -> Result<Rect, BrowserError> {
        let sel = serde_json::to_string(selector).map_err(|e| err(e.to_string()))?;
        let v = self.eval(&format!(
            "(() => {{ const r = document.querySelector({sel}).getBoundingClientRect(); \
             return [r.x, r.y, r.width, r.height]; }})()"
        ))?;
        let n = |i: usize| {
            v[i].as_f64()
                .ok_or_else(|| err(format!("rect of {selector}: {v}")))
        };
        Ok(Rect {
            x: n(0)?,
            y: n(1)?,
            width: n(2)?,
            height: n(3)?,
        })
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot(&mut self) -> Result<Vec<u8>, BrowserError> {
        let r = self.call("Page.captureScreenshot", json!({ "format": "png" }))?;
        let data = r["data"]
            .as_str()
            .ok_or_else(|| err("screenshot without data"))?;
        data_encoding::BASE64
            .decode(data.as_bytes())
            .map_err(|e| err(format!("screenshot base64: {e}")))
    }
}
