//! The preview server's own small HTTP/1.1 layer on `std::net`: one request per connection
//! (`Connection: close`), a cap on connections open at once, a deadline and a size cap for
//! the request head. No keep-alive, so no connection can wait behind another (tiny_http 0.12's
//! connection pool let a browser's keep-alive connections stall a page's requests for minutes),
//! and a client that sends an endless or slow header costs one capped thread for a few
//! seconds, not memory or threads without end.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The largest request head (request line and headers) read; a browser's is a few KiB.
pub const MAX_HEAD_BYTES: usize = 32 * 1024;

/// How many connections are served at once; more are closed unanswered. A page's browser
/// opens about six; the reload script holds one.
pub const MAX_CONNECTIONS: usize = 64;

/// How long a client may take to send its whole request head.
pub const HEAD_TIMEOUT_MS: u64 = 10_000;

/// How long one write to a client may block (a client that stops reading).
pub const WRITE_TIMEOUT_MS: u64 = 30_000;

/// A request as the preview needs it: method, target and the few headers it reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestHead {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The request target as sent (`/a/b?x=1`).
    pub url: String,
    /// The `Host` header.
    pub host: Option<String>,
    /// The `Cookie` header.
    pub cookie: Option<String>,
    /// The `Sec-Fetch-Site` header (browsers say where the request comes from).
    pub fetch_site: Option<String>,
}

/// Why no request head was read.
#[derive(Debug, thiserror::Error)]
pub enum HeadError {
    /// The head grew past [`MAX_HEAD_BYTES`].
    #[error("the request head is larger than {MAX_HEAD_BYTES} bytes")]
    TooLarge,
    /// The client did not finish its head within [`HEAD_TIMEOUT_MS`] or closed early.
    #[error("the request head did not arrive in time")]
    Incomplete,
    /// The head is not `METHOD TARGET HTTP/x.y` plus `Name: value` lines.
    #[error("the request head is malformed")]
    Malformed,
    /// The connection failed.
    #[error("the connection failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Reads the request head from `stream`, giving up after `deadline` or [`MAX_HEAD_BYTES`].
pub fn read_head(stream: &mut TcpStream, deadline: Instant) -> Result<RequestHead, HeadError> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        if let Some(end) = find_head_end(&head) {
            head.truncate(end);
            return parse_head(&head);
        }
        if head.len() > MAX_HEAD_BYTES {
            return Err(HeadError::TooLarge);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::Incomplete);
        }
        stream.set_read_timeout(Some(left))?;
        let read = match stream.read(&mut buffer) {
            Ok(0) => return Err(HeadError::Incomplete),
            Ok(read) => read,
            Err(err)
                if matches!(
                    err.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(HeadError::Incomplete);
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err.into()),
        };
        head.extend_from_slice(buffer.get(..read).unwrap_or_default());
    }
}

/// Where the head ends (before its blank line), if it has.
fn find_head_end(bytes: &[u8]) -> Option<usize> {
    bytes.windows(4).position(|w| w == b"\r\n\r\n").or_else(|| {
        // Some clients end lines with a bare LF.
        bytes.windows(2).position(|w| w == b"\n\n")
    })
}

/// Parses `METHOD TARGET HTTP/x.y` and the header lines.
fn parse_head(bytes: &[u8]) -> Result<RequestHead, HeadError> {
    let text = std::str::from_utf8(bytes).map_err(|_| HeadError::Malformed)?;
    let mut lines = text.split('\n').map(|line| line.trim_end_matches('\r'));
    let request_line = lines.next().ok_or(HeadError::Malformed)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(url), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed);
    };
    if method.is_empty() || url.is_empty() || !version.starts_with("HTTP/1.") {
        return Err(HeadError::Malformed);
    }
    let mut head = RequestHead {
        method: method.to_string(),
        url: url.to_string(),
        ..RequestHead::default()
    };
    for line in lines {
        let (name, value) = line.split_once(':').ok_or(HeadError::Malformed)?;
        let value = Some(value.trim().to_string());
        if name.eq_ignore_ascii_case("host") {
            head.host = value;
        } else if name.eq_ignore_ascii_case("cookie") {
            head.cookie = value;
        } else if name.eq_ignore_ascii_case("sec-fetch-site") {
            head.fetch_site = value;
        }
    }
    Ok(head)
}

/// What is sent back: status, headers (Content-Length and Connection are added) and body.
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers other than Content-Length and Connection.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Body,
}

/// A response body.
#[derive(Debug)]
pub enum Body {
    /// Bytes in memory.
    Bytes(Vec<u8>),
    /// A file, sent as it is read.
    File(std::fs::File),
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        _ => "Status",
    }
}

