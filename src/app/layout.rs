//! Which side panels (front-matter form, outline, preview) fit beside the editor at the
//! window's width. The editor always keeps a comfortable measure; panels the user wants but
//! that do not fit collapse by themselves, the least needed first, and come back when the
//! window grows. Pure arithmetic, so the rules are tested without a window.

/// A panel beside the editor that can be hidden or collapse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SidePanel {
    /// The front-matter form (left).
    Form,
    /// The outline of the post's headings (right of the editor).
    Outline,
    /// The live preview (right).
    Preview,
}

/// The editor never gets narrower than this many characters of its font (a comfortable
/// measure for prose), unless the user explicitly asked for a panel that does not fit.
pub const EDITOR_MIN_COLUMNS: f32 = 45.0;

/// The narrowest the form may be, in points.
pub const FORM_MIN_WIDTH: f32 = 260.0;

/// The narrowest the preview may be, in points.
pub const PREVIEW_MIN_WIDTH: f32 = 280.0;

/// The outline's width, in points.
pub const OUTLINE_WIDTH: f32 = 160.0;

/// Room the panels' frames, separators and the editor's scroll bar take besides their content.
const PANEL_CHROME_WIDTH: f32 = 16.0;

/// What the user wants shown (their explicit choices) and how wide things are.
#[derive(Debug, Clone, Copy)]
pub struct LayoutRequest {
    /// The width the editor and its panels share, in points.
    pub available_width: f32,
    /// The editor's minimum width, in points (its font's width of [`EDITOR_MIN_COLUMNS`]).
    pub editor_min_width: f32,
    /// The user wants the form.
    pub wants_form: bool,
    /// The user wants the outline.
    pub wants_outline: bool,
    /// The user wants the preview beside the editor.
    pub wants_preview: bool,
    /// The panel the user asked for last: it collapses last, and shows even when it leaves
    /// the editor narrower than its comfortable measure.
    pub priority: Option<SidePanel>,
}

/// The panels shown this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    /// Show the form.
    pub is_form_shown: bool,
    /// Show the outline.
    pub is_outline_shown: bool,
    /// Show the preview beside the editor.
    pub is_preview_shown: bool,
    /// The form was wanted but the window is too narrow.
    pub is_form_collapsed: bool,
    /// The outline was wanted but the window is too narrow.
    pub is_outline_collapsed: bool,
    /// The preview was wanted but the window is too narrow.
    pub is_preview_collapsed: bool,
}

impl Layout {
    /// True when `panel` is on screen.
    pub fn is_shown(&self, panel: SidePanel) -> bool {
        match panel {
            SidePanel::Form => self.is_form_shown,
            SidePanel::Outline => self.is_outline_shown,
            SidePanel::Preview => self.is_preview_shown,
        }
    }

    /// True when some wanted panel collapsed for lack of width.
    pub fn has_collapsed(&self) -> bool {
        self.is_form_collapsed || self.is_outline_collapsed || self.is_preview_collapsed
    }
}

/// The narrowest `panel` can be, in points (with its frame). The form narrows from the user's
/// width down to its minimum before it collapses.
fn min_width(panel: SidePanel) -> f32 {
    PANEL_CHROME_WIDTH
        + match panel {
            SidePanel::Form => FORM_MIN_WIDTH,
            SidePanel::Outline => OUTLINE_WIDTH,
            SidePanel::Preview => PREVIEW_MIN_WIDTH,
        }
}

/// Decides which wanted panels fit: the outline collapses first, then the preview, then the
/// form (the panel asked for last collapses last), until the editor keeps its measure.
pub fn arrange(request: &LayoutRequest) -> Layout {
    let mut order: Vec<SidePanel> = [
        (SidePanel::Outline, request.wants_outline),
        (SidePanel::Preview, request.wants_preview),
        (SidePanel::Form, request.wants_form),
    ]
    .into_iter()
    .filter(|(_, wanted)| *wanted)
    .map(|(panel, _)| panel)
    .collect();
    if let Some(priority) = request.priority
        && let Some(at) = order.iter().position(|p| *p == priority)
    {
        let panel = order.remove(at);
        order.push(panel);
    }
    let needed = |panels: &[SidePanel]| -> f32 {
        request.editor_min_width + panels.iter().map(|p| min_width(*p)).sum::<f32>()
    };
    let mut shown = order.clone();
    while !shown.is_empty() && needed(&shown) > request.available_width {
        // The panel asked for last stays even when it does not fit beside the editor.
        if shown.len() == 1 && request.priority == shown.first().copied() {
            break;
        }
        shown.remove(0);
    }
    let is_shown = |panel| shown.contains(&panel);
    Layout {
        is_form_shown: is_shown(SidePanel::Form),
        is_outline_shown: is_shown(SidePanel::Outline),
        is_preview_shown: is_shown(SidePanel::Preview),
        is_form_collapsed: request.wants_form && !is_shown(SidePanel::Form),
        is_outline_collapsed: request.wants_outline && !is_shown(SidePanel::Outline),
        is_preview_collapsed: request.wants_preview && !is_shown(SidePanel::Preview),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(width: f32) -> LayoutRequest {
        LayoutRequest {
            available_width: width,
            editor_min_width: 400.0,
            wants_form: true,
            wants_outline: true,
            wants_preview: true,
            priority: None,
        }
    }

    #[test]
    fn a_wide_window_shows_every_wanted_panel() {
        let layout = arrange(&request(1400.0));
        assert!(layout.is_form_shown && layout.is_outline_shown && layout.is_preview_shown);
        assert!(!layout.has_collapsed());
    }

    #[test]
    fn panels_collapse_outline_first_then_preview_then_form() {
        assert!(!arrange(&request(1280.0)).has_collapsed());
        let layout = arrange(&request(1100.0));
        assert!(layout.is_form_shown && layout.is_preview_shown);
        assert!(layout.is_outline_collapsed);
        let layout = arrange(&request(800.0));
        assert!(layout.is_form_shown);
        assert!(layout.is_preview_collapsed && layout.is_outline_collapsed);
        let layout = arrange(&request(600.0));
        assert!(!layout.is_form_shown && layout.is_form_collapsed);
    }

    #[test]
    fn the_form_narrows_before_it_collapses() {
        // 800 px less the folded site panel's strip: the form still fits at its narrowest
        // beside the editor's measure.
        let layout = arrange(&request(772.0));
        assert!(layout.is_form_shown && !layout.is_form_collapsed);
    }

    #[test]
    fn the_panel_asked_for_last_collapses_last_and_hidden_panels_stay_hidden() {
        let mut asked = request(800.0);
        asked.priority = Some(SidePanel::Preview);
        let layout = arrange(&asked);
        assert!(layout.is_preview_shown && layout.is_form_collapsed);
        asked.available_width = 500.0;
        assert!(
            arrange(&asked).is_preview_shown,
            "shown even when too narrow"
        );
        let mut hidden = request(1400.0);
        hidden.wants_form = false;
        let layout = arrange(&hidden);
        assert!(!layout.is_form_shown && !layout.is_form_collapsed);
    }
}
