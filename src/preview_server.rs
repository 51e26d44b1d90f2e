//! The local preview server: serves a post rendered through its site's theme, the stylesheets
//! compiled for it and the site's static files to the browser on 127.0.0.1, behind a random
//! key, and makes the page reload itself a moment after typing pauses. No egui here: the
//! window's "Preview in site theme" and `byline preview` both drive a [`PreviewServer`].
//!
//! # Addresses and the key
//! The server listens on `127.0.0.1` at a free port and makes a random 128-bit key. The address
//! handed out is `http://127.0.0.1:PORT/KEY/…`. A request under `/KEY/` is answered with a
//! redirect to the same path without the key, setting the key in a cookie
//! (`byline-preview-PORT`, `HttpOnly`, `SameSite=Strict`, `Path=/`). Every other request is
//! served only when it carries that cookie; anything else gets 403.
//!
//! Why a cookie and a redirect: the page must stay exactly as Jekyll writes it, and Jekyll's
//! links are site-absolute (`/tale/assets/main.css`, `/assets/…`). A `<base>` element changes
//! only relative links, and rewriting the HTML would change the page. After the redirect the
//! page sits at its own URL (`/tale/2020/01/01/post.html`), so relative and site-absolute links
//! resolve exactly as on the published site, and the cookie lets those requests through.
//! `SameSite=Strict` keeps other web sites' pages from using it; the `Host` header must name
//! 127.0.0.1 or localhost at this port, which stops DNS-rebinding pages.
//!
//! # HTTP
//! A small HTTP/1.1 layer of its own (`preview_server::http`): one request per connection
//! (`Connection: close`), so a browser's keep-alive connections can never queue a page's
//! requests behind its waiting reload script; at most 64 connections at once; a request head
//! must arrive within 10 s and stay under 32 KiB.
//!
//! # What is served
//! Under the site's `baseurl`: the post at its page URL, the stylesheets the renderer compiled,
//! and files of the site root that Jekyll would copy as they are (not `_`-, `.`-folders or
//! `exclude`d paths, not files with front matter). Paths are percent-decoded and then refused
//! when they hold `..`, `.`, empty segments, backslashes or NUL; the file found is canonicalized
//! and must lie inside the canonical site root, so a symlink cannot lead out of it.
//!
//! # Reloading
//! [`PreviewServer::update`] hands over new text; a worker thread renders the newest text once
//! no new text came for the debounce time (150 ms), so the UI thread never renders. The page
//! holds a small script (`/_byline/reload.js`, added before `</body>`) that long-polls
//! `/_byline/version` and shows a new version as soon as it is out, keeping the scroll position:
//! a page without scripts of its own whose `<head>` is unchanged gets the new `<body>` in place;
//! any other page reloads. `/_byline/` cannot clash with a site file: Jekyll never writes a
//! `_`-folder.

mod http;
pub mod jekyll_build;

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::site::SiteConfig;
use crate::theme::{RenderProblem, RenderedPage};

/// How long the worker waits after the last new text before rendering it.
pub const DEFAULT_DEBOUNCE_MS: u64 = 150;

/// How long changes to the site's files must pause before the site is read again.
pub const SITE_QUIET_MS: u64 = 100;

/// How long a page's reload script waits for a new version before asking again.
const LONG_POLL_MS: u64 = 20_000;

/// How long a request for the page waits for the first render.
const FIRST_RENDER_WAIT_MS: u64 = 15_000;

/// The path prefix of the server's own endpoints (never a path Jekyll writes).
const INTERNAL_PREFIX: &str = "/_byline/";

/// Renders the post from its current text (made on the render worker's thread). The flag is
/// true when files of the site changed on disk since the last render
/// ([`PreviewServer::reload_site`]): a renderer that keeps the site loaded reads it again if
/// needed.
pub type RenderFn = Box<dyn FnMut(&str, bool) -> RenderedPage>;

/// Makes a [`RenderFn`]; called on the worker thread at start, and again after a render
/// panicked.
pub type RendererFactory = Box<dyn Fn() -> RenderFn + Send>;

