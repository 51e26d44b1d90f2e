//! The site panel: a collapsible left panel listing the open site's posts and drafts with
//! title, date and status, sorted and filtered as you type, kept up to date from disk by a
//! background thread ([`LiveSite`]), with a full-text search over the bodies. It only reports
//! which post to open; the app opens it through the unsaved-edits guard.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use egui::{Key, Modifiers};

use crate::site::index::PostFile;
use crate::site::live::{LiveEvent, LivePost, LiveSite};
use crate::site::search::{SearchFile, SearchHit, SearchJob, SearchOutcome};
use crate::site::{IndexOptions, WhyNot};

/// Below this window width (points) the panel collapses by itself.
pub const NARROW_WIDTH: f32 = 1000.0;
/// The panel's starting width, in points.
const DEFAULT_WIDTH: f32 = 290.0;
/// At most this many search hits are listed.
const HITS_SHOWN: usize = 200;

/// One post or draft as the panel lists it.
#[derive(Debug, Clone)]
pub struct PostRow {
    /// Path from the site root, `/`-separated.
    pub relative: String,
    /// The file.
    pub absolute: PathBuf,
    /// The file name.
    pub file_name: String,
    /// The title Jekyll uses (the file name until the site is read).
    pub title: String,
    /// The date Jekyll computes, for sorting.
    pub date: Option<jiff::Timestamp>,
    /// The date as shown (`YYYY-MM-DD`).
    pub date_text: String,
    /// When the file last changed.
    pub modified: Option<SystemTime>,
    /// True for a draft.
    pub is_draft: bool,
    /// Why Jekyll would not publish it.
    pub why_not: Option<WhyNot>,
    /// How many problems the site checks found in it.
    pub problem_count: usize,
    /// Tags.
    pub tags: Vec<String>,
    /// Categories.
    pub categories: Vec<String>,
    /// True until the site index has read the file (only its name is known).
    pub is_reading: bool,
    /// Title, file name, tags and categories in lowercase, for the filter.
    haystack: String,
}

impl PostRow {
    /// A row for a file not read yet (its name is all that is known).
    pub(crate) fn from_file(file: PostFile) -> PostRow {
        let file_name = file_name_of(&file.relative);
        PostRow {
            title: file_name.clone(),
            haystack: file_name.to_lowercase(),
            file_name,
            relative: file.relative,
            absolute: file.absolute,
            date: None,
            date_text: String::new(),
            modified: None,
            is_draft: file.is_draft,
            why_not: None,
            problem_count: 0,
            tags: Vec::new(),
            categories: Vec::new(),
            is_reading: true,
        }
    }

    fn from_live(live: LivePost) -> PostRow {
        let post = live.post;
        let file_name = file_name_of(&post.path);
        PostRow {
            date: post.date.as_ref().map(jiff::Zoned::timestamp),
            date_text: live.day_text,
            relative: post.path,
            absolute: live.absolute,
            file_name,
            title: post.title,
            modified: live.modified,
            is_draft: post.is_draft,
            why_not: post.why_not,
            problem_count: post.problems.len(),
            tags: post.tags,
            categories: post.categories,
            is_reading: false,
            haystack: live.filter_text,
        }
    }

    /// The row's statuses in words (draft, future, unpublished, has problems…).
    pub fn statuses(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.is_draft {
            out.push("draft".to_string());
        }
        match self.why_not {
            Some(WhyNot::Future) => out.push("future".into()),
            Some(WhyNot::Unpublished) => out.push("unpublished".into()),
            Some(WhyNot::NoDateInFileName) => out.push("not a post".into()),
            Some(WhyNot::Unreadable) => out.push("unreadable".into()),
            Some(WhyNot::Draft) | None => {}
        }
        match self.problem_count {
            0 => {}
            1 => out.push("1 problem".into()),
            n => out.push(format!("{n} problems")),
        }
        out
    }

    /// True when every word of `filter_lower` is in the title, file name, tags or categories.
    fn matches_text(&self, filter_lower: &str) -> bool {
        filter_lower
            .split_whitespace()
            .all(|word| self.haystack.contains(word))
    }
}

/// True for a name with an extension posts usually have (for the first, provisional list).
fn looks_like_post(relative: &str) -> bool {
    Path::new(relative)
        .extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| {
            ["md", "markdown", "mkd", "mkdn", "mdown", "html", "htm"]
                .iter()
                .any(|e| x.eq_ignore_ascii_case(e))
        })
}

