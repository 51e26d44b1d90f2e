//! The window's fonts: egui's own, DejaVu for the scripts they lack, the system's colour emoji
//! font for flags and emoji, and every other system font found on demand.

use egui::epaint::text::{FallbackRequest, FontData, FontDefinitions, FontInsert, FontProvider};
use egui::{Context, FontFamily};
use egui_system_font_provider::SystemFontProvider;
use std::sync::{Arc, LazyLock, OnceLock};

/// The system font provider, one per process: it lists the system's fonts once, on a background
/// thread, however many windows (or test harnesses) use it.
static SYSTEM_FONTS: LazyLock<Arc<SystemFontProvider>> =
    LazyLock::new(|| Arc::new(SystemFontProvider::new()));

/// The system's colour emoji font, looked up once per process on a background thread (it is a
/// 10 MB file on most desktops, and startup must not wait for it). `None` inside when the
/// machine has none.
static COLOUR_EMOJI: OnceLock<Option<FontInsert>> = OnceLock::new();

/// A regional indicator letter: only an emoji font has it, so asking the system for a font that
/// can draw it finds the colour emoji font (Noto Color Emoji, Apple Color Emoji, Segoe UI Emoji).
const REGIONAL_INDICATOR_U: &str = "\u{1F1FA}";

/// Marks which fonts a context was given, so [`install_colour_emoji_when_ready`] installs the
/// colour emoji font once per context.
#[derive(Clone, Copy, Default)]
struct ColourEmojiInstalled(bool);

/// Starts finding the colour emoji font in the background (once per process).
fn start_colour_emoji_lookup() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        let spawned = std::thread::Builder::new()
            .name("byline-colour-emoji".into())
            .spawn(|| {
                let font = SYSTEM_FONTS.font_for(&FallbackRequest {
                    cluster: REGIONAL_INDICATOR_U,
                    family: &FontFamily::Proportional,
                });
                let _ = COLOUR_EMOJI.set(font);
            });
        if spawned.is_err() {
            let _ = COLOUR_EMOJI.set(None);
        }
    });
}

/// Waits up to `timeout` for the colour emoji lookup (tests use it so the first frame already
/// has the font); true when the lookup finished and found a font.
pub fn wait_for_colour_emoji(timeout: std::time::Duration) -> bool {
    start_colour_emoji_lookup();
    let start = std::time::Instant::now();
    while start.elapsed() < timeout {
        if let Some(found) = COLOUR_EMOJI.get() {
            return found.is_some();
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    false
}

/// The name the colour emoji font is installed under, once found (for tests and diagnostics).
pub fn colour_emoji_font_name() -> Option<String> {
    COLOUR_EMOJI.get()?.as_ref().map(|font| font.name.clone())
}

/// egui's fonts, with `colour_emoji` right after each family's main font — before egui's
/// monochrome emoji font, which would otherwise draw a flag as two letters in boxes, and after
/// the text font, because emoji fonts carry digits, `#` and `*` too — then DejaVu Sans (and
/// Mono) for Greek, Vietnamese, box drawing and the other scripts posts are written in.
fn font_definitions(colour_emoji: Option<&FontInsert>) -> FontDefinitions {
    let mut definitions = FontDefinitions::default();
    definitions.font_data.insert(
        "DejaVuSans".into(),
        Arc::new(FontData::from_static(include_bytes!(
            "../../assets/fonts/DejaVuSans.ttf"
        ))),
    );
    definitions.font_data.insert(
        "DejaVuSansMono".into(),
        Arc::new(FontData::from_static(include_bytes!(
            "../../assets/fonts/DejaVuSansMono.ttf"
        ))),
    );
    for (family, extra) in [
        (FontFamily::Proportional, &["DejaVuSans"][..]),
        (FontFamily::Monospace, &["DejaVuSans", "DejaVuSansMono"][..]),
    ] {
        let names = definitions.families.entry(family).or_default();
        if let Some(font) = colour_emoji {
            let after_main_font = names.len().min(1);
            names.insert(after_main_font, font.name.clone());
        }
        names.extend(extra.iter().map(|name| name.to_string()));
    }
    if let Some(font) = colour_emoji {
        definitions
            .font_data
            .insert(font.name.clone(), Arc::new(font.data.clone()));
    }
    definitions
}

/// Installs the window's fonts: the bundled ones now, the colour emoji font as soon as the
/// background lookup finds it ([`install_colour_emoji_when_ready`], called every frame), and the
/// system's fonts on demand — the first time a character no installed font has is drawn (日本語,
/// 한국어), the desktop's own fallback (fontconfig on Linux) names a font for it, which is
/// memory-mapped and appended to the chain. Nothing is loaded for text the bundled fonts cover,
/// so startup does not pay for the hundreds of fonts a desktop may have.
pub fn install_fallback_fonts(ctx: &Context) {
    start_colour_emoji_lookup();
    let colour_emoji = COLOUR_EMOJI.get().and_then(Option::as_ref);
    ctx.set_fonts(font_definitions(colour_emoji));
    ctx.data_mut(|data| {
        data.insert_temp(egui::Id::NULL, ColourEmojiInstalled(colour_emoji.is_some()))
    });
    ctx.add_font_provider(SYSTEM_FONTS.clone());
}

/// Adds the colour emoji font once the background lookup has found it (a cheap check per frame
/// until then), and asks for a repaint while the lookup is still going.
pub fn install_colour_emoji_when_ready(ctx: &Context) {
    let installed = ctx.data(|data| data.get_temp::<ColourEmojiInstalled>(egui::Id::NULL));
    if installed.is_some_and(|installed| installed.0) {
        return;
    }
    match COLOUR_EMOJI.get() {
        Some(Some(font)) => {
            ctx.set_fonts(font_definitions(Some(font)));
            ctx.data_mut(|data| data.insert_temp(egui::Id::NULL, ColourEmojiInstalled(true)));
        }
        Some(None) => {
            ctx.data_mut(|data| data.insert_temp(egui::Id::NULL, ColourEmojiInstalled(true)));
        }
        None => ctx.request_repaint_after(std::time::Duration::from_millis(50)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insert(name: &str) -> FontInsert {
        FontInsert::new(
            name,
            FontData::from_static(include_bytes!("../../assets/fonts/DejaVuSans.ttf")),
            Vec::new(),
        )
    }

    #[test]
    fn colour_emoji_goes_after_the_text_font_and_before_egui_emoji() {
        let definitions = font_definitions(Some(&insert("system:Colour")));
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            let names = &definitions.families[&family];
            assert_eq!(names[1], "system:Colour", "{family:?}: {names:?}");
            let egui_emoji = names.iter().position(|name| name == "NotoEmoji-Regular");
            assert!(egui_emoji.is_some_and(|at| at > 1), "{names:?}");
            assert!(names.contains(&"DejaVuSans".to_string()));
        }
        assert!(definitions.font_data.contains_key("system:Colour"));
    }

    #[test]
    fn without_a_colour_emoji_font_the_bundled_fonts_stay() {
        let definitions = font_definitions(None);
        let names = &definitions.families[&FontFamily::Proportional];
        assert_eq!(names.last().map(String::as_str), Some("DejaVuSans"));
        assert!(!names.iter().any(|name| name.starts_with("system:")));
    }
}
