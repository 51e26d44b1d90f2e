//! View → Preview in site theme: a [`PreviewServer`] for the open post, fed the editor's unsaved
//! text as the user types, opened in the browser; a bar under the menus shows the address
//! (with Copy, for when no browser opens), the render's problems by file and line, and — where a
//! local `jekyll` exists — Build with Jekyll, which serves the exact page Jekyll writes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use super::BylineApp;
use super::notifications::Severity;
use crate::document::Revision;
use crate::preview_server::jekyll_build::{self, JekyllBuildError};
use crate::preview_server::{self, LiveOptions, PreviewServer};
use crate::theme::RenderProblem;

/// Opens an address in a web browser; Err says why none opened. Tests put in one that never
/// opens anything.
pub type BrowserOpener = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// The desktop's browser.
pub fn system_browser() -> BrowserOpener {
    Arc::new(|url| preview_server::open_in_browser(url).map_err(|err| err.to_string()))
}

/// The live preview of one post.
struct LivePreview {
    server: PreviewServer,
    post: PathBuf,
    /// The site root the server serves.
    root: PathBuf,
    /// The document revision last handed to the server.
    fed_revision: Revision,
    /// The server version whose problems are shown.
    seen_version: u64,
    /// "file:line: message" of the problems shown, with their severity.
    problems: Vec<(Severity, String)>,
    /// The notification summing up the problems, while one is on screen.
    notified: Option<String>,
    /// The site runs Ruby plugins of its own, which only Jekyll can run.
    has_own_plugins: bool,
}

/// Jekyll's page for the post, served as Jekyll wrote it.
struct BuiltPreview {
    server: PreviewServer,
    /// The post it shows (closed when another post is opened).
    post: PathBuf,
}

/// What a Build with Jekyll thread sends back.
type BuildOutcome = (PathBuf, Result<PreviewServer, String>);

/// The theme preview's state in the window.
pub struct ThemePreview {
    opener: BrowserOpener,
    live: Option<LivePreview>,
    built: Option<BuiltPreview>,
    building: Option<mpsc::Receiver<BuildOutcome>>,
    /// The open post's path and its site root (found once per path).
    site_of: Option<(PathBuf, Option<PathBuf>)>,
    /// A site root and the `jekyll` found for it (looked up once per site).
    jekyll_of: Option<(PathBuf, Option<PathBuf>)>,
}

impl Default for ThemePreview {
    fn default() -> Self {
        ThemePreview {
            opener: system_browser(),
            live: None,
            built: None,
            building: None,
            site_of: None,
            jekyll_of: None,
        }
    }
}

impl ThemePreview {
    /// Uses `opener` instead of the desktop's browser.
    pub fn set_opener(&mut self, opener: BrowserOpener) {
        self.opener = opener;
    }

    /// The address of the running live preview (`http://127.0.0.1:PORT/KEY/`).
    pub fn address(&self) -> Option<String> {
        self.live.as_ref().map(|live| live.server.entry_url())
    }

    /// The address of Jekyll's page, once built.
    pub fn built_address(&self) -> Option<String> {
        self.built.as_ref().map(|built| built.server.entry_url())
    }

    /// True while Jekyll builds.
    pub fn is_building(&self) -> bool {
        self.building.is_some()
    }

    /// The problems shown for the live preview, as "file:line: message".
    pub fn problems(&self) -> Vec<String> {
        self.live
            .as_ref()
            .map(|live| live.problems.iter().map(|(_, p)| p.clone()).collect())
            .unwrap_or_default()
    }

    /// The site root of the open post (None when it is in no site or has no file).
    pub fn site_root(&self) -> Option<&Path> {
        self.site_of.as_ref().and_then(|(_, root)| root.as_deref())
    }

    /// The `jekyll` to run for the open post's site.
    fn jekyll(&self) -> Option<&Path> {
        let root = self.site_root()?;
        self.jekyll_of
            .as_ref()
            .filter(|(of, _)| of == root)
            .and_then(|(_, jekyll)| jekyll.as_deref())
    }

    /// True when Build with Jekyll can run for the open post.
    pub fn can_build_with_jekyll(&self) -> bool {
        self.jekyll().is_some() && self.building.is_none()
    }

