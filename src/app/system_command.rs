//! Internal follow-ups that carry data — open this path, save to that one, export with `force` —
//! kept apart from the user's [`Command`]s so menus and shortcuts list only real user actions.

use std::path::PathBuf;

use super::command::Command;

/// A follow-up the app itself asks for (a dialog's answer, a recent file, a dropped file). Like
/// [`Command`]s, they are recorded while drawing and run after the frame.
#[derive(Debug, Clone, PartialEq)]
pub enum SystemCommand {
    /// Open this post.
    OpenPath(PathBuf),
    /// Show this Jekyll site in the site panel (the open post stays open).
    OpenSite(PathBuf),
    /// Save the post to this new path.
    SaveTo(PathBuf),
    /// Export the post into this site; `force` overwrites a different post already there
    /// (only after the user said so).
    ExportToSite {
        /// The site folder.
        site: PathBuf,
        /// Overwrite after the user confirmed.
        force: bool,
    },
    /// Export the post as an HTML page into this folder; `force` replaces a page that was
    /// there before (only after the user said so).
    ExportHtmlTo {
        /// The folder for the page.
        dir: PathBuf,
        /// Overwrite after the user confirmed.
        force: bool,
    },
    /// Import this image into the post's site (or beside the post) and point the post's
    /// `image` field at the copy.
    SetImage(PathBuf),
    /// Rename the post's file to this path (the name its date and title ask for).
    RenameFile(PathBuf),
    /// Copy the embedded sample post and its image into the data folder and open the copy.
    OpenSample,
}

impl SystemCommand {
    /// True when running it would drop unsaved edits (so the guard asks first).
    pub fn discards_edits(&self) -> bool {
        matches!(self, SystemCommand::OpenPath(_) | SystemCommand::OpenSample)
    }
}

/// Either kind of request, for what must wait until the user answers the unsaved-edits guard.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// A user command.
    User(Command),
    /// An internal follow-up.
    System(SystemCommand),
}

impl Request {
    /// True when running it would drop unsaved edits.
    pub fn discards_edits(&self) -> bool {
        match self {
            Request::User(command) => command.discards_edits(),
            Request::System(command) => command.discards_edits(),
        }
    }
}