fn file_name_of(relative: &str) -> String {
    relative.rsplit('/').next().unwrap_or(relative).to_string()
}

/// Which posts the status filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, strum::EnumIter)]
pub enum StatusFilter {
    /// Every post and draft.
    #[default]
    All,
    /// Published as things stand.
    Published,
    /// Drafts.
    Drafts,
    /// Dated in the future.
    Future,
    /// `published: false`.
    Unpublished,
    /// With problems.
    HasProblems,
}

impl StatusFilter {
    /// The choice's label.
    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "All",
            StatusFilter::Published => "Published",
            StatusFilter::Drafts => "Drafts",
            StatusFilter::Future => "Future",
            StatusFilter::Unpublished => "Unpublished",
            StatusFilter::HasProblems => "Has problems",
        }
    }

    fn keeps(self, row: &PostRow) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Published => row.why_not.is_none() && !row.is_reading,
            StatusFilter::Drafts => row.is_draft,
            StatusFilter::Future => row.why_not == Some(WhyNot::Future),
            StatusFilter::Unpublished => row.why_not == Some(WhyNot::Unpublished),
            StatusFilter::HasProblems => row.problem_count > 0,
        }
    }
}

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, strum::EnumIter)]
pub enum SortOrder {
    /// Newest first.
    #[default]
    Date,
    /// By title, A to Z.
    Title,
    /// Most recently changed file first.
    LastModified,
}

impl SortOrder {
    /// The choice's label.
    pub fn label(self) -> &'static str {
        match self {
            SortOrder::Date => "Date",
            SortOrder::Title => "Title",
            SortOrder::LastModified => "Last modified",
        }
    }
}

/// The full-text search over the bodies.
#[derive(Debug, Default)]
struct BodySearch {
    text: String,
    job: Option<SearchJob>,
    hits: Vec<SearchHit>,
    /// What the last search ended with, in words.
    summary: Option<String>,
}

/// The site panel's state.
#[derive(Debug, Default)]
pub struct SitePanel {
    live: Option<LiveSite>,
    /// The site root as the file system names it (to place opened posts).
    root_canonical: Option<PathBuf>,
    rows: Vec<PostRow>,
    is_indexed: bool,
    watch_problem: Option<String>,
    /// Images no post uses and references to missing images, once the site is read.
    images: Option<crate::site::images::ImageReport>,
    /// The user wants the panel (it still collapses in a narrow window).
    is_open: bool,
    /// Shown even in a narrow window (the user asked for it there).
    is_forced_open: bool,
    filter: String,
    status: StatusFilter,
    tag: Option<String>,
    category: Option<String>,
    sort: SortOrder,
    /// Indices into `rows` of the rows shown, in order.
    shown: Vec<usize>,
    is_shown_stale: bool,
    /// Position in `shown` of the row Enter opens.
    selected: usize,
    /// The filter field has the keyboard focus (the row Enter opens is then highlighted).
    is_filter_focused: bool,
    tag_counts: Vec<(String, usize)>,
    category_counts: Vec<(String, usize)>,
    search: BodySearch,
    /// The open post's path (as given) and its path from the root.
    open_file: Option<(PathBuf, Option<String>)>,
}

/// Id of the filter field (benchmarks focus it).
pub fn filter_id() -> egui::Id {
    egui::Id::unique("site-panel-filter")
}

impl SitePanel {
    /// Starts showing the site at `root` (listing, indexing and watching it in the background);
    /// `on_event` is called from the background thread whenever something new arrived.
    pub fn open_site(&mut self, root: &Path, on_event: impl Fn() + Send + 'static) {
        self.live = Some(LiveSite::open_notifying(
            root,
            IndexOptions::default(),
            on_event,
        ));
        self.root_canonical = Some(std::fs::canonicalize(root).unwrap_or_else(|_| root.into()));
        self.rows.clear();
        self.is_indexed = false;
        self.watch_problem = None;
        self.images = None;
        self.is_open = true;
        self.tag = None;
        self.category = None;
        self.search = BodySearch::default();
        self.open_file = None;
        self.is_shown_stale = true;
    }

    /// The open site's root, if any.
    pub fn root(&self) -> Option<&Path> {
        self.live.as_ref().map(|l| l.root.as_path())
    }