    /// Finds the open post's site (and its `jekyll`) when the post changed.
    fn note_post(&mut self, post: Option<&Path>) {
        let Some(post) = post else {
            self.site_of = None;
            return;
        };
        if self.site_of.as_ref().is_some_and(|(of, _)| of == post) {
            return;
        }
        let root = crate::site::find_root(post);
        if let Some(root) = &root
            && self.jekyll_of.as_ref().is_none_or(|(of, _)| of != root)
        {
            self.jekyll_of = Some((root.clone(), jekyll_build::find_jekyll(root)));
        }
        self.site_of = Some((post.to_path_buf(), root));
    }
}

/// "file:line: message" for a render problem (the file from the site root).
fn problem_line(problem: &RenderProblem) -> String {
    let d = &problem.diagnostic;
    if problem.file.is_empty() {
        d.message.clone()
    } else {
        format!("{}:{}: {}", problem.file, d.line, d.message)
    }
}

fn severity_of(problem: &RenderProblem) -> Severity {
    match problem.diagnostic.severity {
        crate::diagnostic::Severity::Error => Severity::Error,
        crate::diagnostic::Severity::Warning => Severity::Warning,
    }
}

/// The notification for a render's problems: the first in full, the count of the others, and
/// the most serious severity. None without problems.
fn problems_notification(problems: &[(Severity, String)]) -> Option<(Severity, String)> {
    let (_, first) = problems.first()?;
    let severity = if problems.iter().any(|(s, _)| *s == Severity::Error) {
        Severity::Error
    } else {
        Severity::Warning
    };
    let text = match problems.len() {
        1 => format!("Theme preview: {first}"),
        n => format!(
            "Theme preview: {first} (and {} more in the bar under the menus)",
            n - 1
        ),
    };
    Some((severity, text))
}

impl BylineApp {
    /// Uses `opener` instead of the desktop's browser for the theme preview (tests never
    /// open a real one).
    pub fn set_browser_opener(&mut self, opener: BrowserOpener) {
        self.theme_preview.set_opener(opener);
    }

    /// The theme preview (tests read its address and problems).
    pub fn theme_preview(&self) -> &ThemePreview {
        &self.theme_preview
    }

    /// View → Preview in site theme: starts the server for the open post (or shows the one
    /// running) and opens the browser.
    pub(super) fn start_theme_preview(&mut self) {
        let (Some(post), Some(root)) = (
            self.doc.path().map(Path::to_path_buf),
            self.theme_preview.site_root().map(Path::to_path_buf),
        ) else {
            self.notifications.notify(
                Severity::Warning,
                "The theme preview needs a post saved inside a Jekyll site",
            );
            return;
        };
        if self
            .theme_preview
            .live
            .as_ref()
            .is_none_or(|live| live.post != post)
        {
            let ctx = self.egui_ctx.clone();
            let started = PreviewServer::start_live(LiveOptions {
                site_root: root.clone(),
                text: self.doc.post().to_text(),
                renderer: preview_server::theme_renderer(&root, &post),
                debounce: Duration::from_millis(preview_server::DEFAULT_DEBOUNCE_MS),
                on_render: Some(Box::new(move || ctx.request_repaint())),
            });
            let mut server = match started {
                Ok(server) => server,
                Err(err) => {
                    self.notifications.notify(Severity::Error, err.to_string());
                    return;
                }
            };
            if let Err(err) = server.follow_disk(&post, false) {
                self.notifications.notify(
                    Severity::Warning,
                    format!("The theme preview will not see changes to the site's files: {err}"),
                );
            }
            self.theme_preview.live = Some(LivePreview {
                server,
                post,
                has_own_plugins: jekyll_build::has_own_plugins(&root),
                root,
                fed_revision: self.doc.revision(),
                seen_version: 0,
                problems: Vec::new(),
                notified: None,
            });
        }
        if let Some(address) = self.theme_preview.address() {
            self.open_in_browser(&address, "the theme preview");
        }
    }

    /// Opens `address` in the browser, or says where to copy it from.
    fn open_in_browser(&mut self, address: &str, what: &str) {
        match (self.theme_preview.opener)(address) {
            Ok(()) => self
                .notifications
                .notify(Severity::Info, format!("Opened {what} at {address}")),
            Err(why) => self.notifications.notify(
                Severity::Warning,
                format!(
                    "{why} — copy the address of {what} from the theme preview bar under the menus"
                ),
            ),
        }
    }

