//! Demo data: the seven institutions of the seed document plus generated ones, each with
//! realistic projects. Deterministic for a seed, so a demo and a benchmark can be repeated.

use crate::agenda::default_agenda;
use crate::institution::{BrinCode, InstitutionData};
use crate::number::Hundredths;
use crate::portfolio::*;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The institutions of the regiegroep in the seed document (maart 2020).
pub const SEED_INSTITUTIONS: &[(&str, &str, &str, &str, i64)] = &[
    (
        "25LJ",
        "Graafschap College",
        "Graafschap",
        "Gelderland",
        9_000,
    ),
    ("25LK", "DaVinci College", "DaVinci", "Zuid-Holland", 11_000),
    (
        "25LL",
        "Koning Willem I College",
        "KW1C",
        "Noord-Brabant",
        16_000,
    ),
    ("25LM", "Friese Poort", "Friese Poort", "Friesland", 6_500),
    (
        "25LN",
        "Horizon College",
        "Horizon",
        "Noord-Holland",
        11_500,
    ),
    (
        "25LP",
        "Friesland College",
        "Friesland College",
        "Friesland",
        10_000,
    ),
    ("25LR", "mboRijnland", "mboRijnland", "Zuid-Holland", 14_000),
];

/// Places for generated institutions, each with its province: regions are provinces throughout.
const PLACES: &[(&str, &str)] = &[
    ("Amstelland", "Noord-Holland"),
    ("Veluwe", "Gelderland"),
    ("Twente", "Overijssel"),
    ("Achterhoek", "Gelderland"),
    ("Kennemerland", "Noord-Holland"),
    ("Rivierenland", "Gelderland"),
    ("Zaanstreek", "Noord-Holland"),
    ("Drechtsteden", "Zuid-Holland"),
    ("West-Brabant", "Noord-Brabant"),
    ("Noord-Limburg", "Limburg"),
    ("IJsselvallei", "Overijssel"),
    ("Gooi", "Noord-Holland"),
    ("Westland", "Zuid-Holland"),
    ("Waterland", "Noord-Holland"),
    ("Eemland", "Utrecht"),
    ("De Kempen", "Noord-Brabant"),
];
const KINDS: &[&str] = &[
    "ROC",
    "Vakcollege",
    "mbo College",
    "Techniek College",
    "Zorgcollege",
];

/// Per theme: subjects a project on that theme is about.
const SUBJECTS: &[(&str, &[&str])] = &[
    (
        "llo",
        &[
            "flexibel leeraanbod voor werkenden",
            "microcredentials",
            "praktijkverklaringen",
            "modulair onderwijs voor volwassenen",
            "leerrechten voor werkenden",
            "een LLO-loket",
        ],
    ),
    (
        "digitaal-burgerschap",
        &[
            "mediawijsheid",
            "digitale veiligheid voor studenten",
            "privacybewustzijn",
            "een lesmodule nepnieuws",
            "digitale vaardigheden in de basisvorming",
        ],
    ),
    (
        "leermiddelen",
        &[
            "open leermiddelen",
            "een leermiddelenbeleid",
            "digitale lesmaterialen",
            "de bestelketen voor leermiddelen",
            "een leermiddelencatalogus",
        ],
    ),
    (
        "eigen-dossier",
        &[
            "het studentportfolio",
            "een digitaal diploma",
            "edubadges",
            "het loopbaandossier",
            "de koppeling met DUO",
        ],
    ),
    (
        "onderwijslogistiek",
        &[
            "flexibel roosteren",
            "het studentinformatiesysteem",
            "de OER-registratie",
            "digitaal toetsen",
            "inschrijven op keuzedelen",
            "de aanmeldprocedure",
        ],
    ),
    (
        "docentprofessionalisering",
        &[
            "digitale didactiek",
            "een docentacademie",
            "blended leren",
            "ict-bekwaamheid van docenten",
            "het leerplatform voor docenten",
        ],
    ),
    (
        "data-ondersteund-onderwijs",
        &[
            "een dashboard studiesucces",
            "learning analytics",
            "vroegsignalering van uitval",
            "het datawarehouse",
            "een BI-omgeving",
            "data over stages",
        ],
    ),
    (
        "innovatie",
        &[
            "virtual reality in de praktijkles",
            "een innovatielab",
            "AI-toepassingen in het onderwijs",
            "chatbots voor studentvragen",
            "slimme leeromgevingen",
        ],
    ),
];

