//! The form's "Publishing" section: the URL and the day and time Jekyll will publish the open
//! post at, computed from its unsaved text against its site (the site is read once per open
//! file and kept; the post is judged again only when the document changes), this post's site
//! problems with one-click fixes, and Publish for a draft. Also runs Publish draft and keeps
//! the site's tag and category counts for the chips' suggestions.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Severity as ProblemSeverity;
use crate::document::{Document, EditKind, Revision};
use crate::site::fixes::{self, Fix, FixEdit};
use crate::site::names::{NameKind, RenameOutcome, name_counts, rename_across_site};
use crate::site::{IndexOptions, Site, SitePost};

use super::BylineApp;
use super::dialogs::rename_name::RenameNameChoice;
use super::notifications::Severity;

/// The site of the open post and what Jekyll makes of the post.
#[derive(Default)]
pub struct Publishing {
    /// The site, read when the open file changes (None outside a site).
    site: Option<Arc<Site>>,
    /// The file the site was read for.
    site_for: Option<PathBuf>,
    /// The document state the verdict was computed for.
    evaluated_for: Option<Revision>,
    /// The open post as Jekyll sees it; None outside a site or when Jekyll does not read it as
    /// a post.
    evaluated: Option<SitePost>,
    fixes: Vec<Fix>,
    tag_counts: Vec<(String, usize)>,
    category_counts: Vec<(String, usize)>,
    /// Why the last fix could not be applied.
    fix_problem: Option<String>,
    /// Set when the user asked to publish the draft; the app runs it.
    pub wants_publish: bool,
    /// Set when a fix asked to rename the file to this path; the app renames it.
    pub wants_rename_file: Option<PathBuf>,
    /// Set when the user asked for the rename-a-tag dialog.
    pub wants_rename_name: bool,
}

impl Publishing {
    /// Reads the site again at the next frame (after a publish, a rename or a site-wide edit).
    pub fn invalidate(&mut self) {
        self.site_for = None;
        self.evaluated_for = None;
    }

    /// The open post's site, when it is in one.
    pub fn site(&self) -> Option<&Arc<Site>> {
        self.site.as_ref()
    }

    /// The site's names of `kind` with the number of posts carrying each, most used first.
    pub fn counts(&self, kind: NameKind) -> &[(String, usize)] {
        match kind {
            NameKind::Tags => &self.tag_counts,
            NameKind::Categories => &self.category_counts,
        }
    }

    /// Brings the site and the verdict up to date with the document.
    pub fn refresh(&mut self, doc: &Document) {
        let path = doc.path().map(Path::to_path_buf);
        if path != self.site_for {
            self.site_for.clone_from(&path);
            self.site = path
                .as_deref()
                .and_then(crate::site::find_root)
                .map(|root| Arc::new(Site::open(&root, &IndexOptions::default())));
            self.tag_counts = self
                .site
                .as_deref()
                .map(|s| name_counts(s, NameKind::Tags))
                .unwrap_or_default();
            self.category_counts = self
                .site
                .as_deref()
                .map(|s| name_counts(s, NameKind::Categories))
                .unwrap_or_default();
            self.evaluated_for = None;
        }
        if self.evaluated_for == Some(doc.revision()) {
            return;
        }
        self.evaluated_for = Some(doc.revision());
        self.evaluated = None;
        self.fixes.clear();
        if let (Some(site), Some(path)) = (&self.site, &path)
            && let Some(relative) = site.relative_path(path)
            && let Some(evaluated) = site.evaluate(&relative, doc.post())
        {
            self.fixes = fixes::fixes(site, &evaluated, doc.post());
            self.evaluated = Some(evaluated);
        }
    }

    /// Draws the section and applies a chosen date fix to the document (an undoable edit).
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &mut Document) {
        self.refresh(doc);
        let (Some(site), Some(post)) = (self.site.clone(), self.evaluated.clone()) else {
            return;
        };
        egui::CollapsingHeader::new("Publishing")
            .default_open(true)
            .show(ui, |ui| self.section_ui(ui, doc, &site, &post));
        ui.add_space(6.0);
    }

    fn section_ui(&mut self, ui: &mut egui::Ui, doc: &mut Document, site: &Site, post: &SitePost) {
        let baseurl = site.config.baseurl.trim_end_matches('/');
        match &post.url {
            Some(url) => {
                ui.label(format!("URL: {baseurl}{url}"));
            }
            None => {
                ui.label("URL: Byline cannot tell");
            }
        }
        let zone = site.config.timezone.clone().unwrap_or_else(|| {
            let name = site.time_zone.iana_name().unwrap_or("UTC");
            format!("this machine's zone, {name}")
        });
        let when = post.date.as_ref().map(|date| {
            format!(
                "{} ({zone}, UTC{})",
                date.strftime("%A %-d %B %Y at %H:%M"),
                date.strftime("%:z")
            )
        });
        match (post.why_not, when) {
            (None, Some(when)) => {
                ui.label(format!("Publishes on {when}"));
            }
            (None, None) => {
                ui.label("Publishes at build time");
            }
            (Some(why), when) => {
                ui.label(format!("Not published: {}", why.describe()));
                if let Some(when) = when {
                    ui.weak(format!("Dated {when}"));
                }
            }
        }
        for problem in &post.problems {
            let (symbol, color) = match problem.severity {
                ProblemSeverity::Error => ("⛔", ui.visuals().error_fg_color),
                ProblemSeverity::Warning => ("⚠", ui.visuals().warn_fg_color),
            };
            ui.add(
                egui::Label::new(
                    egui::RichText::new(format!(
                        "{symbol} line {}: {}",
                        problem.line, problem.message
                    ))
                    .color(color),
                )
                .wrap(),
            );
        }
        let mut chosen = None;
        ui.horizontal_wrapped(|ui| {
            for fix in &self.fixes {
                let button = ui.button(&fix.label);
                let button = match &fix.edit {
                    FixEdit::RenameFile(to) => button.on_hover_text(format!("Rename to {to}")),
                    FixEdit::DateToken(token) => {
                        button.on_hover_text(format!("Write `date: {token}`"))
                    }
                };
                if button.clicked() {
                    chosen = Some(fix.clone());
                }
            }
        });
        if let Some(fix) = chosen {
            self.apply_fix(doc, site, &fix);
        }
        if let Some(problem) = &self.fix_problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        ui.horizontal_wrapped(|ui| {
            if post.is_draft
                && ui
                    .button("Publish draft")
                    .on_hover_text("Move it into _posts/ with its date")
                    .clicked()
            {
                self.wants_publish = true;
            }
            if ui.button("Rename tag or category…").clicked() {
                self.wants_rename_name = true;
            }
        });
    }

    fn apply_fix(&mut self, doc: &mut Document, site: &Site, fix: &Fix) {
        self.fix_problem = None;
        match &fix.edit {
            FixEdit::DateToken(_) => {
                if let Err(err) = doc.apply(EditKind::Command, |post| fix.apply_to_post(post)) {
                    self.fix_problem = Some(err.to_string());
                }
            }
            FixEdit::RenameFile(relative) => {
                self.wants_rename_file = Some(site.root.join(relative));
            }
        }
    }
}