/// Why the preview server could not start.
#[derive(Debug, thiserror::Error)]
pub enum PreviewServerError {
    /// No port could be opened on 127.0.0.1.
    #[error("could not start the preview server on 127.0.0.1: {reason}")]
    Bind {
        /// What the system said.
        reason: String,
    },
    /// The system gave no random bytes for the key.
    #[error("could not make a random key for the preview server: {reason}")]
    NoRandomKey {
        /// What the system said.
        reason: String,
    },
    /// The folder to serve is not there.
    #[error("cannot serve {path}: {source}")]
    Root {
        /// The folder.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// A worker thread could not be started.
    #[error("could not start the preview server's thread: {0}")]
    Thread(std::io::Error),
}

/// Why no browser opened.
#[derive(Debug, thiserror::Error)]
#[error("no web browser could be opened: {0}")]
pub struct BrowserError(#[from] std::io::Error);

/// Opens `url` in the desktop's web browser (`$BROWSER`, then the desktop's default).
pub fn open_in_browser(url: &str) -> Result<(), BrowserError> {
    webbrowser::open(url)?;
    Ok(())
}

/// The renderer of `post` through the theme of the site at `root` (opened on the worker
/// thread, and again when the site's files changed in a way that matters: layouts, includes,
/// Sass, data, `_config.yml`). When the theme gives no `page.url`, the URL Jekyll would give
/// the post (from the site index) is used, else `/NAME.html`, so the page always has an address.
pub fn theme_renderer(root: &Path, post: &Path) -> RendererFactory {
    let root = root.to_path_buf();
    let post = post.to_path_buf();
    Box::new(move || {
        let mut site = crate::theme::ThemeSite::open(&root);
        let post = post.clone();
        let root = root.clone();
        let mut index = None;
        Box::new(move |text: &str, site_changed: bool| {
            if site_changed && site.is_stale() {
                site = crate::theme::ThemeSite::open(&root);
            }
            let mut page = site.render_post(&post, text);
            if page.url.is_empty() {
                let index = index.get_or_insert_with(|| {
                    crate::site::Site::open(&root, &crate::site::IndexOptions::default())
                });
                page.url = fallback_page_url(index, &post, text);
            }
            page
        })
    })
}

/// `page.url` from the site index for `post` holding `text`, else `/NAME.html`.
fn fallback_page_url(index: &crate::site::Site, post: &Path, text: &str) -> String {
    let from_index = index.relative_path(post).and_then(|relative| {
        index
            .evaluate(&relative, &crate::post::Post::from_text(text))
            .and_then(|p| p.url)
    });
    from_index.unwrap_or_else(|| {
        let stem = post
            .file_stem()
            .map_or_else(|| "post".into(), |s| s.to_string_lossy().into_owned());
        format!("/{stem}.html")
    })
}

/// What a caller can show about the page being served.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PreviewSnapshot {
    /// Grows by one each time the served page (or the site under it) changed; 0 before the
    /// first render.
    pub version: u64,
    /// The page's full address with the key, once rendered.
    pub page_url: Option<String>,
    /// The last render's problems.
    pub problems: Vec<RenderProblem>,
}

/// Which files the server hands out besides the page.
#[derive(Debug)]
enum FileRules {
    /// A Jekyll site's source: only what Jekyll copies as it is.
    SiteSource(Box<SiteConfig>),
    /// A folder Jekyll built: everything in it.
    BuiltSite,
}

/// The page being served, as last rendered.
#[derive(Debug, Default)]
struct Served {
    version: u64,
    /// `page.url` without `baseurl`.
    url: String,
    html: String,
    generated: HashMap<String, String>,
    problems: Vec<RenderProblem>,
    /// A built page is served as it is (no reload script).
    is_live: bool,
}

/// New text waiting for the render worker.
#[derive(Default)]
struct RenderInput {
    text: Option<String>,
    last_update: Option<Instant>,
    reload_site: bool,
    /// Another post to render from now on (rendered at once, without waiting).
    new_renderer: Option<RendererFactory>,
}

struct Shared {
    token: String,
    port: u16,
    /// The canonical folder files are served from.
    root: PathBuf,
    /// `baseurl` without a trailing `/` (`""` or `/tale`).
    baseurl: String,
    rules: FileRules,
    served: Mutex<Served>,
    served_changed: Condvar,
    input: Mutex<RenderInput>,
    input_changed: Condvar,
    debounce: Duration,
    stopping: AtomicBool,
    /// The `assets` folder of the site's theme gem (canonical), once found by the worker.
    theme_assets: Mutex<Option<PathBuf>>,
    /// The post shown (canonical), once [`PreviewServer::follow_disk`] was called.
    post: Mutex<Option<PathBuf>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running preview server; dropping it stops it.
pub struct PreviewServer {
    shared: Arc<Shared>,
    /// Where the server listens.
    addr: SocketAddr,
    accept_thread: Option<JoinHandle<()>>,
    /// Watches the site once [`PreviewServer::follow_disk`] was called; dropped with it.
    watcher: Option<notify::RecommendedWatcher>,
    /// Whatever must live as long as the server (a built site's temporary folder); dropped
    /// with it, not with the last request thread.
    _keep_alive: Option<Box<dyn Send + Sync>>,
}

impl std::fmt::Debug for PreviewServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreviewServer")
            .field("port", &self.shared.port)
            .field("root", &self.shared.root)
            .finish_non_exhaustive()
    }
}

/// How a live preview is set up.
pub struct LiveOptions {
    /// The site root (files are served from here).
    pub site_root: PathBuf,
    /// The post's text to render first.
    pub text: String,
    /// Makes the renderer of the post (on the worker thread).
    pub renderer: RendererFactory,
    /// How long typing must pause before a render.
    pub debounce: Duration,
    /// Called on the worker thread after each render (the window asks for a repaint to show
    /// the new problems).
    pub on_render: Option<Box<dyn Fn() + Send>>,
}

impl PreviewServer {
    /// Starts a live preview of one post of the site at `options.site_root`: the first render
    /// starts at once on the worker thread; the page is served as soon as it is done.
    pub fn start_live(options: LiveOptions) -> Result<PreviewServer, PreviewServerError> {
        let root = canonical_root(&options.site_root)?;
        let config = SiteConfig::load(&root);
        let baseurl = normalized_baseurl(&config.baseurl);
        let input = RenderInput {
            text: Some(options.text),
            last_update: None,
            reload_site: false,
            new_renderer: None,
        };
        let server = PreviewServer::bind(
            root,
            baseurl,
            FileRules::SiteSource(Box::new(config)),
            input,
            options.debounce,
            None,
        )?;
        let shared = Arc::clone(&server.shared);
        let factory = options.renderer;
        let on_render = options.on_render;
        std::thread::Builder::new()
            .name("byline-preview-render".into())
            .spawn(move || render_worker(&shared, factory, on_render.as_deref()))
            .map_err(PreviewServerError::Thread)?;
        Ok(server)
    }

