//! Under a tag or category chip row: the site's existing names that match what is being
//! typed, with their counts (a click adds one), and a hint when the typed name differs from
//! an existing one only by case, punctuation, spacing or a plural `s` — so `rust`, `Rust`
//! and `rusts` stop multiplying. The matching is `site::names`; this only draws it.

use crate::site::names::{NameKind, near_duplicate, suggestions};

use super::publishing::Publishing;

/// How many existing names are offered at once.
const SUGGESTIONS_SHOWN: usize = 6;

/// The name kind of a list field, for the fields that are site names.
fn kind_of(key: &str) -> Option<NameKind> {
    match key {
        "tags" => Some(NameKind::Tags),
        "categories" => Some(NameKind::Categories),
        _ => None,
    }
}

/// Draws the suggestions for the text `typed` into the `key` row (`items`: the post's own
/// names); returns the existing name the user clicked, after clearing `typed`.
pub fn ui(
    ui: &mut egui::Ui,
    publishing: &Publishing,
    key: &str,
    typed: &mut String,
    items: &[String],
) -> Option<String> {
    let kind = kind_of(key)?;
    let text = typed.trim().to_string();
    if text.is_empty() {
        return None;
    }
    let counts = publishing.counts(kind);
    let mut chosen = None;
    if let Some((name, count)) = near_duplicate(&text, counts) {
        let posts = if *count == 1 { "post" } else { "posts" };
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("The site has “{name}” ({count} {posts}): same name?"),
            );
            if ui.small_button(format!("Use “{name}”")).clicked() {
                chosen = Some(name.clone());
            }
        });
    }
    let offered = suggestions(&text, counts, items, SUGGESTIONS_SHOWN);
    if !offered.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.weak("In the site:");
            for (name, count) in offered {
                if ui
                    .small_button(format!("{name} ({count})"))
                    .on_hover_text(format!("Add {name}"))
                    .clicked()
                {
                    chosen = Some(name.clone());
                }
            }
        });
    }
    if chosen.is_some() {
        typed.clear();
    }
    chosen
}