    /// Build with Jekyll: builds a copy of the site with the unsaved text, off the UI thread.
    pub(super) fn build_with_jekyll(&mut self) {
        let (Some(post), Some(root), Some(jekyll)) = (
            self.doc.path().map(Path::to_path_buf),
            self.theme_preview.site_root().map(Path::to_path_buf),
            self.theme_preview.jekyll().map(Path::to_path_buf),
        ) else {
            self.notifications.notify(
                Severity::Warning,
                "Build with Jekyll needs a post in a site and a local jekyll",
            );
            return;
        };
        if self.theme_preview.building.is_some() {
            return;
        }
        let text = self.doc.post().to_text();
        let built_post = post.clone();
        let (send, receive) = mpsc::channel();
        let ctx = self.egui_ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("byline-jekyll-build".into())
            .spawn(move || {
                let outcome = jekyll_build::build_with_jekyll(&jekyll, &root, &post, &text)
                    .map_err(|err: JekyllBuildError| err.to_string())
                    .and_then(|build| {
                        let (dir, baseurl, url) = (
                            build.built_dir.clone(),
                            build.baseurl.clone(),
                            build.page_url.clone(),
                        );
                        PreviewServer::start_built(&dir, &baseurl, &url, Some(Box::new(build.temp)))
                            .map_err(|err| err.to_string())
                    });
                let _ = send.send((built_post, outcome));
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.theme_preview.building = Some(receive);
                self.notifications
                    .notify(Severity::Info, "Building the site with Jekyll…");
            }
            Err(err) => self
                .notifications
                .notify(Severity::Error, format!("Could not start Jekyll: {err}")),
        }
    }

    /// Each frame: finds the open post's site, feeds the live preview the newest text, shows
    /// its problems, and picks up a finished Jekyll build.
    pub(super) fn theme_preview_upkeep(&mut self) {
        self.theme_preview.note_post(self.doc.path());
        // Jekyll's page of another post is of no use any more.
        if self
            .theme_preview
            .built
            .as_ref()
            .is_some_and(|built| self.doc.path() != Some(built.post.as_path()))
        {
            self.theme_preview.built = None;
        }
        self.feed_live_preview();
        self.collect_jekyll_build();
    }

    fn feed_live_preview(&mut self) {
        let Some(live) = &mut self.theme_preview.live else {
            return;
        };
        if self.doc.path() != Some(live.post.as_path()) {
            if let Some(text) = live.notified.take() {
                self.notifications.withdraw(&text);
            }
            let same_site = self
                .theme_preview
                .site_of
                .as_ref()
                .and_then(|(_, root)| root.as_deref())
                == Some(live.root.as_path());
            match self.doc.path().map(Path::to_path_buf) {
                // Another post of the same site: the open page follows it.
                Some(post) if same_site => {
                    let renderer = preview_server::theme_renderer(&live.root, &post);
                    live.server
                        .change_post(&post, self.doc.post().to_text(), renderer);
                    live.post = post;
                    live.fed_revision = self.doc.revision();
                    self.notifications.notify(
                        Severity::Info,
                        format!("Theme preview: now {}", self.doc.display_name()),
                    );
                }
                _ => {
                    self.theme_preview.live = None;
                    self.notifications.notify(
                        Severity::Info,
                        "Theme preview stopped: the open post is not in its site",
                    );
                    return;
                }
            }
        }
        if self.doc.revision() != live.fed_revision {
            live.fed_revision = self.doc.revision();
            live.server.update(self.doc.post().to_text());
        }
        if live.server.version() == live.seen_version {
            return;
        }
        let snapshot = live.server.snapshot();
        live.seen_version = snapshot.version;
        let problems: Vec<(Severity, String)> = snapshot
            .problems
            .iter()
            .map(|p| (severity_of(p), problem_line(p)))
            .collect();
        let notification = problems_notification(&problems);
        live.problems = problems;
        if notification.as_ref().map(|(_, text)| text) == live.notified.as_ref() {
            return;
        }
        if let Some(old) = live.notified.take() {
            self.notifications.withdraw(&old);
            if notification.is_none() {
                self.notifications
                    .notify(Severity::Info, "Theme preview: no render problems left");
            }
        }
        if let Some((severity, text)) = notification {
            self.notifications.notify(severity, text.clone());
            live.notified = Some(text);
        }
    }