/// Per theme: the MORA process areas a project on that theme plausibly maps to.
const MORA_AREAS: &[(&str, &[&str])] = &[
    (
        "llo",
        &[
            "verbinding-maatschappij",
            "instroom",
            "onderwijs-ontwikkelen",
        ],
    ),
    (
        "digitaal-burgerschap",
        &["onderwijs-ontwikkelen", "onderwijs-uitvoeren"],
    ),
    (
        "leermiddelen",
        &[
            "onderwijs-ondersteunen",
            "bedrijfsvoering-inkoop-contract",
            "onderwijs-uitvoeren",
        ],
    ),
    (
        "eigen-dossier",
        &["examineren-diplomeren", "student-begeleiden", "uitstroom"],
    ),
    (
        "onderwijslogistiek",
        &["tactisch-inrichten", "onderwijs-ondersteunen", "instroom"],
    ),
    (
        "docentprofessionalisering",
        &["bedrijfsvoering-hrm", "onderwijs-ontwikkelen"],
    ),
    (
        "data-ondersteund-onderwijs",
        &[
            "bedrijfsvoering-informatie-data",
            "student-begeleiden",
            "strategie-beleid-sturing",
        ],
    ),
    (
        "innovatie",
        &["onderzoek-innovatie", "bedrijfsvoering-facility-ict"],
    ),
];

const VERBS: &[&str] = &[
    "Invoeren van",
    "Pilot met",
    "Doorontwikkeling van",
    "Verkenning naar",
    "Implementatie van",
    "Vernieuwing van",
    "Opschalen van",
    "Herinrichting van",
    "Evaluatie van",
    "Aanbesteding voor",
];
const CONTEXTS: &[&str] = &[
    "",
    "",
    "",
    " in de zorgopleidingen",
    " voor techniek",
    " bij Economie & Ondernemen",
    " in de entree-opleidingen",
    " voor BOL en BBL",
    " in samenwerking met het bedrijfsleven",
    " instellingsbreed",
];
const PEOPLE: &[&str] = &[
    "Anouk de Vries",
    "Bram Jansen",
    "Charlotte Bakker",
    "Daan Visser",
    "Eva Smit",
    "Fatima El Amrani",
    "Gert Mulder",
    "Hanneke de Boer",
    "Ilse Dekker",
    "Joost van Dijk",
    "Kees Bos",
    "Lotte Vermeulen",
    "Mohamed Yilmaz",
    "Noor Hendriks",
    "Olaf Peters",
    "Petra van Leeuwen",
    "Ruben Willems",
    "Sanne Kok",
    "Thijs Meijer",
    "Yara de Graaf",
];
const ROLES: &[&str] = &[
    "CvB",
    "directeur onderwijs",
    "directeur bedrijfsvoering",
    "teamleider",
    "manager ICT",
];
const RESULTS: &[&str] = &[
    "Minder handwerk en betere informatie voor studenten en docenten.",
    "Een werkende oplossing die in alle teams gebruikt wordt.",
    "Een onderbouwd advies aan het college van bestuur.",
    "Hogere studenttevredenheid en minder uitval.",
    "Eén bron van waarheid voor de betrokken gegevens.",
];
const NOTES: &[&str] = &[
    "Loopt volgens planning.",
    "Vertraging door leverancier; nieuwe planning volgt.",
    "Budget onder druk, bijsturing nodig.",
    "Afhankelijk van besluit CvB.",
    "Eerste resultaten positief.",
];

pub struct DemoProject {
    /// Index into the generated institutions.
    pub institution: usize,
    pub data: ProjectData,
}

pub struct DemoData {
    pub institutions: Vec<InstitutionData>,
    pub projects: Vec<DemoProject>,
}