    /// Serves a site Jekyll built into `built_dir` (whose links carry `baseurl`), opening at
    /// `page_url` (without `baseurl`). `keep_alive` (the temporary folder) is dropped with the
    /// server.
    pub fn start_built(
        built_dir: &Path,
        baseurl: &str,
        page_url: &str,
        keep_alive: Option<Box<dyn Send + Sync>>,
    ) -> Result<PreviewServer, PreviewServerError> {
        let root = canonical_root(built_dir)?;
        let server = PreviewServer::bind(
            root,
            normalized_baseurl(baseurl),
            FileRules::BuiltSite,
            RenderInput::default(),
            Duration::ZERO,
            keep_alive,
        )?;
        {
            let mut served = lock(&server.shared.served);
            served.url = page_url.to_string();
            served.version = 1;
            served.is_live = false;
        }
        Ok(server)
    }

    fn bind(
        root: PathBuf,
        baseurl: String,
        rules: FileRules,
        input: RenderInput,
        debounce: Duration,
        keep_alive: Option<Box<dyn Send + Sync>>,
    ) -> Result<PreviewServer, PreviewServerError> {
        let token = random_token()?;
        let bind_error = |err: std::io::Error| PreviewServerError::Bind {
            reason: err.to_string(),
        };
        let listener = TcpListener::bind("127.0.0.1:0").map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let port = addr.port();
        let shared = Arc::new(Shared {
            token,
            port,
            root,
            baseurl,
            rules,
            served: Mutex::new(Served {
                is_live: true,
                ..Served::default()
            }),
            served_changed: Condvar::new(),
            input: Mutex::new(input),
            input_changed: Condvar::new(),
            debounce,
            stopping: AtomicBool::new(false),
            theme_assets: Mutex::new(None),
            post: Mutex::new(None),
        });
        let accept_thread = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("byline-preview-http".into())
                .spawn(move || accept_loop(&shared, &listener))
                .map_err(PreviewServerError::Thread)?
        };
        Ok(PreviewServer {
            shared,
            addr,
            accept_thread: Some(accept_thread),
            watcher: None,
            _keep_alive: keep_alive,
        })
    }

    /// Hands over the post's newest text; it is rendered once no newer text came for the
    /// debounce time. Returns at once.
    pub fn update(&self, text: impl Into<String>) {
        self.shared.update(text.into());
    }

    /// Shows another post of the same site from now on: `renderer` renders `text` at once
    /// (no debounce), and an open page moves to the new post's URL by itself.
    pub fn change_post(&self, post: &Path, text: String, renderer: RendererFactory) {
        *lock(&self.shared.post) =
            Some(std::fs::canonicalize(post).unwrap_or_else(|_| post.to_path_buf()));
        let mut input = lock(&self.shared.input);
        input.new_renderer = Some(renderer);
        input.text = Some(text);
        input.last_update = None;
        self.shared.input_changed.notify_all();
    }

    /// Reads the site again (layouts, includes, data, stylesheets changed on disk) and renders
    /// the last text; the page reloads even when its HTML came out the same (a static file may
    /// have changed).
    pub fn reload_site(&self) {
        self.shared.reload_site();
    }

    /// Follows the site on disk: a change to any of its files (not `_site`, caches or hidden
    /// folders) reads the site again once changes pause for [`SITE_QUIET_MS`]. The post's own
    /// file is left to the caller unless `read_post` is set: then its new text is handed over
    /// as [`PreviewServer::update`] does (the command line; the window hands over the editor's
    /// text itself, and a save must not read the whole site again).
    pub fn follow_disk(&mut self, post: &Path, read_post: bool) -> Result<(), notify::Error> {
        use notify::Watcher as _;
        let (send, events) = std::sync::mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = send.send(event);
        })?;
        watcher.watch(&self.shared.root, notify::RecursiveMode::Recursive)?;
        let shared = Arc::downgrade(&self.shared);
        *lock(&self.shared.post) =
            Some(std::fs::canonicalize(post).unwrap_or_else(|_| post.to_path_buf()));
        std::thread::Builder::new()
            .name("byline-preview-watch".into())
            .spawn(move || follow_disk_events(&shared, &events, read_post))
            .map_err(|err| notify::Error::generic(&err.to_string()))?;
        self.watcher = Some(watcher);
        Ok(())
    }

    /// The port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.shared.port
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        Some(self.addr)
    }

    /// The secret key in the addresses handed out.
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// An address that always leads to the post's page, even before the first render and
    /// after an edit moved the page (a changed date): `http://127.0.0.1:PORT/KEY/`.
    pub fn entry_url(&self) -> String {
        format!(
            "http://127.0.0.1:{}/{}/",
            self.shared.port, self.shared.token
        )
    }

    /// The folder files are served from (canonical).
    pub fn root(&self) -> &Path {
        &self.shared.root
    }

    /// The version, page address and problems of the page served now.
    pub fn snapshot(&self) -> PreviewSnapshot {
        let served = lock(&self.shared.served);
        PreviewSnapshot {
            version: served.version,
            page_url: (served.version > 0).then(|| self.shared.keyed_url(&served.url)),
            problems: served.problems.clone(),
        }
    }

    /// The version served now (cheap: the window asks every frame).
    pub fn version(&self) -> u64 {
        lock(&self.shared.served).version
    }

    /// Waits until the version differs from `seen` or `timeout` passed; returns the version.
    pub fn wait_for_version_after(&self, seen: u64, timeout: Duration) -> u64 {
        self.shared.wait_for_version_after(seen, timeout)
    }

    /// Stops serving (also done when dropped).
    pub fn stop(self) {}
}