    /// True when `path` lies in the open site.
    pub fn contains(&self, path: &Path) -> bool {
        let Some(root) = &self.root_canonical else {
            return false;
        };
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        path.starts_with(root)
    }

    /// Every row, in index order (the quick-open box matches over them).
    pub fn rows(&self) -> &[PostRow] {
        &self.rows
    }

    /// What is typed in the filter field.
    pub fn filter_text(&self) -> &str {
        &self.filter
    }

    /// How many rows the filters keep.
    pub fn shown_count(&self) -> usize {
        self.shown.len()
    }

    /// True once every file was read.
    pub fn is_indexed(&self) -> bool {
        self.is_indexed
    }

    /// True when the panel is on screen in a window `width` points wide.
    pub fn is_visible(&self, width: f32) -> bool {
        self.live.is_some() && self.is_open && (width >= NARROW_WIDTH || self.is_forced_open)
    }

    /// Shows or hides the panel (in a narrow window, showing it overrides the collapse).
    pub fn toggle(&mut self, width: f32) {
        if self.is_visible(width) {
            self.is_open = false;
            self.is_forced_open = false;
        } else {
            self.is_open = true;
            self.is_forced_open = width < NARROW_WIDTH;
        }
    }

    /// Reads what the background thread sent since the last frame.
    fn take_events(&mut self) {
        let Some(live) = &self.live else {
            return;
        };
        let events = live.take_events();
        if events.is_empty() {
            return;
        }
        for event in events {
            match event {
                LiveEvent::Listed(files) => {
                    // Until the index says which are posts, list the files that look like one.
                    self.rows = files
                        .into_iter()
                        .filter(|f| looks_like_post(&f.relative))
                        .map(PostRow::from_file)
                        .collect();
                }
                LiveEvent::Indexed(posts) => {
                    self.rows = posts.into_iter().map(PostRow::from_live).collect();
                    self.is_indexed = true;
                }
                LiveEvent::Changed(post) => {
                    let row = PostRow::from_live(*post);
                    match self.rows.iter_mut().find(|r| r.relative == row.relative) {
                        Some(slot) => *slot = row,
                        None => self.rows.push(row),
                    }
                }
                LiveEvent::Removed(relative) => self.rows.retain(|r| r.relative != relative),
                LiveEvent::WatchFailed(problem) => self.watch_problem = Some(problem),
                LiveEvent::Images(report) => self.images = Some(report),
            }
        }
        self.count_names();
        self.is_shown_stale = true;
    }

    fn count_names(&mut self) {
        let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
        let mut categories: BTreeMap<&str, usize> = BTreeMap::new();
        for row in &self.rows {
            for tag in &row.tags {
                *tags.entry(tag).or_default() += 1;
            }
            for category in &row.categories {
                *categories.entry(category).or_default() += 1;
            }
        }
        let owned = |map: BTreeMap<&str, usize>| {
            map.into_iter()
                .map(|(name, count)| (name.to_string(), count))
                .collect()
        };
        self.tag_counts = owned(tags);
        self.category_counts = owned(categories);
    }