impl BylineApp {
    /// Carries out what the Publishing section asked for this frame.
    pub(super) fn publishing_requests(&mut self) {
        let publishing = &mut self.form.publishing;
        if std::mem::take(&mut publishing.wants_publish) {
            self.commands.push(super::command::Command::PublishDraft);
        }
        if std::mem::take(&mut publishing.wants_rename_name) {
            self.commands.push(super::command::Command::RenameName);
        }
        if let Some(path) = publishing.wants_rename_file.take() {
            publishing.invalidate();
            self.system_commands
                .push(super::system_command::SystemCommand::RenameFile(path));
        }
    }

    /// Publish draft: moves the open draft into `_posts/` with its date and opens it there.
    pub(super) fn publish_draft(&mut self) {
        let Some(path) = self.doc.path().map(Path::to_path_buf) else {
            return;
        };
        if !crate::site::is_draft_path(&path) {
            self.notifications.notify(
                Severity::Warning,
                "Only a draft in _drafts/ can be published",
            );
            return;
        }
        if self.doc.is_modified() {
            self.notifications.notify(
                Severity::Warning,
                "Save the draft first: Publish moves the file as saved",
            );
            return;
        }
        match crate::site::publish::publish_draft(&path, None) {
            Ok(target) => {
                self.open_path(&target);
                self.form.publishing.invalidate();
                self.notifications.notify(
                    Severity::Info,
                    format!("Published the draft to {}", target.display()),
                );
            }
            Err(message) => self
                .notifications
                .notify(Severity::Error, format!("Not published: {message}")),
        }
    }
}

impl BylineApp {
    /// Opens the rename-a-tag dialog over the open post's site.
    pub(super) fn ask_rename_name(&mut self) {
        self.form.publishing.refresh(&self.doc);
        match self.form.publishing.site() {
            Some(site) => {
                self.dialog = Some(super::dialogs::Dialog::RenameName(
                    super::dialogs::rename_name::RenameNameDialog::new(Arc::clone(site)),
                ));
            }
            None => self.notifications.notify(
                Severity::Warning,
                "The open post is not in a Jekyll site: there are no site names to rename",
            ),
        }
    }

    /// Carries out the rename-a-tag dialog's answer: the site-wide rename of the command
    /// line, then the open post is read again when its file was one of those changed.
    pub(super) fn answer_rename_name(&mut self, choice: RenameNameChoice) {
        let RenameNameChoice::Rename { kind, old, new } = choice else {
            return;
        };
        let Some(site) = self.form.publishing.site().cloned() else {
            return;
        };
        let open_relative = self.doc.path().and_then(|p| site.relative_path(p));
        let planned = rename_across_site(&site, kind, &old, &new, true);
        let touches_open = planned.iter().any(|(path, outcome)| {
            *outcome == RenameOutcome::Renamed && Some(path) == open_relative.as_ref()
        });
        if touches_open && self.doc.is_modified() {
            self.notifications.notify(
                Severity::Warning,
                "Save the open post first: the rename changes its file too",
            );
            return;
        }
        let outcomes = rename_across_site(&site, kind, &old, &new, false);
        let renamed = outcomes
            .iter()
            .filter(|(_, o)| *o == RenameOutcome::Renamed)
            .count();
        for (path, outcome) in &outcomes {
            if let RenameOutcome::Failed(why) = outcome {
                self.notifications
                    .notify(Severity::Warning, format!("{path}: {why}"));
            }
        }
        if touches_open && let Some(path) = self.doc.path().map(Path::to_path_buf) {
            self.open_path(&path);
        }
        self.form.publishing.invalidate();
        self.notifications.notify(
            Severity::Info,
            format!(
                "Renamed `{old}` to `{new}` in {renamed} {}",
                if renamed == 1 { "file" } else { "files" }
            ),
        );
    }
}