impl Drop for PreviewServer {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        {
            let _input = lock(&self.shared.input);
            self.shared.input_changed.notify_all();
        }
        {
            let _served = lock(&self.shared.served);
            self.shared.served_changed.notify_all();
        }
        if let Some(thread) = self.accept_thread.take() {
            // Wakes the accept, which then sees `stopping`. Without that connection (none could
            // be made) the thread is left to end with the process rather than block the caller.
            if std::net::TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)).is_ok() {
                let _ = thread.join();
            }
        }
        // The render worker is not joined: a slow render must not hold up the window; it
        // sees `stopping` and ends by itself.
    }
}

impl Shared {
    fn update(&self, text: String) {
        let mut input = lock(&self.input);
        input.text = Some(text);
        input.last_update = Some(Instant::now());
        self.input_changed.notify_all();
    }

    fn reload_site(&self) {
        let mut input = lock(&self.input);
        input.reload_site = true;
        self.input_changed.notify_all();
    }

    fn keyed_url(&self, page_url: &str) -> String {
        format!(
            "http://127.0.0.1:{}/{}{}{}",
            self.port, self.token, self.baseurl, page_url
        )
    }

    fn wait_for_version_after(&self, seen: u64, timeout: Duration) -> u64 {
        let deadline = Instant::now() + timeout;
        let mut served = lock(&self.served);
        while served.version == seen && !self.stopping.load(Ordering::SeqCst) {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            served = self
                .served_changed
                .wait_timeout(served, deadline - now)
                .map_or_else(|e| e.into_inner().0, |(guard, _)| guard);
        }
        served.version
    }

    /// Stores a new render; the version grows only when something a browser sees changed.
    fn publish(&self, page: RenderedPage, force_reload: bool) {
        let mut served = lock(&self.served);
        let generated: HashMap<String, String> = page
            .generated
            .into_iter()
            .map(|file| {
                (
                    file.site_path.trim_start_matches('/').to_string(),
                    file.text,
                )
            })
            .collect();
        let is_same = served.version > 0
            && served.html == page.html
            && served.url == page.url
            && served.generated == generated;
        served.problems = page.problems;
        if is_same && !force_reload {
            return;
        }
        served.html = page.html;
        served.url = page.url;
        served.generated = generated;
        served.version += 1;
        self.served_changed.notify_all();
    }
}

fn canonical_root(dir: &Path) -> Result<PathBuf, PreviewServerError> {
    std::fs::canonicalize(dir).map_err(|source| PreviewServerError::Root {
        path: dir.to_path_buf(),
        source,
    })
}