    /// Recomputes the rows shown (only after the rows, the filters or the order changed).
    fn refresh_shown(&mut self) {
        if !self.is_shown_stale {
            return;
        }
        self.is_shown_stale = false;
        let filter = self.filter.to_lowercase();
        let mut shown: Vec<usize> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, row)| {
                row.matches_text(&filter)
                    && self.status.keeps(row)
                    && self.tag.as_ref().is_none_or(|t| row.tags.contains(t))
                    && self
                        .category
                        .as_ref()
                        .is_none_or(|c| row.categories.contains(c))
            })
            .map(|(i, _)| i)
            .collect();
        let rows = &self.rows;
        let row = |i: &usize| rows.get(*i);
        match self.sort {
            SortOrder::Date => shown.sort_by(|a, b| {
                let key = |i| row(i).map(|r| (r.date, r.relative.as_str()));
                key(b).cmp(&key(a))
            }),
            SortOrder::Title => shown.sort_by_cached_key(|i| {
                row(i).map(|r| (r.title.to_lowercase(), r.relative.clone()))
            }),
            SortOrder::LastModified => shown.sort_by(|a, b| {
                let key = |i| row(i).map(|r| r.modified);
                key(b).cmp(&key(a))
            }),
        }
        self.shown = shown;
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    /// The path from the root of the open post, worked out once per opened file.
    fn open_relative(&mut self, open_file: Option<&Path>) -> Option<String> {
        let Some(file) = open_file else {
            self.open_file = None;
            return None;
        };
        if self.open_file.as_ref().is_none_or(|(f, _)| f != file) {
            let relative = self.root_canonical.as_ref().and_then(|root| {
                let path = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
                path.strip_prefix(root).ok().map(|r| {
                    r.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/")
                })
            });
            self.open_file = Some((file.to_path_buf(), relative));
        }
        self.open_file.as_ref().and_then(|(_, r)| r.clone())
    }

    /// Draws the panel at the left of `ui` when a site is open and the window is wide enough
    /// (or a thin strip to bring it back); returns the post to open.
    pub fn show(&mut self, ui: &mut egui::Ui, open_file: Option<&Path>) -> Option<PathBuf> {
        self.live.as_ref()?;
        self.take_events();
        let width = ui.ctx().content_rect().width();
        if !self.is_visible(width) {
            let mut chosen = None;
            egui::Panel::left("site-strip")
                .resizable(false)
                .exact_size(28.0)
                .show(ui, |ui| {
                    if ui
                        .button("»")
                        .on_hover_text("Show the site panel")
                        .clicked()
                    {
                        chosen = Some(());
                    }
                });
            if chosen.is_some() {
                self.toggle(width);
            }
            return None;
        }
        let open_relative = self.open_relative(open_file);
        let mut chosen = None;
        if width < NARROW_WIDTH {
            // Asked for in a narrow window: a drawer over the form, not a panel beside it
            // that would squeeze the editor; it closes once a post is chosen.
            let rect = ui.available_rect_before_wrap();
            egui::Area::new(egui::Id::unique("site-drawer"))
                .order(egui::Order::Foreground)
                .fixed_pos(rect.left_top())
                .show(ui.ctx(), |ui| {
                    egui::Frame::side_top_panel(ui.style())
                        .stroke(ui.visuals().window_stroke)
                        .show(ui, |ui| {
                            ui.set_width(DEFAULT_WIDTH.min(rect.width() - 40.0));
                            ui.set_height(rect.height() - 2.0 * ui.spacing().item_spacing.y);
                            chosen = self.panel_ui(ui, open_relative.as_deref());
                        });
                });
            if chosen.is_some() {
                self.is_forced_open = false;
            }
            return chosen;
        }
        egui::Panel::left("site")
            .resizable(true)
            .default_size(DEFAULT_WIDTH)
            .min_size(200.0)
            .show(ui, |ui| {
                chosen = self.panel_ui(ui, open_relative.as_deref());
            });
        chosen
    }

    fn panel_ui(&mut self, ui: &mut egui::Ui, open_relative: Option<&str>) -> Option<PathBuf> {
        let mut chosen = None;
        ui.add_space(4.0);
        self.header_ui(ui);
        if let Some(path) = self.filter_ui(ui) {
            chosen = Some(path);
        }
        self.choices_ui(ui);
        if let Some(path) = self.search_ui(ui) {
            chosen = Some(path);
        }
        if let Some(path) = self.images_ui(ui) {
            chosen = Some(path);
        }
        ui.separator();
        self.refresh_shown();
        if let Some(path) = self.list_ui(ui, open_relative) {
            chosen = Some(path);
        }
        chosen
    }

    /// The image report, folded: images no post uses, and references to missing images (a
    /// click opens the post that has one). Returns the post to open.
    fn images_ui(&mut self, ui: &mut egui::Ui) -> Option<PathBuf> {
        let report = self.images.as_ref()?;
        if report.unused.is_empty() && report.missing.is_empty() {
            return None;
        }
        let root = self.live.as_ref()?.root.clone();
        let mut chosen = None;
        egui::CollapsingHeader::new(format!(
            "Images: {} unused, {} missing",
            report.unused.len(),
            report.missing.len()
        ))
        .id_salt("site-images")
        .default_open(false)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("site-images-list")
                .max_height(160.0)
                .show(ui, |ui| {
                    for missing in &report.missing {
                        let text = format!(
                            "Missing {} ({}:{})",
                            missing.target, missing.post, missing.line
                        );
                        if ui
                            .add(egui::Button::new(text).frame(false).truncate())
                            .on_hover_text("Open the post that refers to it")
                            .clicked()
                        {
                            chosen = Some(root.join(&missing.post));
                        }
                    }
                    for unused in &report.unused {
                        ui.add(egui::Label::new(format!("Unused {unused}")).truncate());
                    }
                });
        });
        chosen
    }

    fn header_ui(&mut self, ui: &mut egui::Ui) {
        let Some(live) = &self.live else {
            return;
        };
        let name = live.root.file_name().map_or_else(
            || live.root.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        ui.horizontal(|ui| {
            ui.strong(name)
                .on_hover_text(live.root.display().to_string());
            ui.weak(format!("{} posts", self.rows.len()));
        });
        if !self.is_indexed {
            let (read, total) = live.progress();
            let fraction = if total == 0 {
                0.0
            } else {
                read as f32 / total as f32
            };
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_height(12.0)
                    .text(format!("Reading posts {read}/{total}")),
            );
            ui.ctx().request_repaint_after(Duration::from_millis(50));
        }
        if let Some(problem) = &self.watch_problem {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("Not watching the disk: {problem}"),
            );
        }
    }

    /// The filter field: typing filters, Up and Down move the selection, Enter opens it.
    fn filter_ui(&mut self, ui: &mut egui::Ui) -> Option<PathBuf> {
        let label = ui.label("Filter posts");
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut self.filter)
                    .id(filter_id())
                    .hint_text("title, file, tag, category")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if response.changed() {
            self.is_shown_stale = true;
            self.selected = 0;
        }
        self.is_filter_focused = response.has_focus();
        if response.has_focus() {
            let (down, up) = ui.input_mut(|i| {
                (
                    i.consume_key(Modifiers::NONE, Key::ArrowDown),
                    i.consume_key(Modifiers::NONE, Key::ArrowUp),
                )
            });
            if down {
                self.selected = (self.selected + 1).min(self.shown.len().saturating_sub(1));
            }
            if up {
                self.selected = self.selected.saturating_sub(1);
            }
        }
        if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
            self.refresh_shown();
            return self
                .shown
                .get(self.selected)
                .and_then(|i| self.rows.get(*i))
                .map(|r| r.absolute.clone());
        }
        None
    }

    /// Tag, category, status and order choices.
    fn choices_ui(&mut self, ui: &mut egui::Ui) {
        let before = (
            self.tag.clone(),
            self.category.clone(),
            self.status,
            self.sort,
        );
        egui::Grid::new("site-panel-choices")
            .num_columns(2)
            .show(ui, |ui| {
                name_choice(ui, "Tag", &mut self.tag, &self.tag_counts);
                ui.end_row();
                name_choice(ui, "Category", &mut self.category, &self.category_counts);
                ui.end_row();
                let label = ui.label("Status");
                egui::ComboBox::from_id_salt("site-status")
                    .selected_text(self.status.label())
                    .show_ui(ui, |ui| {
                        for status in <StatusFilter as strum::IntoEnumIterator>::iter() {
                            ui.selectable_value(&mut self.status, status, status.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Sort by");
                egui::ComboBox::from_id_salt("site-sort")
                    .selected_text(self.sort.label())
                    .show_ui(ui, |ui| {
                        for sort in <SortOrder as strum::IntoEnumIterator>::iter() {
                            ui.selectable_value(&mut self.sort, sort, sort.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
            });
        if before
            != (
                self.tag.clone(),
                self.category.clone(),
                self.status,
                self.sort,
            )
        {
            self.is_shown_stale = true;
        }
    }

    /// The body search: a field, Search, a progress bar with Cancel while it runs, the hits.
    fn search_ui(&mut self, ui: &mut egui::Ui) -> Option<PathBuf> {
        let mut chosen = None;
        ui.add_space(4.0);
        let label = ui.label("Search in bodies");
        let mut start = false;
        // Right to left: the button keeps its size, the field takes what is left.
        let row = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
        ui.allocate_ui_with_layout(
            row,
            egui::Layout::right_to_left(egui::Align::Center),
            |ui| {
                start |= ui
                    .add_enabled(self.search.job.is_none(), egui::Button::new("Search"))
                    .clicked();
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.search.text)
                            .desired_width(ui.available_width()),
                    )
                    .labelled_by(label.id);
                start |= response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            },
        );
        if start && self.search.job.is_none() && !self.search.text.trim().is_empty() {
            let files = self
                .rows
                .iter()
                .map(|r| SearchFile {
                    absolute: r.absolute.clone(),
                    relative: r.relative.clone(),
                })
                .collect();
            self.search.hits.clear();
            self.search.summary = None;
            self.search.job = Some(SearchJob::start(files, &self.search.text));
        }
        if let Some(job) = &self.search.job {
            let done = job.files_done();
            let fraction = done as f32 / job.files_total.max(1) as f32;
            let mut cancel = false;
            let row = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
            ui.allocate_ui_with_layout(
                row,
                egui::Layout::right_to_left(egui::Align::Center),
                |ui| {
                    cancel = ui.button("Cancel search").clicked();
                    ui.add(
                        egui::ProgressBar::new(fraction)
                            .desired_width(ui.available_width())
                            .text(format!("Searching {done}/{}", job.files_total)),
                    );
                },
            );
            if cancel {
                // Stopped at once for the user; the thread ends at its next file.
                job.cancel();
                self.search.job = None;
                self.search.summary = Some("Search cancelled".into());
            }
        }
        self.poll_search(ui.ctx());
        if let Some(summary) = &self.search.summary {
            ui.weak(summary);
        }
        if !self.search.hits.is_empty() {
            let width = ui.available_width();
            egui::ScrollArea::vertical()
                .id_salt("search-hits")
                .max_height(140.0)
                .show(ui, |ui| {
                    // Long lines are cut, never widen the panel.
                    ui.set_max_width(width);
                    for hit in self.search.hits.iter().take(HITS_SHOWN) {
                        let name = file_name_of(&hit.relative);
                        let response = ui
                            .add(
                                egui::Button::selectable(
                                    false,
                                    format!("{name}:{} {}", hit.line, hit.snippet),
                                )
                                .truncate(),
                            )
                            .on_hover_text(&hit.snippet);
                        if response.clicked() {
                            chosen = Some(hit.absolute.clone());
                        }
                    }
                });
        }
        chosen
    }

    /// Takes a finished search's hits (after drawing, so a Cancel clicked while the search
    /// ran always wins over hits that arrived in the meantime).
    fn poll_search(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.search.job else {
            return;
        };
        match job.poll() {
            None => ctx.request_repaint_after(Duration::from_millis(50)),
            Some(SearchOutcome::Finished(hits)) => {
                let files: std::collections::BTreeSet<&str> =
                    hits.iter().map(|h| h.relative.as_str()).collect();
                self.search.summary = Some(match hits.len() {
                    0 => format!("No post has “{}”", job.query),
                    n => format!(
                        "Found: {n} {} in {} {}",
                        if n == 1 { "line" } else { "lines" },
                        files.len(),
                        if files.len() == 1 { "post" } else { "posts" }
                    ),
                });
                self.search.hits = hits;
                self.search.job = None;
            }
            Some(SearchOutcome::Cancelled) => {
                self.search.summary = Some("Search cancelled".into());
                self.search.job = None;
            }
        }
    }

    /// The list of posts: only the rows on screen are laid out, so 10,000 posts stay quick.
    fn list_ui(&mut self, ui: &mut egui::Ui, open_relative: Option<&str>) -> Option<PathBuf> {
        let mut chosen = None;
        if self.shown.is_empty() {
            ui.weak(if self.rows.is_empty() {
                "No posts in this site yet"
            } else {
                "No post matches"
            });
            return None;
        }
        let row_height = ui.spacing().interact_size.y
            + ui.spacing().item_spacing.y
            + ui.text_style_height(&egui::TextStyle::Small);
        let weak = ui.visuals().weak_text_color();
        let warn = ui.visuals().warn_fg_color;
        egui::ScrollArea::vertical()
            .id_salt("site-posts")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, self.shown.len(), |ui, range| {
                let width = ui.available_width();
                for position in range {
                    let Some(row) = self.shown.get(position).and_then(|i| self.rows.get(*i)) else {
                        continue;
                    };
                    let is_open = open_relative == Some(row.relative.as_str());
                    let is_selected = self.is_filter_focused && position == self.selected;
                    ui.push_id(&row.relative, |ui| {
                        ui.vertical(|ui| {
                            let mut title = egui::RichText::new(&row.title);
                            if is_open {
                                title = title.strong();
                            }
                            let response = ui.add(
                                egui::Button::selectable(is_open || is_selected, title)
                                    .truncate()
                                    .min_size(egui::vec2(width, 0.0)),
                            );
                            if response.clicked() {
                                chosen = Some(row.absolute.clone());
                            }
                            response.on_hover_text(&row.relative);
                            let statuses = row.statuses();
                            let mut meta = if row.is_reading {
                                "reading…".to_string()
                            } else {
                                row.date_text.clone()
                            };
                            let color = if statuses.is_empty() { weak } else { warn };
                            for status in statuses {
                                meta.push_str(" · ");
                                meta.push_str(&status);
                            }
                            meta.push_str(" · ");
                            meta.push_str(&row.file_name);
                            ui.add(
                                egui::Label::new(egui::RichText::new(meta).small().color(color))
                                    .truncate(),
                            );
                        });
                    });
                }
            });
        chosen
    }
}

/// A tag or category choice: Any, or one of the site's names with its count.
fn name_choice(
    ui: &mut egui::Ui,
    label: &str,
    chosen: &mut Option<String>,
    counts: &[(String, usize)],
) {
    let label_id = ui.label(label).id;
    egui::ComboBox::from_id_salt(("site-name", label))
        .selected_text(chosen.as_deref().unwrap_or("Any"))
        .height(300.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(chosen, None, "Any");
            for (name, count) in counts {
                ui.selectable_value(chosen, Some(name.clone()), format!("{name} ({count})"));
            }
        })
        .response
        .labelled_by(label_id);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(title: &str, file: &str, tags: &[&str]) -> PostRow {
        let mut row = PostRow::from_file(PostFile {
            absolute: PathBuf::from("/site/_posts").join(file),
            relative: format!("_posts/{file}"),
            is_draft: false,
        });
        row.title = title.into();
        row.tags = tags.iter().map(|t| t.to_string()).collect();
        row.haystack = format!("{title}\n{file}\n{}", tags.join("\n")).to_lowercase();
        row.is_reading = false;
        row
    }

    #[test]
    fn the_filter_needs_every_word_somewhere() {
        let r = row("Rust in Production", "2025-01-01-rust.md", &["Systems"]);
        assert!(r.matches_text("rust"));
        assert!(r.matches_text("production systems"));
        assert!(r.matches_text("2025-01"));
        assert!(!r.matches_text("rust python"));
        assert!(r.matches_text(""));
    }

    #[test]
    fn rows_are_filtered_and_sorted() {
        let mut panel = SitePanel {
            rows: vec![
                row("Beta", "2025-01-02-b.md", &["x"]),
                row("alpha", "2025-01-03-a.md", &[]),
                row("Gamma", "2025-01-01-c.md", &["x"]),
            ],
            is_shown_stale: true,
            ..SitePanel::default()
        };
        panel.rows[0].date = Some(jiff::Timestamp::from_second(2).unwrap());
        panel.rows[1].date = Some(jiff::Timestamp::from_second(3).unwrap());
        panel.rows[2].date = Some(jiff::Timestamp::from_second(1).unwrap());
        panel.refresh_shown();
        let titles = |p: &SitePanel| -> Vec<String> {
            p.shown.iter().map(|i| p.rows[*i].title.clone()).collect()
        };
        assert_eq!(titles(&panel), ["alpha", "Beta", "Gamma"]);
        panel.sort = SortOrder::Title;
        panel.tag = Some("x".into());
        panel.is_shown_stale = true;
        panel.refresh_shown();
        assert_eq!(titles(&panel), ["Beta", "Gamma"]);
        panel.rows[2].problem_count = 2;
        panel.status = StatusFilter::HasProblems;
        panel.is_shown_stale = true;
        panel.refresh_shown();
        assert_eq!(titles(&panel), ["Gamma"]);
        assert_eq!(panel.rows[2].statuses(), ["2 problems"]);
    }

    #[test]
    fn the_panel_collapses_in_a_narrow_window_unless_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let mut panel = SitePanel::default();
        assert!(!panel.is_visible(1400.0), "no site, no panel");
        panel.open_site(dir.path(), || {});
        assert!(panel.is_visible(1400.0));
        assert!(!panel.is_visible(800.0));
        panel.toggle(800.0);
        assert!(panel.is_visible(800.0));
        panel.toggle(800.0);
        assert!(!panel.is_visible(1400.0));
        panel.toggle(1400.0);
        assert!(panel.is_visible(1400.0));
    }
}
