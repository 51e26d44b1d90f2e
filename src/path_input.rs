//! Typing a path without a desktop file dialog, minus the UI: which folder a typed path lists,
//! Tab completion, what a choice must be (an existing file, a new file, a folder), and where to
//! start (the post's own `_posts/` or `_drafts/` folder rather than wherever Byline was started).

use std::path::{MAIN_SEPARATOR, Path, PathBuf};

use crate::site;

/// What kind of path a dialog asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// A file that exists (Open, choose an image).
    ExistingFile,
    /// A file name to create; an existing file is refused (Save As never overwrites).
    NewFile,
    /// An existing folder (export targets).
    Folder,
}

/// Why a typed path cannot be taken as the answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathProblem {
    /// Nothing was typed.
    #[error("type a path")]
    Empty,
    /// The file or folder does not exist.
    #[error("{} does not exist", .0.display())]
    Missing(PathBuf),
    /// A folder was given where a file is needed.
    #[error("{} is a folder; choose a file in it", .0.display())]
    IsAFolder(PathBuf),
    /// A file was given where a folder is needed.
    #[error("{} is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// Saving would replace an existing file.
    #[error("{} already exists; choose another name", .0.display())]
    AlreadyExists(PathBuf),
    /// The folder to save into does not exist.
    #[error("the folder {} does not exist", .0.display())]
    NoSuchFolder(PathBuf),
}

/// One entry of a listed folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderEntry {
    /// The file or folder name.
    pub name: String,
    /// Its full path.
    pub path: PathBuf,
    /// True for a folder (or a link to one).
    pub is_folder: bool,
}

/// Expands a leading `~` to the home folder, as a shell would.
pub fn expand_home(text: &str) -> PathBuf {
    let home = || directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    if text == "~" {
        if let Some(home) = home() {
            return home;
        }
    } else if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = home()
    {
        return home.join(rest);
    }
    PathBuf::from(text)
}

/// The typed text as a path (home expanded, surrounding whitespace ignored).
pub fn typed_path(text: &str) -> PathBuf {
    expand_home(text.trim())
}

/// Splits typed text into the folder it is in and the partial name typed after the last
/// separator: `/a/b/` → (`/a/b/`, ""), `/a/b/ca` → (`/a/b/`, "ca"), `ca` → (`.`, "ca").
pub fn split_typed(text: &str) -> (PathBuf, String) {
    let text = text.trim_start();
    match text.rfind(['/', MAIN_SEPARATOR]) {
        Some(at) => {
            let (folder, partial) = text.split_at(at + 1);
            (expand_home(folder), partial.to_string())
        }
        None if text == "~" => (expand_home("~/"), String::new()),
        None => (PathBuf::from("."), text.to_string()),
    }
}

/// The entries of `folder`, folders first, then by name ignoring case. Hidden entries (a name
/// starting with `.`) are left out unless `show_hidden`.
pub fn list_folder(folder: &Path, show_hidden: bool) -> std::io::Result<Vec<FolderEntry>> {
    let mut entries: Vec<FolderEntry> = std::fs::read_dir(folder)?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_string();
            if name.starts_with('.') && !show_hidden {
                return None;
            }
            let path = entry.path();
            // `Path::is_dir` follows links, so a link to a folder browses like one.
            let is_folder = path.is_dir();
            Some(FolderEntry {
                name,
                path,
                is_folder,
            })
        })
        .collect();
    entries.sort_by(|a, b| {
        b.is_folder
            .cmp(&a.is_folder)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(entries)
}

/// The entries whose names start with `partial`: exactly when any do, else ignoring case.
pub fn matching<'a>(entries: &'a [FolderEntry], partial: &str) -> Vec<&'a FolderEntry> {
    let exact: Vec<&FolderEntry> = entries
        .iter()
        .filter(|e| e.name.starts_with(partial))
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let lower = partial.to_lowercase();
    entries
        .iter()
        .filter(|e| e.name.to_lowercase().starts_with(&lower))
        .collect()
}

/// Completes typed text the way a shell's Tab does: to the longest name all matching entries
/// share, with a separator after a single matching folder. None when nothing would change.
pub fn complete(text: &str) -> Option<String> {
    let (folder, partial) = split_typed(text);
    let entries = list_folder(&folder, partial.starts_with('.')).ok()?;
    let matches = matching(&entries, &partial);
    let first = matches.first()?;
    let mut common: String = first.name.clone();
    for entry in matches.iter().skip(1) {
        let shared = common
            .char_indices()
            .zip(entry.name.chars())
            .find(|((_, a), b)| a != b)
            .map_or(common.len().min(entry.name.len()), |((at, _), _)| at);
        common.truncate(shared);
    }
    let typed_folder = text.trim_start();
    let head = typed_folder
        .get(..typed_folder.len() - partial.len())
        .unwrap_or("");
    let mut completed = format!("{head}{common}");
    if let [only] = matches.as_slice()
        && only.is_folder
    {
        completed.push('/');
    }
    (completed != text).then_some(completed)
}