    fn collect_jekyll_build(&mut self) {
        let Some(receive) = &self.theme_preview.building else {
            return;
        };
        let (post, outcome) = match receive.try_recv() {
            Ok(outcome) => outcome,
            Err(mpsc::TryRecvError::Empty) => return,
            Err(mpsc::TryRecvError::Disconnected) => {
                (PathBuf::new(), Err("the Jekyll build stopped".into()))
            }
        };
        self.theme_preview.building = None;
        match outcome {
            Ok(_) if self.doc.path() != Some(post.as_path()) => self.notifications.notify(
                Severity::Info,
                "Jekyll finished building a post that is no longer open",
            ),
            Ok(server) => {
                self.theme_preview.built = Some(BuiltPreview { server, post });
                if let Some(address) = self.theme_preview.built_address() {
                    self.open_in_browser(&address, "Jekyll's page");
                }
            }
            Err(message) => self
                .notifications
                .notify(Severity::Error, format!("Build with Jekyll: {message}")),
        }
    }

    /// The bar under the menus while a theme preview runs or Jekyll builds.
    pub(super) fn theme_preview_ui(&mut self, ui: &mut egui::Ui) {
        let preview = &self.theme_preview;
        if preview.live.is_none() && preview.built.is_none() && preview.building.is_none() {
            return;
        }
        let mut wants_build = false;
        let mut open_again = None;
        let mut stop_live = false;
        let mut close_built = false;
        egui::Panel::top("theme-preview").show(ui, |ui| {
            ui.add_space(2.0);
            if let Some(live) = &preview.live {
                let address = live.server.entry_url();
                ui.horizontal_wrapped(|ui| {
                    ui.strong("Theme preview");
                    ui.add(egui::Label::new(egui::RichText::new(&address).monospace()).selectable(true));
                    if ui.button("Copy address").clicked() {
                        ui.ctx().copy_text(address.clone());
                    }
                    if ui.button("Open in browser").clicked() {
                        open_again = Some((address.clone(), "the theme preview"));
                    }
                    if preview.jekyll().is_some()
                        && ui
                            .add_enabled(preview.building.is_none(), egui::Button::new("Build with Jekyll"))
                            .clicked()
                    {
                        wants_build = true;
                    }
                    if ui.button("Stop preview").clicked() {
                        stop_live = true;
                    }
                });
                if live.has_own_plugins {
                    let hint = if preview.jekyll().is_some() {
                        "This site runs plugins of its own (_plugins/*.rb) that only Jekyll can run: the page shows placeholders where they act. Build with Jekyll shows the exact page."
                    } else {
                        "This site runs plugins of its own (_plugins/*.rb) that only Jekyll can run: the page shows placeholders where they act."
                    };
                    ui.add(egui::Label::new(egui::RichText::new(hint).color(ui.visuals().warn_fg_color)).wrap());
                }
                problems_ui(ui, &live.problems);
            }
            if preview.building.is_some() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Building the site with Jekyll…");
                });
            }
            if let Some(built) = &preview.built {
                let address = built.server.entry_url();
                ui.horizontal_wrapped(|ui| {
                    ui.strong("Jekyll's page");
                    ui.add(egui::Label::new(egui::RichText::new(&address).monospace()).selectable(true));
                    if ui.button("Copy Jekyll's address").clicked() {
                        ui.ctx().copy_text(address.clone());
                    }
                    if ui.button("Open Jekyll's page").clicked() {
                        open_again = Some((address.clone(), "Jekyll's page"));
                    }
                    if ui.button("Close Jekyll's page").clicked() {
                        close_built = true;
                    }
                });
            }
            ui.add_space(2.0);
        });
        if let Some((address, what)) = open_again {
            self.open_in_browser(&address, what);
        }
        if wants_build {
            self.build_with_jekyll();
        }
        if close_built {
            self.theme_preview.built = None;
        }
        if stop_live && let Some(live) = self.theme_preview.live.take() {
            if let Some(text) = &live.notified {
                self.notifications.withdraw(text);
            }
            self.notifications
                .notify(Severity::Info, "Theme preview stopped");
        }
    }
}

/// The render's problems, the first few in full.
fn problems_ui(ui: &mut egui::Ui, problems: &[(Severity, String)]) {
    const SHOWN: usize = 3;
    if problems.is_empty() {
        return;
    }
    for (severity, line) in problems.iter().take(SHOWN) {
        let color = match severity {
            Severity::Error => ui.visuals().error_fg_color,
            Severity::Warning | Severity::Info => ui.visuals().warn_fg_color,
        };
        // One line each (the whole text on hover), so the bar stays short.
        ui.add(egui::Label::new(egui::RichText::new(line).color(color)).truncate());
    }
    if problems.len() > SHOWN {
        ui.weak(format!("and {} more", problems.len() - SHOWN));
    }
}
