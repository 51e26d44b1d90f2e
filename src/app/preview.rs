//! The live preview: the post's header (title, date, author, categories, tags, image) and its
//! body as readers see it. Only the blocks on screen are laid out, and the preview catches up
//! shortly after typing pauses instead of re-rendering a long post on every keystroke.

use std::ops::Range;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use crate::document::Document;
use crate::markdown;
use crate::post::registry::{self, FieldSpec, FormWidget};
use crate::site;

/// How long typing must pause before the preview re-reads the body.
pub const PREVIEW_DELAY: Duration = Duration::from_millis(90);

/// Space between paragraphs and other blocks, as a blank line would give.
const BLOCK_GAP: f32 = 8.0;

struct Block {
    range: Range<usize>,
    id: egui::Id,
    height: Option<f32>,
}

/// The post's header as the preview shows it.
#[derive(Default, Clone)]
struct Header {
    title: String,
    date: String,
    author: String,
    /// Each list field of the registry (categories, tags…) with its items, in form order.
    lists: Vec<(&'static FieldSpec, Vec<String>)>,
    image: Option<String>,
}

/// The preview's state: the body text it shows and the measured height of each block.
#[derive(Default)]
pub struct PreviewPanel {
    shown_revision: Option<crate::document::Revision>,
    changed_at: Option<(crate::document::Revision, Instant)>,
    markdown: String,
    blocks: Vec<Block>,
    header: Header,
    cache: CommonMarkCache,
    site_root: PathBuf,
}

impl PreviewPanel {
    /// The Markdown the preview shows now (after Liquid placeholders), for tests.
    pub fn shown_markdown(&self) -> &str {
        &self.markdown
    }

    /// The document revision the preview shows.
    pub fn shown_revision(&self) -> Option<crate::document::Revision> {
        self.shown_revision
    }

    /// Forces the preview to re-read the document on the next frame (a new file was opened).
    pub fn reset(&mut self) {
        self.shown_revision = None;
        self.changed_at = None;
    }

    fn refresh(&mut self, doc: &Document) {
        let post = doc.post();
        self.site_root = doc
            .path()
            .map_or_else(|| PathBuf::from("."), site::site_root);
        let date = match post.date() {
            Some(Ok(date)) => {
                let mut text = date.reader_text();
                if let Some(offset) = date.offset {
                    text.push_str(&format!(" (UTC{offset})"));
                }
                text
            }
            Some(Err(_)) => post.text("date").unwrap_or_default(),
            None => String::new(),
        };
        self.header = Header {
            // Without a `title`, Jekyll titles a post from its `YYYY-MM-DD-slug` file name.
            title: post
                .text("title")
                .filter(|t| !t.trim().is_empty())
                .or_else(|| {
                    doc.path()
                        .filter(|p| site::is_in_post_folder(p))
                        .and_then(crate::export::FileNameParts::of)
                        .map(|parts| parts.title())
                })
                .unwrap_or_default(),
            date,
            author: post.text("author").unwrap_or_default(),
            lists: registry::FIELDS
                .iter()
                .filter(|spec| spec.is_list())
                .map(|spec| (spec, post.list(spec.name)))
                .filter(|(_, items)| !items.is_empty())
                .collect(),
            // The image row's field: its text, or its `path` when it is a map.
            image: registry::form_fields()
                .find(|spec| spec.widget == FormWidget::Image)
                .and_then(|spec| post.text_or_map_key(spec.name, "path"))
                .filter(|s| !s.trim().is_empty()),
        };
        let markdown =
            crate::markdown_preview::for_preview(&markdown::liquid_placeholders(post.body()));
        let old: std::collections::HashMap<u64, f32> = self
            .blocks
            .iter()
            .filter_map(|b| Some((hash_of(self.markdown.get(b.range.clone())?), b.height?)))
            .collect();
        self.blocks = markdown::blocks(&markdown)
            .into_iter()
            .map(|range| {
                let hash = hash_of(markdown.get(range.clone()).unwrap_or(""));
                Block {
                    range,
                    id: egui::Id::unique(("preview-block", hash)),
                    height: old.get(&hash).copied(),
                }
            })
            .collect();
        self.markdown = markdown;
        self.shown_revision = Some(doc.revision());
    }

    /// Brings the preview up to date when typing has paused; returns true when it did.
    pub fn update(&mut self, ctx: &egui::Context, doc: &Document) -> bool {
        let revision = doc.revision();
        if self.shown_revision == Some(revision) {
            return false;
        }
        let now = Instant::now();
        if self.shown_revision.is_none() {
            self.refresh(doc);
            return true;
        }
        let changed_at = match self.changed_at {
            Some((r, at)) if r == revision => at,
            _ => {
                self.changed_at = Some((revision, now));
                now
            }
        };
        let waited = now.duration_since(changed_at);
        if waited >= PREVIEW_DELAY {
            self.refresh(doc);
            true
        } else {
            ctx.request_repaint_after(PREVIEW_DELAY - waited);
            false
        }
    }