/// `baseurl` as a path prefix: `""`, or `/name` without a trailing `/`.
fn normalized_baseurl(baseurl: &str) -> String {
    let trimmed = baseurl.trim().trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

/// 128 random bits from the system, as 32 hex digits.
fn random_token() -> Result<String, PreviewServerError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|err| PreviewServerError::NoRandomKey {
        reason: err.to_string(),
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares two keys in time that does not depend on where they differ.
fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

// --- Following the site on disk ---

/// True for a changed path that can change the page: not Jekyll's output, caches or hidden
/// folders (`.git`).
fn concerns_page(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    !relative.components().any(|c| {
        c.as_os_str()
            .to_str()
            .is_some_and(|name| name.starts_with('.') || name == "_site")
    })
}

fn follow_disk_events(
    shared: &std::sync::Weak<Shared>,
    events: &std::sync::mpsc::Receiver<notify::Result<notify::Event>>,
    read_post: bool,
) {
    use std::sync::mpsc::RecvTimeoutError;
    let mut debouncer = crate::site::watch::Debouncer::new(Duration::from_millis(SITE_QUIET_MS));
    loop {
        let wait = debouncer
            .next_due()
            .map_or(Duration::from_millis(500), |due| {
                due.saturating_duration_since(Instant::now())
            });
        let received = events.recv_timeout(wait);
        let Some(shared) = shared.upgrade() else {
            return;
        };
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        match received {
            Ok(Ok(event)) if !matches!(event.kind, notify::EventKind::Access(_)) => {
                let post = lock(&shared.post).clone();
                for path in event.paths {
                    if Some(&path) == post.as_ref() {
                        // The render worker waits for the writes to pause itself.
                        if read_post && let Ok(bytes) = std::fs::read(&path) {
                            shared.update(String::from_utf8_lossy(&bytes).into_owned());
                        }
                    } else if concerns_page(&shared.root, &path) {
                        debouncer.note(path, Instant::now());
                    }
                }
            }
            Ok(_) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if !debouncer.take_due(Instant::now()).is_empty() {
            shared.reload_site();
        }
    }
}

// --- The render worker ---

fn render_worker(shared: &Shared, factory: RendererFactory, on_render: Option<&(dyn Fn() + Send)>) {
    let mut factory = factory;
    if let FileRules::SiteSource(config) = &shared.rules
        && let Some(name) = &config.theme
        && let Some(theme) = crate::theme::gem_theme::find(&shared.root, name)
        && let Ok(assets) = std::fs::canonicalize(theme.root.join("assets"))
    {
        *lock(&shared.theme_assets) = Some(assets);
    }
    let mut renderer: Option<RenderFn> = None;
    let mut last_text = String::new();
    loop {
        let (text, reload_site) = {
            let mut input = lock(&shared.input);
            loop {
                if shared.stopping.load(Ordering::SeqCst) {
                    return;
                }
                let due = match (&input.text, input.last_update) {
                    _ if input.new_renderer.is_some() => true,
                    (Some(_), Some(at)) => {
                        let due_at = at + shared.debounce;
                        let now = Instant::now();
                        if now >= due_at {
                            true
                        } else {
                            input = shared
                                .input_changed
                                .wait_timeout(input, due_at - now)
                                .map_or_else(|e| e.into_inner().0, |(guard, _)| guard);
                            continue;
                        }
                    }
                    (Some(_), None) => true,
                    (None, _) => input.reload_site,
                };
                if due {
                    break;
                }
                input = shared
                    .input_changed
                    .wait(input)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            let reload_site = std::mem::take(&mut input.reload_site);
            if let Some(new_renderer) = input.new_renderer.take() {
                factory = new_renderer;
                renderer = None;
            }
            (input.text.take(), reload_site)
        };
        if let Some(text) = text {
            if text == last_text && !reload_site && renderer.is_some() {
                continue;
            }
            last_text = text;
        }
        let render = renderer.get_or_insert_with(|| factory());
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            render(&last_text, reload_site)
        }));
        let page = match outcome {
            Ok(page) => page,
            Err(panic) => {
                // A renderer bug must not end the preview: say so in the page, start afresh.
                renderer = None;
                failed_render_page(&panic_message(panic.as_ref()))
            }
        };
        shared.publish(page, reload_site);
        if let Some(on_render) = on_render {
            on_render();
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown failure".into())
}

/// The page shown when the renderer failed outright.
fn failed_render_page(message: &str) -> RenderedPage {
    let escaped = crate::export::escape_html(message);
    RenderedPage {
        html: format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Preview failed</title>\
             </head><body><h1>Byline could not render this post</h1><pre>{escaped}</pre>\
             </body></html>\n"
        ),
        url: "/".into(),
        generated: Vec::new(),
        problems: vec![RenderProblem {
            file: String::new(),
            diagnostic: crate::diagnostic::Diagnostic {
                severity: crate::diagnostic::Severity::Error,
                line: 1,
                column: 1,
                message: format!("the renderer failed: {message}"),
            },
        }],
    }
}

// --- HTTP ---

fn accept_loop(shared: &Arc<Shared>, listener: &TcpListener) {
    // Each connection on its own thread (at most `http::MAX_CONNECTIONS`): a waiting reload
    // script must not hold up the page's stylesheets and images.
    let answering = Arc::clone(shared);
    let answer: Arc<dyn Fn(&RequestHead) -> http::Response + Send + Sync> =
        Arc::new(move |head: &RequestHead| answer(&answering, head).into_response());
    http::accept_loop(
        listener,
        &|| shared.stopping.load(Ordering::SeqCst),
        &answer,
    );
}

use http::RequestHead;

/// An answer, built apart from the HTTP layer so it can be tested without sockets.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: ReplyBody,
}

#[derive(Debug)]
enum ReplyBody {
    Bytes(Vec<u8>),
    File(std::fs::File),
}

impl Reply {
    fn bytes(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body: ReplyBody::Bytes(body.into()),
        }
    }

    fn refused(status: u16, why: &str) -> Reply {
        Reply::bytes(
            status,
            "text/plain; charset=utf-8",
            format!("Byline preview: {why}\n"),
        )
    }

    fn into_response(self) -> http::Response {
        let mut headers = self.headers;
        headers.push(("Cache-Control", "no-store".into()));
        headers.push(("X-Content-Type-Options", "nosniff".into()));
        headers.push(("Referrer-Policy", "same-origin".into()));
        http::Response {
            status: self.status,
            headers,
            body: match self.body {
                ReplyBody::Bytes(bytes) => http::Body::Bytes(bytes),
                ReplyBody::File(file) => http::Body::File(file),
            },
        }
    }
}

fn cookie_name(port: u16) -> String {
    format!("byline-preview-{port}")
}

/// The value of cookie `name` in a `Cookie` header.
fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key.trim() == name).then_some(value.trim())
    })
}

