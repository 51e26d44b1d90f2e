//! Byline's integration tests, one binary (one link step instead of one per file): the command
//! line, the corpus round trips, export, property and fuzz runs, and the window through egui_kittest.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // test code: a panic is a failed test

mod cli;
#[allow(dead_code)]
mod common;
mod corpus;
mod export;
mod fuzz_export;
mod hostile;
mod jekyll;
mod preview_server;
mod properties;
mod site_cli;
mod theme_compare;
mod theme_kramdown;
mod theme_liquid;
mod theme_render;
mod theme_seo;
mod theme_support;
mod ui;
mod ui_comfort;
mod ui_first_run;
mod ui_publishing;
mod ui_random;
mod ui_site;
mod ui_support;
mod ui_theme_preview;
mod walk_props;
