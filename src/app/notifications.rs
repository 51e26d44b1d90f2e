//! What the app tells the user: every message goes to the status bar; warnings and errors also
//! pop up as notifications over the window. The caller says how serious a message is — it is
//! never guessed from the text.

use std::time::{Duration, Instant};

/// How serious a message is, chosen by whoever reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Routine news ("Opened …", "Saved …"): the status bar only, never over the text.
    Info,
    /// Worth noticing (an export warning, a reload from disk): a notification that fades.
    Warning,
    /// Something failed: a red notification that stays until dismissed.
    Error,
}

/// How long a warning stays on screen.
const WARNING_LIFETIME: Duration = Duration::from_secs(10);

/// At most this many notifications are shown; older ones make room.
const MAX_SHOWN: usize = 4;

/// One notification on screen.
#[derive(Debug)]
struct Notification {
    text: String,
    severity: Severity,
    shown_at: Instant,
}

/// The status line and the notifications of the window.
#[derive(Debug, Default)]
pub struct Notifications {
    status: String,
    shown: Vec<Notification>,
}

impl Notifications {
    /// Reports `text`: always in the status bar, and as a notification unless it is routine.
    /// The same message twice is shown once (its time restarts).
    pub fn notify(&mut self, severity: Severity, text: impl Into<String>) {
        let text = text.into();
        self.status.clone_from(&text);
        if severity == Severity::Info {
            return;
        }
        self.shown
            .retain(|n| !(n.text == text && n.severity == severity));
        self.shown.push(Notification {
            text,
            severity,
            shown_at: Instant::now(),
        });
        if self.shown.len() > MAX_SHOWN {
            self.shown.remove(0);
        }
    }

    /// Takes back a notification that no longer holds (a render problem since fixed).
    pub fn withdraw(&mut self, text: &str) {
        self.shown.retain(|n| n.text != text);
    }

    /// Sets the status line without a notification (Undone, Redone).
    pub fn set_status(&mut self, text: impl Into<String>) {
        self.status = text.into();
    }

    /// The message in the status bar.
    pub fn status(&self) -> &str {
        &self.status
    }

    /// The notifications on screen now, oldest first.
    pub fn shown(&self) -> impl Iterator<Item = (Severity, &str)> {
        self.shown.iter().map(|n| (n.severity, n.text.as_str()))
    }

    /// Draws the notifications in the bottom-right corner, above the status bar.
    pub fn ui(&mut self, ctx: &egui::Context) {
        self.shown.retain(|n| match n.severity {
            Severity::Error => true,
            Severity::Info | Severity::Warning => n.shown_at.elapsed() < WARNING_LIFETIME,
        });
        if self.shown.is_empty() {
            return;
        }
        let mut dismissed = None;
        egui::Area::new(egui::Id::unique("notifications"))
            .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -40.0])
            .show(ctx, |ui| {
                for (i, n) in self.shown.iter().enumerate() {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_max_width(420.0);
                        ui.horizontal(|ui| {
                            let color = match n.severity {
                                Severity::Error => ui.visuals().error_fg_color,
                                Severity::Warning => ui.visuals().warn_fg_color,
                                Severity::Info => ui.visuals().text_color(),
                            };
                            ui.add(
                                egui::Label::new(egui::RichText::new(&n.text).color(color)).wrap(),
                            );
                            if ui.small_button("Dismiss").clicked() {
                                dismissed = Some(i);
                            }
                        });
                    });
                }
            });
        if let Some(i) = dismissed {
            self.shown.remove(i);
        }
        if self.shown.iter().any(|n| n.severity != Severity::Error) {
            ctx.request_repaint_after(Duration::from_secs(1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routine_news_goes_to_the_status_bar_only() {
        let mut n = Notifications::default();
        n.notify(Severity::Info, "Opened error-handling.md");
        assert_eq!(n.status(), "Opened error-handling.md");
        assert_eq!(n.shown().count(), 0);
    }

    #[test]
    fn severity_comes_from_the_caller_not_the_text() {
        let mut n = Notifications::default();
        n.notify(Severity::Warning, "all fine");
        n.notify(Severity::Error, "disk full");
        let shown: Vec<(Severity, &str)> = n.shown().collect();
        assert_eq!(
            shown,
            [
                (Severity::Warning, "all fine"),
                (Severity::Error, "disk full")
            ]
        );
    }

    #[test]
    fn a_repeated_message_shows_once_and_old_ones_make_room() {
        let mut n = Notifications::default();
        n.notify(Severity::Error, "same");
        n.notify(Severity::Error, "same");
        assert_eq!(n.shown().count(), 1);
        for i in 0..6 {
            n.notify(Severity::Warning, format!("w{i}"));
        }
        assert_eq!(n.shown().count(), MAX_SHOWN);
        assert_eq!(n.shown().last().map(|(_, t)| t), Some("w5"));
    }
}