    fn header_ui(&self, ui: &mut egui::Ui) {
        let header = &self.header;
        if let Some(image) = &header.image {
            match site::resolve_image(&self.site_root, image) {
                Some(path) if path.is_file() => {
                    ui.add(
                        egui::Image::new(format!("file://{}", path.display()))
                            .max_width(ui.available_width())
                            .max_height(260.0)
                            .corner_radius(6.0),
                    );
                }
                Some(path) => {
                    ui.weak(format!("Header image not found: {}", path.display()));
                }
                None => {
                    ui.add(
                        egui::Image::new(image.clone())
                            .max_width(ui.available_width())
                            .max_height(260.0),
                    );
                }
            }
        }
        let title = if header.title.is_empty() {
            "Untitled post"
        } else {
            header.title.as_str()
        };
        ui.label(egui::RichText::new(title).heading().size(26.0).strong());
        let mut byline = Vec::new();
        if !header.date.is_empty() {
            byline.push(header.date.clone());
        }
        if !header.author.is_empty() {
            byline.push(format!("by {}", header.author));
        }
        if !byline.is_empty() {
            ui.weak(byline.join(" • "));
        }
        if !header.lists.is_empty() {
            ui.horizontal_wrapped(|ui| {
                for (spec, items) in &header.lists {
                    // Tags read as hashtags, other lists (categories) as labels.
                    for item in items {
                        let text = if spec.name == "tags" {
                            egui::RichText::new(format!("#{item}")).weak()
                        } else {
                            egui::RichText::new(item)
                                .strong()
                                .background_color(ui.visuals().faint_bg_color)
                        };
                        ui.label(text).on_hover_text(spec.label);
                    }
                }
            });
        }
        ui.separator();
    }

    /// Draws the preview, laying out only the blocks in view.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let root = self.site_root.display().to_string();
        let scheme = format!("file://{root}/");
        let spacing = ui.spacing().item_spacing.y;
        let estimate_row = ui.text_style_height(&egui::TextStyle::Body) + 2.0;
        egui::ScrollArea::vertical()
            .id_salt("preview-scroll")
            .auto_shrink(false)
            .show_viewport(ui, |ui, viewport| {
                ui.set_width(ui.available_width());
                let header_top = ui.cursor().top();
                self.header_ui(ui);
                let mut y = ui.cursor().top() - header_top;
                let mut skipped_above = 0.0;
                let mut index = 0;
                // Skip blocks entirely above the viewport (by measured or estimated height).
                while let Some(block) = self.blocks.get(index) {
                    let height = block
                        .height
                        .unwrap_or_else(|| estimate(&self.markdown, &block.range, estimate_row));
                    if y + height + spacing >= viewport.top() - 200.0 {
                        break;
                    }
                    y += height + spacing;
                    skipped_above += height + spacing;
                    index += 1;
                }
                ui.add_space(skipped_above);
                while let Some(block) = self.blocks.get_mut(index) {
                    if y > viewport.bottom() + 400.0 {
                        break;
                    }
                    let text = self.markdown.get(block.range.clone()).unwrap_or("");
                    let top = ui.cursor().top();
                    CommonMarkViewer::new()
                        .default_implicit_uri_scheme(scheme.clone())
                        .max_image_width(Some(ui.available_width() as usize))
                        .show_with_id(block.id, ui, &mut self.cache, text);
                    ui.add_space(BLOCK_GAP);
                    let height = ui.cursor().top() - top - spacing;
                    block.height = Some(height.max(0.0));
                    y += height + spacing;
                    index += 1;
                }
                let remaining: f32 = self
                    .blocks
                    .iter()
                    .skip(index)
                    .map(|b| {
                        b.height
                            .unwrap_or_else(|| estimate(&self.markdown, &b.range, estimate_row))
                            + spacing
                    })
                    .sum();
                ui.add_space(remaining);
            });
    }
}

fn hash_of(text: &str) -> u64 {
    egui::util::hash(text)
}

/// A guess at a block's height before it has been laid out: its lines, wrapped at 90 columns.
fn estimate(markdown: &str, range: &Range<usize>, row: f32) -> f32 {
    let text = markdown.get(range.clone()).unwrap_or("");
    let rows: usize = text.lines().map(|l| l.chars().count() / 90 + 1).sum();
    rows as f32 * row + 8.0
}