fn answer(shared: &Shared, head: &RequestHead) -> Reply {
    if head.method != "GET" && head.method != "HEAD" {
        return Reply::refused(405, "only GET and HEAD are served");
    }
    let port = shared.port;
    let host_ok = head.host.as_deref().is_some_and(|host| {
        host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
    });
    if !host_ok {
        return Reply::refused(403, "this server answers only to 127.0.0.1");
    }
    let Some(target) = head.url.strip_prefix('/') else {
        return Reply::refused(400, "the request names no path");
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let (first, rest) = path.split_once('/').unwrap_or((path, ""));
    if same_key(first, &shared.token) {
        return keyed_redirect(shared, rest, query);
    }
    // Cookies ignore ports: the browser also sends the key's cookie with requests that
    // pages of other servers on 127.0.0.1 make here. Browsers say where a request comes from
    // (`Sec-Fetch-Site`); only this server's own pages (`same-origin`) and the user's own
    // navigation (`none`) are served. `same-site` is refused too: another port of 127.0.0.1
    // is the same site. A missing header is let through (curl, tests, older browsers), as are
    // what this cannot stop: the cookie itself still reaches other servers on 127.0.0.1
    // when the user visits them, and a browser without Fetch Metadata (Safari before 16.4)
    // sends no header at all.
    if head
        .fetch_site
        .as_deref()
        .is_some_and(|site| !matches!(site, "same-origin" | "none"))
    {
        return Reply::refused(403, "requests from other sites are not served");
    }
    let has_key = head
        .cookie
        .as_deref()
        .and_then(|c| cookie_value(c, &cookie_name(port)))
        .is_some_and(|value| same_key(value, &shared.token));
    if !has_key {
        return Reply::refused(
            403,
            "open the address Byline showed you (it carries the preview's key)",
        );
    }
    let path = format!("/{path}");
    if let Some(internal) = path.strip_prefix(INTERNAL_PREFIX) {
        return internal_endpoint(shared, internal, query);
    }
    let Some(site_path) = decoded_site_path(&path) else {
        return Reply::refused(404, "no such file in the site");
    };
    serve_site_path(shared, &site_path)
}

/// `path` as a Location on this server: one leading `/` (never `//host`, which would leave
/// it), percent-encoded as a browser sends it (so it also compares equal to
/// `location.pathname`).
fn local_location(path: &str) -> String {
    const ENCODED: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'{')
        .add(b'}');
    let trimmed = path.trim_start_matches(['/', '\\']);
    format!(
        "/{}",
        percent_encoding::utf8_percent_encode(trimmed, ENCODED)
    )
}

/// `/KEY/rest?query`: sets the cookie and sends the browser to `/rest?query` (or to the page
/// for `/KEY/`).
fn keyed_redirect(shared: &Shared, rest: &str, query: &str) -> Reply {
    let location = if rest.is_empty() {
        shared.wait_for_version_after(0, Duration::from_millis(FIRST_RENDER_WAIT_MS));
        let served = lock(&shared.served);
        format!("{}{}", shared.baseurl, served.url)
    } else if query.is_empty() {
        format!("/{rest}")
    } else {
        format!("/{rest}?{query}")
    };
    let location = local_location(&location);
    let cookie = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Strict",
        cookie_name(shared.port),
        shared.token
    );
    let mut reply = Reply::bytes(303, "text/plain; charset=utf-8", "");
    reply.headers.push(("Location", location));
    reply.headers.push(("Set-Cookie", cookie));
    reply
}

fn internal_endpoint(shared: &Shared, name: &str, query: &str) -> Reply {
    match name {
        "reload.js" => Reply::bytes(200, "text/javascript; charset=utf-8", RELOAD_SCRIPT),
        "version" => {
            let seen = query
                .split('&')
                .find_map(|pair| pair.strip_prefix("seen="))
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
            shared.wait_for_version_after(seen, Duration::from_millis(LONG_POLL_MS));
            let served = lock(&shared.served);
            let body = serde_json::json!({
                "version": served.version,
                "path": local_location(&format!("{}{}", shared.baseurl, served.url)),
            });
            Reply::bytes(200, "application/json", body.to_string())
        }
        _ => Reply::refused(404, "no such endpoint"),
    }
}

/// The percent-decoded request path, or None when it could step outside the site: `..`, `.`,
/// empty segments (`//`), backslashes, NUL, or text that is not UTF-8. A trailing `/` is kept.
fn decoded_site_path(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let inner = decoded.strip_prefix('/')?;
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if inner.is_empty() {
        return Some("/".into());
    }
    let is_safe = inner.split('/').all(|segment| {
        !segment.is_empty() && segment != "." && segment != ".." && !segment.contains(['\\', '\0'])
    });
    is_safe.then(|| decoded.into_owned())
}

fn serve_site_path(shared: &Shared, site_path: &str) -> Reply {
    // Everything Jekyll writes lies under `baseurl`.
    let relative = if shared.baseurl.is_empty() {
        site_path
    } else if site_path == shared.baseurl {
        "/"
    } else {
        match site_path.strip_prefix(&shared.baseurl) {
            Some(rest) if rest.starts_with('/') => rest,
            _ => return Reply::refused(404, "not under the site's baseurl"),
        }
    };
    {
        let served = if lock(&shared.served).version == 0 {
            shared.wait_for_version_after(0, Duration::from_millis(FIRST_RENDER_WAIT_MS));
            lock(&shared.served)
        } else {
            lock(&shared.served)
        };
        if served.is_live && is_page_path(&served.url, relative) {
            let html = with_reload_script(&served.html, served.version);
            return Reply::bytes(200, "text/html; charset=utf-8", html);
        }
        if let Some(text) = served.generated.get(relative.trim_start_matches('/')) {
            return Reply::bytes(200, &content_type(Path::new(relative)), text.clone());
        }
    }
    serve_file(shared, relative)
}

/// True when `relative` (a request path without `baseurl`) names the page at `page_url`:
/// `/a/` also as `/a/index.html`, `/a.html` also as `/a` (as `jekyll serve` answers).
fn is_page_path(page_url: &str, relative: &str) -> bool {
    if page_url.is_empty() {
        return false;
    }
    if relative == page_url {
        return true;
    }
    if let Some(folder) = page_url.strip_suffix('/') {
        return relative == folder || relative == format!("{page_url}index.html");
    }
    page_url
        .strip_suffix(".html")
        .is_some_and(|bare| relative == bare)
}

