//! The report as one HTML page: per row, horizontal SVG bars of playground and peers.

use super::{Line, goal_text, human};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn bars(line: &Line) -> String {
    let mut entries: Vec<(String, f64, bool)> = Vec::new();
    if let Some(ours) = line.ours {
        entries.push((line.row.playground.to_owned(), ours, true));
    }
    entries.extend(line.peers.iter().map(|(n, m)| ((*n).to_owned(), *m, false)));
    let max = entries
        .iter()
        .map(|e| e.1)
        .fold(f64::MIN_POSITIVE, f64::max);
    let (width, row_h) = (520.0, 22.0);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}">"#,
        width + 320.0,
        row_h * entries.len() as f64 + 4.0
    );
    for (i, (name, value, ours)) in entries.iter().enumerate() {
        let y = i as f64 * row_h + 2.0;
        let w = (value / max * width).max(1.0);
        let color = if *ours { "#2b7bb9" } else { "#a0a0a0" };
        svg += &format!(
            r#"<text x="0" y="{ty}" font-size="12" font-family="monospace">{name}</text><rect x="170" y="{y}" width="{w:.1}" height="{h}" fill="{color}"/><text x="{tx:.1}" y="{ty}" font-size="12" font-family="monospace">{v}</text>"#,
            ty = y + 14.0,
            name = escape(name),
            h = row_h - 6.0,
            tx = 175.0 + w,
            v = human(*value)
        );
    }
    svg + "</svg>"
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => r#"<b style="color:#1a7f37">met</b>"#,
        Some(false) => r#"<b style="color:#cf222e">not met</b>"#,
        None => "reported",
    }
}

/// The summary table the page opens with: one line per path.
fn summary(lines: &[Line]) -> String {
    let mut rows = String::new();
    for l in lines {
        rows += &format!(
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(l.row.group),
            escape(l.row.playground),
            l.ours.map_or("no data".into(), human),
            l.best
                .map_or("-".into(), |(n, m)| format!("{} {}", escape(n), human(m))),
            l.ratio().map_or("-".into(), |r| format!("{r:.2}x")),
            l.round_range_text(),
            escape(&goal_text(l.row.goal)),
            verdict(l.met)
        );
    }
    format!(
        "<table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse;font-size:13px\">\
         <tr><th>group</th><th>path</th><th>playground</th><th>best peer / baseline</th><th>ratio</th><th>rounds</th><th>goal</th><th>met</th></tr>\n{rows}</table>"
    )
}

/// The whole page.
pub fn page(lines: &[Line], machine: &str, rounds: usize) -> String {
    let mut body = summary(lines);
    for l in lines {
        body += &format!(
            "<h3>{} <code>{}</code></h3><p>goal {} — {} {}</p>{}\n",
            escape(l.row.group),
            escape(l.row.playground),
            escape(&goal_text(l.row.goal)),
            verdict(l.met),
            l.ratio().map_or(String::new(), |r| match l.round_range() {
                Some(_) => format!(
                    "(ratio to best peer {r:.2}x; rounds {})",
                    l.round_range_text()
                ),
                None => format!("(ratio to best peer {r:.2}x)"),
            }),
            bars(l)
        );
    }
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Playground kernel benchmark report</title></head>\
         <body style=\"font-family:sans-serif;max-width:900px;margin:auto\"><h1>Playground kernel benchmark report</h1>\
         <p>Medians per operation from criterion (short passes), on {}: each function's median over {rounds} round(s) of every suite, \
         the ratio's range over the rounds beside it. Blue: playground; grey: peers and baselines in the same group.</p>{body}</body></html>",
        escape(machine)
    )
}
