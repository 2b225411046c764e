//! The benchmark report: the medians of every group, each playground path next to its best
//! peer or baseline, with its goal; as a text table and as an HTML page of SVG bars.

pub mod estimates;
pub mod goals;
pub mod html;
pub mod rounds;

use estimates::Medians;
use goals::{Goal, Row};

/// One evaluated row.
#[derive(Debug, Clone)]
pub struct Line {
    /// The row.
    pub row: Row,
    /// Playground median, ns per operation.
    pub ours: Option<f64>,
    /// Best (fastest) peer and its median.
    pub best: Option<(&'static str, f64)>,
    /// Every peer's median.
    pub peers: Vec<(&'static str, f64)>,
    /// `Some(true)` met, `Some(false)` missed, `None` no goal or no data.
    pub met: Option<bool>,
    /// The ratio each round measured, in round order (empty for a single round): the spread
    /// behind the combined ratio.
    pub round_ratios: Vec<f64>,
}

impl Line {
    /// Playground / best peer.
    pub fn ratio(&self) -> Option<f64> {
        Some(self.ours? / self.best?.1)
    }

    /// The lowest and highest ratio of the rounds, if there were several.
    pub fn round_range(&self) -> Option<(f64, f64)> {
        let lo = self.round_ratios.iter().copied().min_by(f64::total_cmp)?;
        let hi = self.round_ratios.iter().copied().max_by(f64::total_cmp)?;
        Some((lo, hi))
    }

    /// [`Self::round_range`] in words (`0.77-1.61x`), or `-`.
    pub fn round_range_text(&self) -> String {
        self.round_range()
            .map_or("-".into(), |(lo, hi)| format!("{lo:.2}-{hi:.2}x"))
    }
}

/// Evaluates every row against each function's median over `rounds` (see [`rounds`]), and
/// records the ratio each round gave on its own. With one round this is [`evaluate`].
pub fn evaluate_rounds(rounds: &[Medians]) -> Vec<Line> {
    let mut lines = evaluate(&rounds::combine(rounds));
    if rounds.len() > 1 {
        let per_round: Vec<Vec<Line>> = rounds.iter().map(evaluate).collect();
        for (i, line) in lines.iter_mut().enumerate() {
            line.round_ratios = per_round.iter().filter_map(|r| r[i].ratio()).collect();
        }
    }
    lines
}

/// Evaluates every row against `medians`.
pub fn evaluate(medians: &Medians) -> Vec<Line> {
    goals::ROWS
        .iter()
        .map(|row| {
            let get = |f: &str| {
                let key = match f.strip_prefix('/') {
                    Some(path) => path.to_owned(),
                    None => format!("{}/{f}", row.group),
                };
                medians.get(&key).copied()
            };
            let ours = row.playground.split('+').map(get).sum::<Option<f64>>();
            let peers: Vec<(&'static str, f64)> = row
                .peers
                .iter()
                .filter_map(|p| get(p).map(|m| (*p, m)))
                .collect();
            let best = peers.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1));
            let ratio = ours.zip(best).map(|(o, b)| o / b.1);
            let met = match row.goal {
                Goal::Report => None,
                Goal::RatioAtMost(r) => ratio.map(|x| x <= r),
                Goal::NsAtMost(n) => ours.map(|o| o <= n),
                Goal::RatioAndNs(r, n) => ratio.zip(ours).map(|(x, o)| x <= r && o <= n),
                Goal::MsAtMost(ms) => ours.map(|o| o <= ms * 1e6),
                Goal::NsOverAtMost(n) => ours.zip(best).map(|(o, b)| o - b.1 <= n),
            };
            Line {
                row: *row,
                ours,
                best,
                peers,
                met,
                round_ratios: Vec::new(),
            }
        })
        .collect()
}

/// A duration in ns, in readable units.
pub fn human(ns: f64) -> String {
    match ns {
        n if n >= 1e6 => format!("{:.2} ms", n / 1e6),
        n if n >= 1e3 => format!("{:.2} µs", n / 1e3),
        n => format!("{n:.2} ns"),
    }
}

/// The goal in words.
pub fn goal_text(goal: Goal) -> String {
    match goal {
        Goal::Report => "report".into(),
        Goal::RatioAtMost(r) => format!("<= {r}x"),
        Goal::NsAtMost(n) => format!("<= {n} ns"),
        Goal::RatioAndNs(r, n) => format!("<= {r}x, <= {n} ns"),
        Goal::MsAtMost(ms) => format!("<= {ms} ms"),
        Goal::NsOverAtMost(n) => format!("<= +{n} ns"),
    }
}

/// The report as a text table.
pub fn table(lines: &[Line]) -> String {
    let mut out = format!(
        "{:<28} {:<24} {:>11}  {:<26} {:>7}  {:<12} {:<18} {}\n",
        "group", "path", "median", "best peer / baseline", "ratio", "rounds", "goal", "met"
    );
    for l in lines {
        let best = l
            .best
            .map_or("-".into(), |(n, m)| format!("{n} {}", human(m)));
        let met = match l.met {
            Some(true) => "met",
            Some(false) => "NOT MET",
            None => "-",
        };
        out += &format!(
            "{:<28} {:<24} {:>11}  {:<26} {:>7}  {:<12} {:<18} {}\n",
            l.row.group,
            l.row.playground,
            l.ours.map_or("no data".into(), human),
            best,
            l.ratio().map_or("-".into(), |r| format!("{r:.2}x")),
            l.round_range_text(),
            goal_text(l.row.goal),
            met
        );
        if l.peers.len() > 1 {
            let all: Vec<String> = l
                .peers
                .iter()
                .map(|(n, m)| format!("{n} {}", human(*m)))
                .collect();
            out += &format!("{:<28} peers: {}\n", "", all.join(", "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Medians from `(id, ns)` pairs (the rounds' tests use it too).
    pub(super) fn medians(pairs: &[(&str, f64)]) -> Medians {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    #[test]
    fn rows_compare_with_the_fastest_peer_and_judge_the_goal() {
        let m = medians(&[
            ("pools/component_get/playground", 1.9),
            ("pools/component_get/vec_index", 1.0),
            ("ecs/simple_iter/playground", 8.0),
            ("ecs/simple_iter/bevy_ecs", 11.0),
            ("ecs/simple_iter/hecs", 10.0),
            ("ecs/simple_insert/playground", 300.0),
            ("ecs/simple_insert/shipyard", 150.0),
        ]);
        let lines = evaluate(&m);
        let find = |g: &str| lines.iter().find(|l| l.row.group == g).unwrap();
        let get = find("pools/component_get");
        assert_eq!(
            (get.ratio().map(|r| (r * 10.0).round()), get.met),
            (Some(19.0), Some(true))
        );
        let iter = find("ecs/simple_iter");
        assert_eq!(
            iter.best,
            Some(("hecs", 10.0)),
            "fastest peer, not the first"
        );
        assert_eq!(iter.met, Some(true));
        assert_eq!(find("ecs/simple_insert").met, Some(false));
        let missing = find("registry/call");
        assert_eq!(
            (missing.ours, missing.met),
            (None, None),
            "no data is not a verdict"
        );
        let text = table(&lines);
        assert!(text.contains("NOT MET") && text.contains("no data"));
    }

    #[test]
    fn rounds_judge_the_combined_medians_and_keep_each_rounds_ratio() {
        let g = "ecs/add_remove";
        let round = |ours: f64, specs: f64| {
            medians(&[
                ("ecs/add_remove/playground", ours),
                ("ecs/add_remove/specs", specs),
            ])
        };
        // The first round's slow window fell on ours, the third's on the peer.
        let rounds = [round(161.0, 100.0), round(90.0, 100.0), round(92.0, 150.0)];
        let lines = evaluate_rounds(&rounds);
        let line = lines
            .iter()
            .find(|l| l.row.group == g && l.row.playground == "playground")
            .unwrap();
        assert_eq!((line.ours, line.best), (Some(92.0), Some(("specs", 100.0))));
        assert_eq!(line.met, Some(true), "0.92x over the rounds");
        assert_eq!(line.round_ratios, vec![1.61, 0.9, 92.0 / 150.0]);
        assert_eq!(line.round_range_text(), "0.61-1.61x");
        assert!(table(&lines).contains("0.61-1.61x"));
        let single = evaluate_rounds(&rounds[..1]);
        let line = single
            .iter()
            .find(|l| l.row.group == g && l.row.playground == "playground")
            .unwrap();
        assert_eq!((line.met, line.round_range()), (Some(false), None));
    }

    #[test]
    fn a_peer_id_with_a_leading_slash_names_another_group() {
        let m = medians(&[
            ("registry/lookup_contended/registry_get/64", 6.0),
            ("registry/lookup/registry_get/64", 4.0),
        ]);
        let lines = evaluate(&m);
        let contended = lines
            .iter()
            .find(|l| l.row.group == "registry/lookup_contended" && l.row.peers.len() == 1)
            .unwrap();
        assert_eq!(contended.ratio(), Some(1.5));
        assert_eq!(contended.met, Some(false), "1.5x is over the 1.2x goal");
    }

    #[test]
    fn the_page_draws_a_bar_per_measurement_and_escapes_names() {
        let m = medians(&[
            ("ecs/simple_insert/playground", 50.0),
            ("ecs/simple_insert/shipyard", 70.0),
        ]);
        let lines = evaluate(&m);
        let page = html::page(&lines, "a <test> machine", 1);
        assert!(page.contains("a &lt;test&gt; machine"));
        assert_eq!(page.matches("<rect").count(), 2);
        let (table, chart) = (page.find("<table").unwrap(), page.find("<svg").unwrap());
        assert!(table < chart, "the summary table opens the page");
        assert_eq!(
            page.matches("<tr><td>").count(),
            lines.len(),
            "one summary line per path"
        );
        assert_eq!(human(1500.0), "1.50 µs");
    }
}
