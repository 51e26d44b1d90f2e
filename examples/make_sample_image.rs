//! Draws the header image of the embedded sample post (a dawn landscape with a writing desk's
//! sheet of paper, made only of gradients and shapes) and Byline's icon, so neither is copied from
//! anywhere. The header is stored as the seed post stores its image, `assets/images/<md5>.jpg`;
//! the icon as `assets/byline.png` (the hand-written `assets/byline.svg` is the same drawing).
//!
//! Run with `cargo run --example make_sample_image`; it prints the header's site path, which the
//! sample post `assets/sample/welcome-to-byline.md` must name in its `image` field.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // a build script: a panic is a failed run

use image::{ImageBuffer, Rgb, Rgba};
use md5::{Digest as _, Md5};

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 600;

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    let t = t.clamp(0.0, 1.0);
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

/// A smooth ridge line: the height of hill number `layer` at column `x`, in pixels from the top.
fn ridge(x: f32, layer: f32) -> f32 {
    let base = HEIGHT as f32 * (0.52 + 0.11 * layer);
    base - 38.0 * (x / 170.0 + layer * 1.7).sin() - 21.0 * (x / 67.0 + layer * 3.1).sin()
}

fn header() -> ImageBuffer<Rgb<u8>, Vec<u8>> {
    let sky_top = [38.0, 52.0, 110.0];
    let sky_mid = [233.0, 140.0, 120.0];
    let sky_low = [252.0, 214.0, 150.0];
    let sun = (WIDTH as f32 * 0.68, HEIGHT as f32 * 0.50, 70.0);
    let hills = [[92.0, 84.0, 128.0], [64.0, 70.0, 110.0], [36.0, 48.0, 78.0]];
    // The sheet of paper: a slightly turned rectangle in the lower left.
    let (paper_x, paper_y, paper_w, paper_h, tilt) = (170.0, 330.0, 260.0, 330.0, -0.12_f32);
    ImageBuffer::from_fn(WIDTH, HEIGHT, |px, py| {
        let (x, y) = (px as f32, py as f32);
        let t = y / HEIGHT as f32;
        let mut c = if t < 0.55 {
            mix(sky_top, sky_mid, t / 0.55)
        } else {
            mix(sky_mid, sky_low, (t - 0.55) / 0.45)
        };
        let d = ((x - sun.0).powi(2) + (y - sun.1).powi(2)).sqrt();
        if d < sun.2 {
            c = mix([255.0, 244.0, 214.0], c, (d / sun.2).powi(6));
        } else {
            c = mix(
                c,
                [255.0, 226.0, 170.0],
                0.35 * (-(d - sun.2) / 120.0).exp(),
            );
        }
        for (layer, colour) in hills.iter().enumerate() {
            if y > ridge(x, layer as f32) {
                let haze = 0.25 * (1.0 - layer as f32 / 2.0);
                c = mix(*colour, sky_mid, haze);
            }
        }
        // Turn the point into the paper's own frame.
        let (dx, dy) = (x - paper_x, y - paper_y);
        let (u, v) = (
            dx * tilt.cos() + dy * tilt.sin(),
            -dx * tilt.sin() + dy * tilt.cos(),
        );
        if (0.0..paper_w).contains(&u) && (0.0..paper_h).contains(&v) {
            c = mix([250.0, 246.0, 236.0], [226.0, 218.0, 204.0], v / paper_h);
            // Lines of "writing": short dark strokes on ruled rows.
            let row = (v - 40.0) / 26.0;
            let in_row = row.fract() < 0.22 && (0.0..10.0).contains(&row);
            let row_len = paper_w - 40.0 - 60.0 * ((row.floor() * 2.3).sin().abs());
            if in_row && u > 26.0 && u < row_len {
                c = mix(c, [70.0, 72.0, 96.0], 0.8);
            }
        } else if (-8.0..paper_w + 8.0).contains(&u) && (-8.0..paper_h + 8.0).contains(&v) {
            c = mix(c, [0.0, 0.0, 0.0], 0.25);
        }
        Rgb([c[0] as u8, c[1] as u8, c[2] as u8])
    })
}

/// The icon: a rounded ink-blue square with a cream sheet and a nib-shaped "B" stroke, the same
/// shapes as `assets/byline.svg`.
fn icon(size: u32) -> ImageBuffer<Rgba<u8>, Vec<u8>> {
    let s = size as f32 / 256.0;
    ImageBuffer::from_fn(size, size, |px, py| {
        let (x, y) = ((px as f32 + 0.5) / s, (py as f32 + 0.5) / s);
        // Rounded square 16..240 with radius 48.
        let (cx, cy) = (x.clamp(64.0, 192.0), y.clamp(64.0, 192.0));
        let outside = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt() - 48.0;
        if outside > 0.5 || !(16.0..240.0).contains(&x) || !(16.0..240.0).contains(&y) {
            return Rgba([0, 0, 0, 0]);
        }
        let mut c = mix([44.0, 62.0, 140.0], [24.0, 34.0, 84.0], y / 256.0);
        // The sheet: 72..184 wide, 52..204 high.
        if (72.0..184.0).contains(&x) && (52.0..204.0).contains(&y) {
            c = [250.0, 244.0, 228.0];
            for row in 0..5 {
                let top = 96.0 + row as f32 * 22.0;
                let end = if row == 4 { 138.0 } else { 164.0 };
                if (top..top + 8.0).contains(&y) && (92.0..end).contains(&x) {
                    c = [120.0, 128.0, 160.0];
                }
            }
            if (66.0..80.0).contains(&y) && (92.0..150.0).contains(&x) {
                c = [226.0, 110.0, 84.0];
            }
        }
        Rgba([c[0] as u8, c[1] as u8, c[2] as u8, 255])
    })
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut jpeg = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 82);
    header().write_with_encoder(encoder).unwrap();
    let name = format!("{:x}.jpg", Md5::digest(&jpeg));
    let images = root.join("assets/images");
    std::fs::create_dir_all(&images).unwrap();
    std::fs::write(images.join(&name), &jpeg).unwrap();
    println!("header: /assets/images/{name} ({} bytes)", jpeg.len());
    for size in [256, 64] {
        let path = root.join(format!("assets/byline-{size}.png"));
        icon(size).save(&path).unwrap();
        println!("icon: {}", path.display());
    }
}
