//! Publishing a draft: it moves from `_drafts/` into the `_posts/` beside it under the name
//! Jekyll needs (`YYYY-MM-DD-name.ext`, the day in the site's zone), with its date written so
//! YAML reads it as meant; nothing is ever overwritten.

use std::path::{Path, PathBuf};

use super::index::find_root;

/// Moves a draft into the `_posts/` beside its `_drafts/` as `YYYY-MM-DD-name.ext` (the day
/// Jekyll will publish it in the site's zone), writing the date into its front matter; never
/// overwrites. Returns the new path.
pub fn publish_draft(draft: &Path, date: Option<&str>) -> Result<PathBuf, String> {
    use crate::post::PostDate;
    let drafts_dir = draft
        .parent()
        .filter(|p| p.file_name().is_some_and(|n| n == "_drafts"))
        .ok_or_else(|| format!("{}: not in a _drafts folder", draft.display()))?;
    let root =
        find_root(draft).unwrap_or_else(|| drafts_dir.parent().unwrap_or(drafts_dir).to_path_buf());
    let config = super::SiteConfig::load(&root);
    let zone = super::dates::site_zone(config.timezone.as_deref())?;
    let mut post =
        crate::fsio::read_post(draft).map_err(|e| format!("{}: {e}", draft.display()))?;
    post.block()
        .map_err(|e| format!("{}: {e} (draft left where it is)", draft.display()))?;
    let mut when = match date {
        Some(text) => PostDate::parse(text).map_err(|e| e.to_string())?,
        None => match post.date() {
            Some(parsed) => parsed.map_err(|e| format!("{}: {e}", draft.display()))?,
            None => PostDate::now_local(),
        },
    };
    let civil = jiff::civil::DateTime::new(
        i16::try_from(chrono::Datelike::year(&when.local)).map_err(|e| e.to_string())?,
        chrono::Datelike::month(&when.local) as i8,
        chrono::Datelike::day(&when.local) as i8,
        chrono::Timelike::hour(&when.local) as i8,
        chrono::Timelike::minute(&when.local) as i8,
        chrono::Timelike::second(&when.local) as i8,
        0,
    )
    .map_err(|e| e.to_string())?;
    let day = match when.offset {
        Some(offset) => {
            // The day in the site's zone, which is the day Jekyll publishes.
            let seconds = offset.local_minus_utc();
            let instant = jiff::tz::Offset::from_seconds(seconds)
                .and_then(|o| o.to_timestamp(civil))
                .map_err(|e| e.to_string())?;
            instant.to_zoned(zone.clone()).date()
        }
        None => {
            // Without an offset YAML would read the time as UTC: write the site's offset.
            let zoned = super::dates::local_to_zoned(civil, &zone)
                .ok_or_else(|| "that time does not exist in the site's zone".to_string())?;
            when.offset = chrono::FixedOffset::east_opt(zoned.offset().seconds());
            when = when.with_value(when.local, when.offset);
            zoned.date()
        }
    };
    post.set_date(&when).map_err(|e| e.to_string())?;
    let name = draft
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let target_dir = drafts_dir.parent().unwrap_or(drafts_dir).join("_posts");
    std::fs::create_dir_all(&target_dir).map_err(|e| format!("{}: {e}", target_dir.display()))?;
    let target = target_dir.join(format!("{}-{name}", day.strftime("%Y-%m-%d")));
    crate::fsio::write_new(&target, post.to_text().as_bytes())
        .map_err(|e| format!("{}: {e}", target.display()))?;
    std::fs::remove_file(draft).map_err(|e| {
        format!(
            "published to {} but could not remove the draft: {e}",
            target.display()
        )
    })?;
    Ok(target)
}