/// The institutions for a demo of `count`: the seed's seven first, then generated ones.
pub fn institutions(count: usize) -> Vec<InstitutionData> {
    let mut out: Vec<InstitutionData> = SEED_INSTITUTIONS
        .iter()
        .take(count)
        .map(|(brin, name, short, region, students)| InstitutionData {
            brin: BrinCode::parse(brin).expect("seed BRIN codes are valid"),
            name: name.to_string(),
            short_name: short.to_string(),
            region: region.to_string(),
            students: Some(*students),
            // The demo's SURFconext home organisation: the short name as a `.demo` domain, the
            // same as its accounts' e-mail addresses (`im@horizon.demo`).
            domains: vec![format!(
                "{}.demo",
                short
                    .to_ascii_lowercase()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "")
            )],
        })
        .collect();
    let mut n = 0usize;
    while out.len() < count {
        // BRIN codes 30AA, 30AB, … never collide with the seed's 25Lx.
        let brin = format!(
            "{}{}{}",
            30 + n / 676,
            (b'A' + (n / 26 % 26) as u8) as char,
            (b'A' + (n % 26) as u8) as char
        );
        let (place, province) = PLACES[n % PLACES.len()];
        let kind = KINDS[(n / PLACES.len()) % KINDS.len()];
        let round = n / (PLACES.len() * KINDS.len());
        let name = if round == 0 {
            format!("{kind} {place}")
        } else {
            format!("{kind} {place} {}", round + 1)
        };
        out.push(InstitutionData {
            brin: BrinCode::parse(&brin).expect("generated BRIN codes are valid"),
            short_name: name.clone(),
            name,
            region: province.to_string(),
            students: Some(2_000 + ((n * 7919) % 18_000) as i64),
            domains: vec![],
        });
        n += 1;
    }
    out
}

/// Generates `per_institution` projects for each of `institutions` institutions.
pub fn generate(institution_count: usize, per_institution: usize, seed: u64) -> DemoData {
    let agenda = default_agenda();
    let institutions = institutions(institution_count);
    let mut rng = fastrand::Rng::with_seed(seed);
    // MORA areas draw from a generator of their own, so the rest of a seed's demo stays as it
    // was before projects had them.
    let mut mora_rng = fastrand::Rng::with_seed(seed ^ 0x4d4f_5241);
    let mut projects = Vec::with_capacity(institution_count * per_institution);
    for i in 0..institutions.len() {
        for _ in 0..per_institution {
            let mut data = project(&mut rng, &agenda);
            data.mora_areas = mora_areas(&mut mora_rng, data.primary_theme().unwrap_or_default());
            projects.push(DemoProject {
                institution: i,
                data,
            });
        }
    }
    DemoData {
        institutions,
        projects,
    }
}

