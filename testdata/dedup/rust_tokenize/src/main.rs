use std::io::{Read, Write};
use unicode_segmentation::UnicodeSegmentation;
fn not_whitespace(w: &str) -> bool { w.chars().any(|c| !c.is_whitespace()) }
fn main() {
    let mut buf = Vec::new();
    std::io::stdin().read_to_end(&mut buf).unwrap();
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    for part in buf.split(|&b| b == 0) {
        let s = String::from_utf8_lossy(part);
        let mut first = true;
        for w in s.split_word_bounds().filter(|w| not_whitespace(w)) {
            if !first { out.write_all(&[0x1f]).unwrap(); }
            first = false;
            out.write_all(w.as_bytes()).unwrap();
        }
        out.write_all(&[0x1e]).unwrap();
    }
}
