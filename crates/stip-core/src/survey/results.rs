//! A survey's results: every question's answers counted over the responses, themes ranked.

use super::{Answer, Answers, Question, QuestionKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// One response as the results count it.
pub struct Counted<'a> {
    /// Who gave it (an institution's name), unless the survey is anonymous.
    pub who: Option<&'a str>,
    pub answers: &'a Answers,
}

/// A theme's place in a ranking across respondents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeRank {
    pub code: String,
    /// Points: a theme in place p (1 = first) of a list scores (number of themes + 1 − p).
    pub points: u32,
    /// How many respondents chose it at all.
    pub chosen: u32,
    /// How many put it first.
    pub first: u32,
}

/// What one question's answers add up to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    pub question_id: i64,
    /// Responses that answer it.
    pub answered: u32,
    /// Per option (choices), per point 1–5 (scale), per theme or project: how many chose it.
    pub counts: Vec<(String, u32)>,
    /// Scale: the mean of the points given.
    pub mean: Option<f64>,
    /// Themes: ranked, best first.
    pub ranking: Vec<ThemeRank>,
    /// Open questions: every answer, with who gave it unless anonymous.
    pub texts: Vec<(Option<String>, String)>,
}

/// Counts every question's answers over `responses`. `theme_count` is the number of themes on
/// the agenda, for the points of a ranking.
pub fn results(
    questions: &[Question],
    responses: &[Counted<'_>],
    theme_count: usize,
) -> Vec<QuestionResult> {
    questions
        .iter()
        .map(|q| {
            let mut r = QuestionResult {
                question_id: q.id,
                answered: 0,
                counts: Vec::new(),
                mean: None,
                ranking: Vec::new(),
                texts: Vec::new(),
            };
            let mut tally: BTreeMap<String, u32> = BTreeMap::new();
            let mut ranks: BTreeMap<String, ThemeRank> = BTreeMap::new();
            let mut sum = 0u32;
            for resp in responses {
                let Some(a) = resp.answers.get(&q.id) else {
                    continue;
                };
                r.answered += 1;
                match a {
                    Answer::Text(t) => r.texts.push((resp.who.map(str::to_string), t.clone())),
                    Answer::Choice(c) => *tally.entry(c.clone()).or_default() += 1,
                    Answer::Choices(cs) => {
                        for c in cs {
                            *tally.entry(c.clone()).or_default() += 1;
                        }
                    }
                    Answer::Scale(n) => {
                        sum += u32::from(*n);
                        *tally.entry(n.to_string()).or_default() += 1;
                    }
                    Answer::Themes(codes) => {
                        let places = theme_count.max(codes.len()) as u32 + 1;
                        for (i, code) in codes.iter().enumerate() {
                            let rank = ranks.entry(code.clone()).or_insert_with(|| ThemeRank {
                                code: code.clone(),
                                points: 0,
                                chosen: 0,
                                first: 0,
                            });
                            rank.points += places - (i as u32 + 1);
                            rank.chosen += 1;
                            rank.first += u32::from(i == 0);
                        }
                    }
                    Answer::Projects(ids) => {
                        for id in ids {
                            *tally.entry(id.to_string()).or_default() += 1;
                        }
                    }
                }
            }
            r.counts = match q.data.kind {
                QuestionKind::Single | QuestionKind::Multiple => q
                    .data
                    .options
                    .iter()
                    .map(|o| (o.clone(), tally.get(o).copied().unwrap_or(0)))
                    .collect(),
                QuestionKind::Scale => (1..=5)
                    .map(|n| {
                        (
                            n.to_string(),
                            tally.get(&n.to_string()).copied().unwrap_or(0),
                        )
                    })
                    .collect(),
                QuestionKind::Projects => {
                    let mut c: Vec<(String, u32)> = tally.into_iter().collect();
                    c.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    c
                }
                QuestionKind::Themes => Vec::new(),
                QuestionKind::Open => Vec::new(),
            };
            if q.data.kind == QuestionKind::Scale && r.answered > 0 {
                r.mean = Some(f64::from(sum) / f64::from(r.answered));
            }
            if q.data.kind == QuestionKind::Themes {
                let mut ranking: Vec<ThemeRank> = ranks.into_values().collect();
                ranking.sort_by(|a, b| {
                    b.points
                        .cmp(&a.points)
                        .then(b.first.cmp(&a.first))
                        .then_with(|| a.code.cmp(&b.code))
                });
                r.counts = ranking.iter().map(|t| (t.code.clone(), t.chosen)).collect();
                r.ranking = ranking;
            }
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::template;
    use crate::survey::tests::{ctx_check, survey};
    use serde_json::json;

    #[test]
    fn results_count_choices_scale_and_rank_themes() {
        let s = survey(template("netwerkenquete-2020").unwrap().questions);
        let a = ctx_check(
            &s,
            json!({"10": ["innovatie", "llo"], "14": "Ja", "16": 4, "11": "Veel"}),
            false,
        )
        .unwrap();
        let b = ctx_check(&s, json!({"10": ["llo"], "14": "Ja", "16": 2}), false).unwrap();
        let r = results(
            &s.questions,
            &[
                Counted {
                    who: Some("A"),
                    answers: &a,
                },
                Counted {
                    who: None,
                    answers: &b,
                },
            ],
            2,
        );
        let themes = &r[0];
        // innovatie: 2 points (first of 2); llo: 1 + 2.
        assert_eq!(themes.ranking[0].code, "llo");
        assert_eq!(themes.ranking[0].points, 3);
        assert_eq!(themes.ranking[1].points, 2);
        assert_eq!(
            r[1].texts,
            vec![(Some("A".to_string()), "Veel".to_string())]
        );
        assert_eq!(r[4].counts[0], ("Ja".to_string(), 2));
        assert_eq!(r[6].mean, Some(3.0));
        assert_eq!(r[6].counts[3], ("4".to_string(), 1));
    }
}