/// Checks that `path` answers a request for `kind`. `current` is the open post's own file,
/// which Save As may name again.
pub fn check_choice(
    kind: PathKind,
    path: &Path,
    current: Option<&Path>,
) -> Result<(), PathProblem> {
    if path.as_os_str().is_empty() {
        return Err(PathProblem::Empty);
    }
    match kind {
        PathKind::ExistingFile if path.is_dir() => Err(PathProblem::IsAFolder(path.into())),
        PathKind::ExistingFile if !path.is_file() => Err(PathProblem::Missing(path.into())),
        PathKind::Folder if path.is_file() => Err(PathProblem::NotAFolder(path.into())),
        PathKind::Folder if !path.is_dir() => Err(PathProblem::Missing(path.into())),
        PathKind::NewFile if path.is_dir() => Err(PathProblem::IsAFolder(path.into())),
        PathKind::NewFile if path.exists() && current != Some(path) => {
            Err(PathProblem::AlreadyExists(path.into()))
        }
        PathKind::NewFile => match path.parent() {
            Some(folder) if !folder.as_os_str().is_empty() && !folder.is_dir() => {
                Err(PathProblem::NoSuchFolder(folder.into()))
            }
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// The folder a post belongs in: its own folder (`_posts/`, `_drafts/` or wherever it is) when
/// it has a file; for a new post — dated, as the template makes it — the `_posts/` folder of the
/// site of the most recent file that still exists (its `_drafts/` when it has no `_posts/`);
/// else the current folder.
pub fn post_folder(post_path: Option<&Path>, recent_files: &[PathBuf]) -> PathBuf {
    // A post given as `post.md` lives in the current folder: make it absolute first.
    let post_path = post_path.and_then(|p| std::path::absolute(p).ok());
    if let Some(folder) = post_path
        .as_deref()
        .and_then(Path::parent)
        .filter(|f| f.is_dir())
    {
        return folder.to_path_buf();
    }
    for recent in recent_files.iter().filter(|p| p.is_file()) {
        let root = site::site_root(recent);
        for folder in ["_posts", "_drafts"] {
            if root.join(folder).is_dir() {
                return root.join(folder);
            }
        }
        if let Some(folder) = recent.parent() {
            return folder.to_path_buf();
        }
    }
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

/// Where a post's images usually live: the site's `assets/images`, `assets` or `images`
/// folder when there is one, else the post's folder.
pub fn image_folder(post_folder: &Path) -> PathBuf {
    let root = site::site_root(&post_folder.join("post.md"));
    ["assets/images", "assets", "images"]
        .iter()
        .map(|sub| root.join(sub))
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| post_folder.to_path_buf())
}

/// The characters (as char indices) of the file name's stem in typed text — `name` in
/// `/a/b/name.md` — so a proposed name can be selected and typed over, keeping its folder and
/// extension. None when the text ends in a separator.
pub fn file_stem_chars(text: &str) -> Option<std::ops::Range<usize>> {
    let name_start = text.rfind(['/', MAIN_SEPARATOR]).map_or(0, |at| at + 1);
    let name = text.get(name_start..)?;
    if name.is_empty() {
        return None;
    }
    let stem_len = match name.rfind('.') {
        Some(dot) if dot > 0 => dot,
        _ => name.len(),
    };
    let start = text.get(..name_start)?.chars().count();
    let stem = name.get(..stem_len)?.chars().count();
    Some(start..start + stem)
}

/// Text for a folder in the path field: its path with a trailing separator, so typing adds a
/// name inside it and the list shows its entries.
pub fn folder_text(folder: &Path) -> String {
    let mut text = folder.display().to_string();
    if !text.ends_with(['/', MAIN_SEPARATOR]) {
        text.push(MAIN_SEPARATOR);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("_posts")).unwrap();
        std::fs::create_dir_all(site.join("_drafts")).unwrap();
        std::fs::create_dir_all(site.join("assets/images")).unwrap();
        std::fs::write(site.join("_config.yml"), "title: t\n").unwrap();
        std::fs::write(site.join("_posts/2025-01-01-alpha.md"), "a").unwrap();
        std::fs::write(site.join("_posts/2025-01-02-beta.md"), "b").unwrap();
        std::fs::write(site.join("_drafts/gamma.md"), "c").unwrap();
        std::fs::write(site.join(".hidden"), "h").unwrap();
        dir
    }

    #[test]
    fn typed_text_splits_into_folder_and_partial_name() {
        assert_eq!(
            split_typed("/a/b/"),
            (PathBuf::from("/a/b/"), String::new())
        );
        assert_eq!(
            split_typed("/a/b/ca"),
            (PathBuf::from("/a/b/"), "ca".into())
        );
        assert_eq!(split_typed("ca"), (PathBuf::from("."), "ca".into()));
    }

    #[test]
    fn folders_list_first_without_hidden_entries() {
        let dir = tree();
        let names: Vec<String> = list_folder(&dir.path().join("site"), false)
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(
            names,
            ["_drafts", "_posts", "assets", "_config.yml"].map(String::from)
        );
    }

    #[test]
    fn tab_completes_a_unique_folder_with_a_separator() {
        let dir = tree();
        let typed = format!("{}/site/_p", dir.path().display());
        assert_eq!(
            complete(&typed),
            Some(format!("{}/site/_posts/", dir.path().display()))
        );
    }

    #[test]
    fn tab_completes_to_the_shared_prefix_then_stops() {
        let dir = tree();
        let typed = format!("{}/site/_posts/2", dir.path().display());
        let shared = format!("{}/site/_posts/2025-01-0", dir.path().display());
        assert_eq!(complete(&typed), Some(shared.clone()));
        assert_eq!(complete(&shared), None, "nothing more is shared");
        assert_eq!(
            complete(&format!("{shared}2")),
            Some(format!(
                "{}/site/_posts/2025-01-02-beta.md",
                dir.path().display()
            ))
        );
        assert_eq!(complete(&format!("{shared}9")), None, "no match");
    }

    #[test]
    fn tab_completion_falls_back_to_ignoring_case() {
        let dir = tree();
        let typed = format!("{}/site/_POS", dir.path().display());
        assert_eq!(
            complete(&typed),
            Some(format!("{}/site/_posts/", dir.path().display()))
        );
    }

    #[test]
    fn choices_are_checked_for_their_kind() {
        let dir = tree();
        let site = dir.path().join("site");
        let post = site.join("_posts/2025-01-01-alpha.md");
        assert_eq!(check_choice(PathKind::ExistingFile, &post, None), Ok(()));
        assert_eq!(
            check_choice(PathKind::ExistingFile, &site, None),
            Err(PathProblem::IsAFolder(site.clone()))
        );
        assert_eq!(
            check_choice(PathKind::ExistingFile, &site.join("nope.md"), None),
            Err(PathProblem::Missing(site.join("nope.md")))
        );
        assert_eq!(check_choice(PathKind::Folder, &site, None), Ok(()));
        assert_eq!(
            check_choice(PathKind::Folder, &post, None),
            Err(PathProblem::NotAFolder(post.clone()))
        );
        assert_eq!(
            check_choice(PathKind::NewFile, &post, None),
            Err(PathProblem::AlreadyExists(post.clone()))
        );
        assert_eq!(check_choice(PathKind::NewFile, &post, Some(&post)), Ok(()));
        assert_eq!(
            check_choice(PathKind::NewFile, &site.join("_posts/new.md"), None),
            Ok(())
        );
        assert_eq!(
            check_choice(PathKind::NewFile, &site.join("nowhere/new.md"), None),
            Err(PathProblem::NoSuchFolder(site.join("nowhere")))
        );
        assert_eq!(
            check_choice(PathKind::NewFile, Path::new(""), None),
            Err(PathProblem::Empty)
        );
    }

    #[test]
    fn a_new_post_is_proposed_in_the_site_of_the_last_post() {
        let dir = tree();
        let site = dir.path().join("site");
        let post = site.join("_posts/2025-01-01-alpha.md");
        let draft = site.join("_drafts/gamma.md");
        assert_eq!(post_folder(Some(&post), &[]), site.join("_posts"));
        assert_eq!(
            post_folder(None, std::slice::from_ref(&post)),
            site.join("_posts")
        );
        assert_eq!(
            post_folder(None, std::slice::from_ref(&draft)),
            site.join("_posts"),
            "a new post is dated: it goes to _posts/ even after a draft"
        );
        assert_eq!(post_folder(Some(&draft), &[]), site.join("_drafts"));
        let no_posts = dir.path().join("drafts-only");
        std::fs::create_dir_all(no_posts.join("_drafts")).unwrap();
        std::fs::write(no_posts.join("_drafts/d.md"), "d").unwrap();
        assert_eq!(
            post_folder(None, &[no_posts.join("_drafts/d.md")]),
            no_posts.join("_drafts")
        );
        let gone = dir.path().join("gone/x.md");
        assert_eq!(post_folder(None, &[gone, post]), site.join("_posts"));
        assert_eq!(
            image_folder(&site.join("_posts")),
            site.join("assets/images")
        );
    }

    #[test]
    fn the_stem_of_a_proposed_name_is_found_in_chars() {
        assert_eq!(file_stem_chars("/a/b/name.md"), Some(5..9));
        assert_eq!(file_stem_chars("/ä/é-x.md"), Some(3..6));
        assert_eq!(file_stem_chars("/a/.hidden"), Some(3..10));
        assert_eq!(file_stem_chars("/a/b/"), None);
    }

    #[test]
    fn folder_text_ends_with_a_separator() {
        assert_eq!(folder_text(Path::new("/a/b")), "/a/b/");
        assert_eq!(folder_text(Path::new("/a/b/")), "/a/b/");
    }
}
