//! Byline: a native editor for Jekyll posts that never changes a byte the user did not edit.
//!
//! The model (`post`, `fsio`) is plain Rust with no UI; `cli` and `app` are two faces on it.

pub mod app;
pub mod cli;
pub mod diagnostic;
pub mod document;
pub mod error;
pub mod export;
pub mod fsio;
pub mod headings;
pub mod image_import;
pub mod journal;
pub mod markdown;
pub mod markdown_preview;
pub mod new_post;
pub mod path_input;
pub mod post;
pub mod preview_server;
pub mod rename;
pub mod sample;
pub mod session;
pub mod site;
pub mod spell;
pub mod theme;
pub mod walk;

pub use error::{Error, Result};