/// A file of the served folder, if the rules let it out.
fn serve_file(shared: &Shared, relative: &str) -> Reply {
    let segments: Vec<&str> = relative
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    if let FileRules::SiteSource(config) = &shared.rules {
        for (i, name) in segments.iter().enumerate() {
            let from_root = segments.get(..=i).unwrap_or_default().join("/");
            let is_dir = i + 1 < segments.len() || shared.root.join(&from_root).is_dir();
            if !crate::site::filter::is_entry_kept(config, name, &from_root, is_dir) {
                return Reply::refused(404, "Jekyll does not publish this file");
            }
        }
    }
    let checks_front_matter = matches!(shared.rules, FileRules::SiteSource(_));
    let from_site = file_under(&shared.root, &segments, checks_front_matter);
    if let Err(FileRefusal::Missing) = from_site
        && let Some(("assets", rest)) = segments.split_first().map(|(a, r)| (*a, r))
        && let Some(theme_assets) = lock(&shared.theme_assets).clone()
    {
        // A theme gem's `assets/` files where the site has none (Jekyll copies them).
        return reply_with_file(file_under(&theme_assets, rest, checks_front_matter));
    }
    reply_with_file(from_site)
}

/// Why a file is not served.
#[derive(Debug)]
enum FileRefusal {
    /// No such file.
    Missing,
    /// The path leads out of the folder served (a symlink).
    Outside,
    /// Jekyll renders it (front matter) rather than copying it.
    Rendered,
}

fn reply_with_file(found: Result<(std::fs::File, PathBuf), FileRefusal>) -> Reply {
    match found {
        Ok((file, path)) => Reply {
            status: 200,
            headers: vec![("Content-Type", content_type(&path))],
            body: ReplyBody::File(file),
        },
        Err(FileRefusal::Missing) => Reply::refused(404, "no such file in the site"),
        Err(FileRefusal::Outside) => Reply::refused(403, "that file is outside the site"),
        Err(FileRefusal::Rendered) => Reply::refused(
            404,
            "Jekyll renders this file (it has front matter); Byline previews only the open post",
        ),
    }
}

/// The file at `segments` below `base` (canonical): `index.html` for a folder, `NAME.html` for
/// `NAME` when only that exists; never a file whose real path is outside `base`.
fn file_under(
    base: &Path,
    segments: &[&str],
    checks_front_matter: bool,
) -> Result<(std::fs::File, PathBuf), FileRefusal> {
    let mut candidate = base.to_path_buf();
    for segment in segments {
        candidate.push(segment);
    }
    if candidate.is_dir() {
        candidate.push("index.html");
    } else if !candidate.exists() {
        // `/2020/a` for `2020/a.html`, as `jekyll serve` answers.
        candidate.as_mut_os_string().push(".html");
    }
    let canonical = std::fs::canonicalize(&candidate).map_err(|_| FileRefusal::Missing)?;
    if !canonical.starts_with(base) {
        return Err(FileRefusal::Outside);
    }
    let file = std::fs::File::open(&canonical).map_err(|_| FileRefusal::Missing)?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(FileRefusal::Missing);
    }
    if checks_front_matter && has_front_matter(&canonical) {
        return Err(FileRefusal::Rendered);
    }
    Ok((file, canonical))
}

/// True when the file starts with a `---` line, as Jekyll's front-matter check reads it.
fn has_front_matter(path: &Path) -> bool {
    use std::io::Read as _;
    let mut start = [0u8; 5];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let read = file.read(&mut start).unwrap_or(0);
    let start = start.get(..read).unwrap_or_default();
    start.starts_with(b"---\n") || start.starts_with(b"---\r\n") || start == b"---"
}

