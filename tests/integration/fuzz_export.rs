//! A bounded fuzz run of the export path: random titles, slugs, dates and image references
//! (with `..`, absolute paths, URLs and odd characters) never panic, never write outside the
//! target site, and never touch the source.

use crate::common::files_under as all_files;

use proptest::prelude::*;

fn reference() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("assets/pic.png".to_string()),
        Just("/assets/pic.png".to_string()),
        Just("../outside.png".to_string()),
        Just("../../../../etc/passwd.png".to_string()),
        Just("https://example.com/x.jpg".to_string()),
        Just("/tmp/absolute.png".to_string()),
        "[a-z./]{1,20}\\.(png|jpg)",
        "\\PC{1,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn export_stays_inside_the_site(title in "\\PC{0,40}", slug in proptest::option::of("\\PC{0,30}"), date in prop_oneof![Just("2025-11-30".to_string()), Just("2025-02-30".to_string()), "[0-9: +-]{0,25}"], image in reference(), body_image in reference(), draft in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let source_root = dir.path().join("src");
        std::fs::create_dir_all(source_root.join("assets")).unwrap();
        image::RgbImage::from_pixel(2, 2, image::Rgb([1, 2, 3])).save(source_root.join("assets/pic.png")).unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("_posts")).unwrap();
        let mut text = format!("---\ntitle: {}\ndate: {}\nimage: {}\n", serde_json::to_string(&title).unwrap(), date, serde_json::to_string(&image).unwrap());
        if let Some(slug) = &slug {
            text.push_str(&format!("slug: {}\n", serde_json::to_string(slug).unwrap()));
        }
        text.push_str(&format!("---\n![x]({body_image})\n"));
        let source = source_root.join("post.md");
        std::fs::write(&source, &text).unwrap();
        let outside_before = all_files(dir.path()).into_iter().filter(|p| !p.starts_with(&site)).collect::<Vec<_>>();
        let _ = byline::export::export_to_site(&source, &site, draft, false);
        let _ = byline::export::export_html(&source, &site.join("html"));
        let outside_after = all_files(dir.path()).into_iter().filter(|p| !p.starts_with(&site)).collect::<Vec<_>>();
        prop_assert_eq!(outside_before, outside_after, "nothing written outside the site");
        prop_assert_eq!(std::fs::read_to_string(&source).unwrap(), text, "the source is untouched");
        for file in all_files(&site) {
            let relative = file.strip_prefix(&site).unwrap().to_string_lossy().into_owned();
            prop_assert!(relative.starts_with("_posts/") || relative.starts_with("_drafts/") || relative.starts_with("assets/images/") || relative.starts_with("html/"), "{}", relative);
        }
    }
}
