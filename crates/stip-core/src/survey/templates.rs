//! The surveys Stip ships to start a new one from: the seed's network survey.

use super::{QuestionData, QuestionKind};

/// A survey Stip ships, to start a new one from.
pub struct Template {
    pub code: &'static str,
    pub title: &'static str,
    pub introduction: &'static str,
    pub questions: Vec<QuestionData>,
}

/// The templates Stip ships: the seed's network survey.
pub fn templates() -> Vec<Template> {
    vec![netwerkenquete_2020()]
}

impl Template {
    /// The template's questions; for an anonymous survey without the one that picks projects
    /// (see [`check_anonymous`](super::check_anonymous)).
    pub fn questions_for(&self, anonymous: bool) -> Vec<QuestionData> {
        self.questions
            .iter()
            .filter(|q| !anonymous || q.kind != QuestionKind::Projects)
            .cloned()
            .collect()
    }
}

pub fn template(code: &str) -> Option<Template> {
    templates().into_iter().find(|t| t.code == code)
}

fn q(
    section: &str,
    kind: QuestionKind,
    text: &str,
    help: &str,
    options: &[&str],
    required: bool,
) -> QuestionData {
    QuestionData {
        section: section.into(),
        kind,
        text: text.into(),
        help: help.into(),
        options: options.iter().map(|o| o.to_string()).collect(),
        required,
    }
}

/// The survey the regiegroep sent before the network meeting of March 2020 (the seed).
fn netwerkenquete_2020() -> Template {
    use QuestionKind::*;
    let speelt = "Wat speelt er in jouw instelling";
    let voorbeeld = "Een mooi voorbeeld";
    let rol = "De rol van informatiemanagement";
    Template {
        code: "netwerkenquete-2020",
        title: "Netwerkenquête strategische agenda digitalisering",
        introduction: "Om zoveel mogelijk kennis uit de instellingen op te halen, vragen we je naar wat er \
            bij jullie speelt rond de thema's van de strategische agenda digitalisering mbo, naar een mooi \
            voorbeeld dat we met elkaar kunnen delen, en naar de rol van informatiemanagement. De \
            resultaten komen als bijlage bij het verslag van de netwerkbijeenkomst.",
        questions: vec![
            q(
                speelt,
                Themes,
                "Welke thema's van de strategische agenda spelen nu het meest in jouw instelling?",
                "",
                &[],
                true,
            ),
            q(
                speelt,
                Open,
                "Wat speelt er binnen jouw instelling met betrekking tot de thema's van de strategische agenda digitalisering?",
                "",
                &[],
                true,
            ),
            q(
                voorbeeld,
                Open,
                "Kun je een mooi voorbeeld noemen vanuit jouw instelling, een voorbeeld dat we ook met elkaar kunnen delen op de netwerkbijeenkomsten?",
                "Wat is het, en wat maakt het de moeite waard om te delen?",
                &[],
                false,
            ),
            q(
                voorbeeld,
                Projects,
                "Staat dat voorbeeld in jullie portfolio? Kies het project of de projecten.",
                "",
                &[],
                false,
            ),
            q(
                voorbeeld,
                Single,
                "Wil je dit voorbeeld zelf presenteren als casus op een netwerkbijeenkomst?",
                "",
                &["Ja", "Misschien", "Nee"],
                false,
            ),
            q(
                rol,
                Open,
                "Welke rol speelt informatiemanagement in het proces rond de strategische agenda, de verbinding van de thema's en de implementatie van onderdelen daarvan in jouw instelling?",
                "",
                &[],
                true,
            ),
            q(
                rol,
                Scale,
                "Hoeveel invloed heeft informatiemanagement op de keuzes rond de strategische agenda in jouw instelling?",
                "",
                &["Geen invloed", "Beslissende invloed"],
                false,
            ),
            q(
                rol,
                Multiple,
                "Waar is informatiemanagement in jouw instelling bij betrokken?",
                "Kies alles wat klopt.",
                &[
                    "Beleid en strategie",
                    "Architectuur",
                    "Projectportfolio",
                    "Informatiebeveiliging en privacy",
                    "Data en informatievoorziening",
                ],
                false,
            ),
        ],
    }
}