/// Writes `response` (without its body for `HEAD`) and ends the connection.
pub fn write_response(
    stream: &mut TcpStream,
    response: Response,
    is_head: bool,
) -> std::io::Result<()> {
    stream.set_write_timeout(Some(Duration::from_millis(WRITE_TIMEOUT_MS)))?;
    let length = match &response.body {
        Body::Bytes(bytes) => bytes.len() as u64,
        Body::File(file) => file.metadata()?.len(),
    };
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        // Values are built by the server; a line break would split the header.
        if !value.contains(['\r', '\n']) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!(
        "Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ));
    let mut out = std::io::BufWriter::new(&mut *stream);
    out.write_all(head.as_bytes())?;
    if !is_head {
        match response.body {
            Body::Bytes(bytes) => out.write_all(&bytes)?,
            Body::File(file) => {
                std::io::copy(&mut file.take(length), &mut out)?;
            }
        }
    }
    out.flush()?;
    drop(out);
    stream.shutdown(Shutdown::Write)
}

/// Counts a connection as open until dropped.
pub struct ConnectionSlot(Arc<AtomicUsize>);

impl ConnectionSlot {
    /// Takes a slot of `open`, or None when [`MAX_CONNECTIONS`] are open.
    pub fn take(open: &Arc<AtomicUsize>) -> Option<ConnectionSlot> {
        open.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
            (n < MAX_CONNECTIONS).then_some(n + 1)
        })
        .ok()
        .map(|_| ConnectionSlot(Arc::clone(open)))
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Accepts connections on `listener` until `stopping` says so (the owner then connects once
/// to wake the accept), answering each on its own thread with `answer`.
pub fn accept_loop(
    listener: &TcpListener,
    stopping: &dyn Fn() -> bool,
    answer: &Arc<dyn Fn(&RequestHead) -> Response + Send + Sync>,
) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        if stopping() {
            break;
        }
        let Ok(mut stream) = stream else {
            // Out of file descriptors and the like: let connections close before trying again.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let Some(slot) = ConnectionSlot::take(&open) else {
            // Too many open: close this one unanswered rather than grow without end.
            continue;
        };
        let answer = Arc::clone(answer);
        let _ = std::thread::Builder::new()
            .name("byline-preview-request".into())
            .spawn(move || {
                let _slot = slot;
                let deadline = Instant::now() + Duration::from_millis(HEAD_TIMEOUT_MS);
                let response = match read_head(&mut stream, deadline) {
                    Ok(head) => {
                        let is_head = head.method == "HEAD";
                        let response = answer(&head);
                        let _ = write_response(&mut stream, response, is_head);
                        return;
                    }
                    Err(HeadError::TooLarge) => plain(431, "the request head is too large"),
                    Err(HeadError::Malformed) => plain(400, "malformed request"),
                    Err(HeadError::Incomplete | HeadError::Io(_)) => return,
                };
                let _ = write_response(&mut stream, response, false);
            });
    }
}

fn plain(status: u16, why: &str) -> Response {
    Response {
        status,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
        body: Body::Bytes(format!("Byline preview: {why}\n").into_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_parsed_with_headers_named_in_any_case() {
        let head = parse_head(
            b"GET /a?b=1 HTTP/1.1\r\nhost: 127.0.0.1:9\r\nCOOKIE: x=1\r\nSec-Fetch-Site: same-origin",
        )
        .unwrap();
        assert_eq!(head.method, "GET");
        assert_eq!(head.url, "/a?b=1");
        assert_eq!(head.host.as_deref(), Some("127.0.0.1:9"));
        assert_eq!(head.cookie.as_deref(), Some("x=1"));
        assert_eq!(head.fetch_site.as_deref(), Some("same-origin"));
        assert!(matches!(
            parse_head(b"GET /a\r\n"),
            Err(HeadError::Malformed)
        ));
        assert!(matches!(
            parse_head(b"GET /a HTTP/1.1\r\nno colon"),
            Err(HeadError::Malformed)
        ));
    }

    #[test]
    fn connection_slots_run_out_and_come_back() {
        let open = Arc::new(AtomicUsize::new(0));
        let slots: Vec<_> = (0..MAX_CONNECTIONS)
            .map(|_| ConnectionSlot::take(&open).unwrap())
            .collect();
        assert!(ConnectionSlot::take(&open).is_none());
        drop(slots);
        assert!(ConnectionSlot::take(&open).is_some());
    }

    #[test]
    fn an_endless_header_is_cut_off_and_a_silent_client_timed_out() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let sender = std::thread::spawn(move || {
            let mut client = TcpStream::connect(addr).unwrap();
            let line = vec![b'a'; 1024];
            let _ = client.write_all(b"GET / HTTP/1.1\r\nX: ");
            for _ in 0..(MAX_HEAD_BYTES / 1024 + 8) {
                if client.write_all(&line).is_err() {
                    break;
                }
            }
            // A second client that sends nothing.
            TcpStream::connect(addr).unwrap()
        });
        let (mut server_side, _) = listener.accept().unwrap();
        let far = Instant::now() + Duration::from_secs(60);
        assert!(matches!(
            read_head(&mut server_side, far),
            Err(HeadError::TooLarge)
        ));
        let (mut silent, _) = listener.accept().unwrap();
        let _client = sender.join().unwrap();
        assert!(matches!(
            read_head(&mut silent, Instant::now() + Duration::from_millis(50)),
            Err(HeadError::Incomplete)
        ));
    }
}
