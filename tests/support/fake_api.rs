//! A loopback stand-in for the Fastly API, in the test process: the endpoints under
//! `/service/ID/version/N/` that `fastly service backend|healthcheck create|update` and curl
//! scripts call (directors and their members, `director/NAME/backend/BACKEND`, included; a
//! version's `clone`, the next number; snippets; deletes),
//! answered as the API would (the form echoed back on create and update), with every request
//! recorded for assertions. Minimal HTTP/1.1: one request per connection
//! (`Connection: close`), `Content-Length` or chunked bodies, `Expect: 100-continue`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use serde_json::{Value, json};

/// One request as the API received it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The path, percent-encoded as sent, without the query.
    pub path: String,
    /// The form (`application/x-www-form-urlencoded` body), last value of each key.
    pub form: BTreeMap<String, String>,
    /// The form with every value of each key, in order (a healthcheck's repeated `headers`).
    pub form_all: BTreeMap<String, Vec<String>>,
}

/// The fake API, listening on `127.0.0.1` on a free port until dropped.
pub struct FakeApi {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FakeApi {
    pub fn start() -> FakeApi {
        let listener = TcpListener::bind("127.0.0.1:0").expect("the fake API binds a port");
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let requests = Arc::clone(&requests);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let requests = Arc::clone(&requests);
                    std::thread::spawn(move || {
                        // A client that hangs up early is its own business.
                        let _ = serve(stream, addr, &requests);
                    });
                }
            })
        };
        FakeApi {
            addr,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`, for `FASTLY_API_ENDPOINT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far, in the order they were read.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees `stop`.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    stream: TcpStream,
    addr: SocketAddr,
    requests: &Mutex<Vec<Request>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(());
    }
    let mut words = line.split_whitespace();
    let (Some(method), Some(target)) = (words.next(), words.next()) else {
        return Ok(());
    };
    let method = method.to_string();
    let path = target
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string();

    let mut headers = BTreeMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 {
            break;
        }
        let header = header.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    if headers
        .get("expect")
        .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
    {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let mut body = Vec::new();
    if headers
        .get("transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"))
    {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .unwrap_or(0);
            if size == 0 {
                // Trailers, up to the empty line.
                let mut rest = String::new();
                while reader.read_line(&mut rest)? > 2 {
                    rest.clear();
                }
                break;
            }
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(length) = headers.get("content-length") {
        body = vec![0; length.parse().unwrap_or(0)];
        reader.read_exact(&mut body)?;
    }

    let form_all = decode_form(&String::from_utf8_lossy(&body));
    let form: BTreeMap<String, String> = form_all
        .iter()
        .map(|(k, v)| (k.clone(), v.last().cloned().unwrap_or_default()))
        .collect();
    let reply = reply(&method, &path, &form, addr);
    requests.lock().unwrap().push(Request {
        method,
        path,
        form,
        form_all,
    });

    let data = reply.to_string();
    write!(
        writer,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{data}",
        data.len()
    )?;
    writer.flush()
}

/// What the API answers (what the Fastly CLI reads back: the object it sent, the versions).
fn reply(method: &str, path: &str, form: &BTreeMap<String, String>, addr: SocketAddr) -> Value {
    let parts: Vec<String> = path
        .trim_matches('/')
        .split('/')
        .map(percent_decode)
        .collect();
    let base = format!("http://{addr}");
    if method == "DELETE" {
        return json!({ "status": "ok" });
    }
    if path.ends_with("/.well-known/openid-configuration") {
        return json!({
            "issuer": base,
            "authorization_endpoint": format!("{base}/auth"),
            "token_endpoint": format!("{base}/token"),
            "jwks_uri": format!("{base}/jwks"),
        });
    }
    if parts.len() == 3 && parts[0] == "service" && parts[2] == "version" {
        return json!([
            { "number": 1, "service_id": parts[1], "active": false, "locked": false }
        ]);
    }
    if parts.len() == 5 && parts[0] == "service" && parts[4] == "clone" {
        // A clone is the next version, editable; the API answers with it on one line.
        let number = parts[3].parse::<u64>().unwrap_or(1) + 1;
        return json!({ "number": number, "service_id": parts[1], "active": false, "locked": false });
    }
    if parts.len() == 8 && parts[0] == "service" && parts[4] == "director" && parts[6] == "backend"
    {
        // A director's member: the relation, as the API answers it.
        return json!({
            "service_id": parts[1],
            "version": parts[3].parse::<u64>().unwrap_or(1),
            "director_name": parts[5],
            "backend_name": parts[7],
        });
    }
    if parts.len() >= 4 && parts[0] == "service" && parts[2] == "version" {
        let version: u64 = parts[3].parse().unwrap_or(1);
        let mut object: serde_json::Map<String, Value> = form
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        object.insert("service_id".into(), Value::String(parts[1].clone()));
        object.insert("version".into(), Value::from(version));
        if parts.len() == 4 {
            object.insert("number".into(), Value::from(version));
            object.insert("active".into(), Value::Bool(false));
            object.insert("locked".into(), Value::Bool(false));
        }
        return Value::Object(object);
    }
    let id = parts.get(1).cloned().unwrap_or_else(|| "service".into());
    // Version 1 is active (what `--version=active` finds) yet editable (so `latest` is 1 too).
    json!({ "id": id, "versions": [{ "number": 1 }], "active_version": { "number": 1, "active": true } })
}

/// An `application/x-www-form-urlencoded` body: every key with all its values, in order.
/// A pair without `=` has the empty value; empty pairs are skipped.
pub fn decode_form(body: &str) -> BTreeMap<String, Vec<String>> {
    let mut form: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in body.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        form.entry(form_decode(key))
            .or_default()
            .push(form_decode(value));
    }
    form
}

/// A form component: `+` is a space, then percent-decoding.
fn form_decode(s: &str) -> String {
    percent_decode(&s.replace('+', " "))
}

/// Percent-decoding, as UTF-8 (invalid sequences replaced); a `%` not followed by two hex
/// digits stays as it is.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