/// One or two MORA areas that suit a project's main theme; about one project in seven has none
/// (not every overview maps to the architecture).
fn mora_areas(rng: &mut fastrand::Rng, theme: &str) -> Vec<String> {
    let Some((_, areas)) = MORA_AREAS.iter().find(|(t, _)| *t == theme) else {
        return Vec::new();
    };
    if rng.u8(0..7) == 0 {
        return Vec::new();
    }
    let mut chosen = vec![pick(rng, areas).to_string()];
    if rng.bool() {
        let other = pick(rng, areas).to_string();
        if !chosen.contains(&other) {
            chosen.push(other);
        }
    }
    chosen.sort();
    chosen
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

fn project(rng: &mut fastrand::Rng, agenda: &crate::agenda::DefaultAgenda) -> ProjectData {
    // Data-ondersteund onderwijs and LLO are the network's priorities, so they occur more often.
    let weights = [3usize, 1, 2, 2, 2, 2, 3, 2];
    let total: usize = weights.iter().sum();
    let mut roll = rng.usize(..total);
    let mut primary = 0;
    for (i, w) in weights.iter().enumerate() {
        if roll < *w {
            primary = i;
            break;
        }
        roll -= w;
    }
    let (theme, subjects) = SUBJECTS[primary];
    let subject = pick(rng, subjects);
    let title = format!("{} {}{}", pick(rng, VERBS), subject, pick(rng, CONTEXTS));
    let mut themes = vec![theme.to_string()];
    for _ in 0..rng.usize(0..3) {
        let other = &agenda.themes[rng.usize(..agenda.themes.len())].code;
        if !themes.contains(other) {
            themes.push(other.clone());
        }
    }
    let phase = *pick(rng, Phase::ALL);
    let status = *pick(
        rng,
        &[
            Status::Groen,
            Status::Groen,
            Status::Groen,
            Status::Oranje,
            Status::Oranje,
            Status::Rood,
        ],
    );
    let start =
        NaiveDate::from_ymd_opt(2019 + rng.i32(0..7), rng.u32(1..13), 1).expect("valid date");
    let months = rng.u32(3..48);
    let end = start
        .checked_add_months(chrono::Months::new(months))
        .unwrap_or(start);
    let horizon = match months {
        0..12 => Horizon::Kort,
        12..=36 => Horizon::Middellang,
        _ => Horizon::Lang,
    };
    let character = *pick(rng, Character::ALL);
    let mut drivers = Vec::new();
    for d in &agenda.drivers {
        if rng.u8(0..4) == 0 {
            drivers.push(d.code.clone());
        }
    }
    drivers.sort();
    let mut scores = BTreeMap::new();
    for c in &agenda.criteria {
        // Most projects are scored on most criteria, not all on all.
        if rng.u8(0..5) > 0 {
            scores.insert(c.code.clone(), rng.u8(1..6));
        }
    }
    let visibility = *pick(
        rng,
        &[
            Visibility::Netwerk,
            Visibility::Netwerk,
            Visibility::Netwerk,
            Visibility::Openbaar,
            Visibility::Instelling,
        ],
    );
    let shareable = rng.u8(0..6) == 0;
    let lead = pick(rng, PEOPLE);
    let budget = Hundredths(rng.i64(5..400) * 250_000);
    ProjectData {
        summary: format!(
            "{} van de instelling rond {}.",
            pick(rng, &["Project", "Initiatief", "Traject", "Programma"]),
            subject
        ),
        description: format!(
            "## Aanleiding\n\nIn de teams is behoefte aan {subject}. Dit project sluit aan bij het thema *{}* van de strategische agenda.\n\n## Aanpak\n\n- inventarisatie met de teams\n- keuze en inrichting\n- evaluatie na een half jaar",
            agenda.themes[primary].name
        ),
        intended_result: pick(rng, RESULTS).to_string(),
        owner: format!("{} ({})", pick(rng, PEOPLE), pick(rng, ROLES)),
        project_lead: lead.to_string(),
        contact_person: lead.to_string(),
        title,
        phase,
        // An idea has no status yet.
        status: (phase != Phase::Idee).then_some(status),
        status_note: Some(pick(rng, NOTES).to_string())
            .filter(|_| phase != Phase::Idee)
            .unwrap_or_default(),
        start_date: Some(start),
        end_date: Some(end),
        budget: Some(budget),
        effort: Some(Effort {
            amount: Hundredths(rng.i64(1..40) * 25),
            unit: EffortUnit::Fte,
        }),
        horizon: Some(horizon),
        character: Some(character),
        perspective: Perspective {
            strategic_operational: Some(rng.u8(1..6)),
            ict_business: Some(rng.u8(1..6)),
        },
        themes,
        drivers,
        mora_areas: Vec::new(),
        scores,
        visibility,
        shareable,
        case_summary: if shareable {
            format!("Ervaringen met {subject} die andere instellingen kunnen gebruiken.")
        } else {
            String::new()
        },
        links: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_demo() {
        let a = generate(9, 5, 42);
        let b = generate(9, 5, 42);
        assert_eq!(a.projects.len(), 45);
        assert!(
            a.projects
                .iter()
                .zip(&b.projects)
                .all(|(x, y)| x.data == y.data)
        );
        assert_ne!(generate(9, 5, 43).projects[0].data, a.projects[0].data);
    }

    #[test]
    fn the_seed_institutions_come_first_and_brin_codes_are_unique() {
        let list = institutions(1000);
        assert_eq!(list[4].name, "Horizon College");
        let mut codes: Vec<_> = list.iter().map(|i| i.brin.clone()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 1000);
    }

    #[test]
    fn generated_projects_pass_validation() {
        let agenda = default_agenda();
        let themes: Vec<&str> = agenda.themes.iter().map(|t| t.code.as_str()).collect();
        let drivers: Vec<&str> = agenda.drivers.iter().map(|t| t.code.as_str()).collect();
        let criteria: Vec<&str> = agenda.criteria.iter().map(|t| t.code.as_str()).collect();
        let areas = crate::mora::default_areas();
        let mora_areas: Vec<&str> = areas.iter().map(|a| a.code.as_str()).collect();
        let refs = References {
            themes: &themes,
            drivers: &drivers,
            mora_areas: &mora_areas,
            criteria: &criteria,
        };
        let projects = generate(3, 30, 7).projects;
        let mapped = projects
            .iter()
            .filter(|p| !p.data.mora_areas.is_empty())
            .count();
        assert!(
            mapped > 60,
            "most demo projects map to MORA areas: {mapped}"
        );
        for p in projects {
            let again = ProjectData::parse(&ProjectInput::from(&p.data), &refs).unwrap();
            assert_eq!(again, p.data);
        }
    }
}