/// The Content-Type for a file, by its extension (UTF-8 for text).
fn content_type(path: &Path) -> String {
    let mime = mime_guess2::from_path(path).first_or_octet_stream();
    let essence = mime.essence_str();
    let is_text = mime.type_() == "text"
        || matches!(
            essence,
            "application/javascript" | "application/json" | "image/svg+xml" | "application/xml"
        );
    if is_text {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

/// The page with the reload script before its last `</body>` (or at its end).
fn with_reload_script(html: &str, version: u64) -> String {
    let tag = format!("<script src=\"{INTERNAL_PREFIX}reload.js?v={version}\"></script>");
    let lower = html.to_ascii_lowercase();
    match lower.rfind("</body>") {
        Some(at) if html.is_char_boundary(at) => {
            let (before, after) = html.split_at(at);
            format!("{before}{tag}\n{after}")
        }
        _ => format!("{html}{tag}\n"),
    }
}

/// Waits for a new version and shows it, keeping the scroll position: a page without scripts
/// of its own whose `<head>` did not change gets the new `<body>` in place (no reload, no
/// refetching of stylesheets and fonts); any other page reloads, and an edit that moved the
/// page to another URL (a new date) follows it there.
const RELOAD_SCRIPT: &str = r#"(function () {
  var script = document.currentScript;
  var seen = Number(new URL(script.src).searchParams.get("v")) || 0;
  var key = "byline-preview-scroll";
  try {
    history.scrollRestoration = "manual";
    var saved = JSON.parse(sessionStorage.getItem(key) || "null");
    sessionStorage.removeItem(key);
    if (saved && saved.path === location.pathname) {
      var restore = function () { window.scrollTo(saved.x, saved.y); };
      restore();
      window.addEventListener("load", restore);
    }
  } catch (e) {}
  function reload(path) {
    try {
      sessionStorage.setItem(key, JSON.stringify({ path: path, x: window.scrollX, y: window.scrollY }));
    } catch (e) {}
    if (path !== location.pathname) { location.replace(path); } else { location.reload(); }
  }
  function runsScripts(doc) {
    return Array.prototype.some.call(doc.querySelectorAll("script"), function (s) {
      if (s.src && new URL(s.src, location.href).pathname === "/_byline/reload.js") { return false; }
      var type = (s.type || "").trim().toLowerCase();
      return type === "" || type === "module" || /^(text|application)\/(x-)?(java|ecma)script$/.test(type);
    });
  }
  function attributes(element) {
    return Array.prototype.map.call(element.attributes, function (a) { return a.name + "=" + a.value; }).join(" ");
  }
  function show(state) {
    if (state.path !== location.pathname) { reload(state.path); return; }
    fetch(location.pathname, { cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html");
        var same = next.head.innerHTML === document.head.innerHTML
          && attributes(next.documentElement) === attributes(document.documentElement);
        if (!same || runsScripts(document) || runsScripts(next)) { reload(state.path); return; }
        document.body.replaceWith(document.adoptNode(next.body));
        seen = state.version;
        poll();
      })
      .catch(function () { reload(state.path); });
  }
  function poll() {
    fetch("/_byline/version?seen=" + seen, { cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (state) { if (state.version === seen) { poll(); } else { show(state); } })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused_after_decoding() {
        assert_eq!(decoded_site_path("/a/b.css").as_deref(), Some("/a/b.css"));
        assert_eq!(decoded_site_path("/a%20b/").as_deref(), Some("/a b/"));
        assert_eq!(decoded_site_path("/").as_deref(), Some("/"));
        for bad in [
            "/../etc/passwd",
            "/a/%2e%2e/%2E%2E/etc/passwd",
            "/a/%2e%2e%2fb",
            "/a//b",
            "//etc/passwd",
            "/a/./b",
            "/a\\..\\b",
            "/a/%5c..%5cb",
            "/a%00b",
            "/%ff",
        ] {
            assert_eq!(decoded_site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_page_answers_to_the_addresses_jekyll_serve_knows() {
        assert!(is_page_path("/2020/01/01/a.html", "/2020/01/01/a.html"));
        assert!(is_page_path("/2020/01/01/a.html", "/2020/01/01/a"));
        assert!(is_page_path("/blog/a/", "/blog/a/index.html"));
        assert!(is_page_path("/blog/a/", "/blog/a"));
        assert!(!is_page_path("/blog/a/", "/blog/b/"));
        assert!(!is_page_path("", "/"));
    }

    #[test]
    fn the_reload_script_goes_before_the_last_body_end() {
        let html = "<html><body><p>x</p></BODY></html>\n";
        let out = with_reload_script(html, 7);
        assert!(out.starts_with("<html><body><p>x</p><script src=\"/_byline/reload.js?v=7\">"));
        assert!(out.ends_with("</BODY></html>\n"));
        assert_eq!(
            with_reload_script("<p>x</p>", 1),
            "<p>x</p><script src=\"/_byline/reload.js?v=1\"></script>\n"
        );
    }

    #[test]
    fn cookies_are_read_by_name_and_keys_compared_whole() {
        let header = "a=1; byline-preview-8080=abc ; other=x";
        assert_eq!(cookie_value(header, "byline-preview-8080"), Some("abc"));
        assert_eq!(cookie_value(header, "byline-preview-80"), None);
        assert!(same_key("abc", "abc"));
        assert!(!same_key("abc", "abd"));
        assert!(!same_key("abc", "abcd"));
    }

    #[test]
    fn baseurl_becomes_a_path_prefix() {
        assert_eq!(normalized_baseurl(""), "");
        assert_eq!(normalized_baseurl("/"), "");
        assert_eq!(normalized_baseurl("/tale"), "/tale");
        assert_eq!(normalized_baseurl("tale/"), "/tale");
    }

    #[test]
    fn text_files_are_sent_as_utf8() {
        assert_eq!(
            content_type(Path::new("a/main.css")),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.png")), "image/png");
        assert_eq!(content_type(Path::new("f.woff2")), "font/woff2");
    }

    #[test]
    fn output_caches_and_hidden_folders_do_not_re_render() {
        let root = Path::new("/site");
        assert!(concerns_page(root, Path::new("/site/_layouts/post.html")));
        assert!(concerns_page(root, Path::new("/site/assets/main.scss")));
        assert!(!concerns_page(root, Path::new("/site/_site/index.html")));
        assert!(!concerns_page(root, Path::new("/site/.jekyll-cache/x")));
        assert!(!concerns_page(root, Path::new("/site/.git/index")));
        assert!(!concerns_page(root, Path::new("/elsewhere/a.css")));
    }

    #[test]
    fn redirects_stay_on_this_server_and_are_encoded() {
        assert_eq!(local_location("//evil.example/x"), "/evil.example/x");
        assert_eq!(local_location("/\\evil.example"), "/evil.example");
        assert_eq!(local_location(""), "/");
        assert_eq!(
            local_location("/blog/2025/é t.html"),
            "/blog/2025/%C3%A9%20t.html"
        );
        assert_eq!(local_location("/a/b?x=1"), "/a/b?x=1");
    }

    #[test]
    fn keys_are_random_and_long() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }

    #[test]
    fn a_renderer_panic_becomes_a_page_with_a_problem() {
        let page = failed_render_page("<boom>");
        assert!(page.html.contains("&lt;boom&gt;"));
        assert_eq!(page.problems.len(), 1);
    }
}
