// An independent transcription of DCLM's BFF decisions (dedup/bff/src/main.rs:
// process_line_oldboth and process_line for paragraph/document) with an exact
// set of token windows in place of the bloom filter.
// Usage: rust_oldboth MODE NGRAM MIN_NGRAM THRESHOLD < texts separated by NUL
// Prints one line per text: contained total empty removed-windows (start-end ...).
use std::collections::{HashSet, VecDeque};
use std::io::{Read, Write};
use unicode_segmentation::UnicodeSegmentation;

fn not_whitespace(w: &str) -> bool { w.chars().any(|c| !c.is_whitespace()) }

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args[1].clone();
    let max_n: usize = args[2].parse().unwrap();
    let min_n: usize = args[3].parse().unwrap();
    let thr: f64 = args[4].parse().unwrap();
    let mut buf = Vec::new();
    std::io::stdin().read_to_end(&mut buf).unwrap();
    let mut seen: HashSet<Vec<String>> = HashSet::new();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for part in buf.split(|&b| b == 0) {
        let text = std::str::from_utf8(part).unwrap();
        let bounds: Vec<usize> = if mode == "document" {
            vec![0, text.len()]
        } else {
            let mut v = vec![0];
            v.extend(text.match_indices('\n').map(|(i, _)| i));
            v.push(text.len());
            v
        };
        let (mut total, mut contained) = (0usize, 0usize);
        let mut removed: Vec<(usize, usize)> = Vec::new();
        for w in bounds.windows(2) {
            let para = &text[w[0]..w[1]];
            let mut grams: Vec<Vec<String>> = Vec::new();
            let mut win: VecDeque<&str> = VecDeque::new();
            for tok in para.split_word_bounds().filter(|t| not_whitespace(t)) {
                win.push_back(tok);
                if win.len() >= max_n {
                    grams.push(win.iter().map(|s| s.to_string()).collect());
                    win.pop_front();
                }
            }
            if grams.is_empty() && win.len() >= min_n {
                grams.push(win.iter().map(|s| s.to_string()).collect());
            }
            let c = grams.iter().filter(|g| seen.contains(*g)).count();
            total += grams.len();
            contained += c;
            if c as f64 / grams.len() as f64 > thr {
                removed.push((w[0], w[1]));
            } else {
                for g in grams { seen.insert(g); }
            }
        }
        let empty = match mode.as_str() {
            "old-both" => contained as f64 / total as f64 > thr,
            "document" => !removed.is_empty(),
            _ => false,
        };
        write!(out, "{} {} {}", contained, total, empty as u8).unwrap();
        for (s, e) in removed { write!(out, " {}-{}", s, e).unwrap(); }
        writeln!(out).unwrap();
    }
}
