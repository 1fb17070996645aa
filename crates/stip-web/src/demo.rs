//! Demo data for a first look and for tests: the default agenda, the seed's institutions plus
//! generated ones with projects, and one account per role with a known password.

use crate::auth::password::hash_password;
use stip_core::agenda::default_agenda;
use stip_core::institution::BrinCode;
use stip_core::user::{Email, Role};
use stip_store::user::UserData;
use stip_store::{Store, StoreError};

pub struct DemoAccount {
    pub email: &'static str,
    pub password: &'static str,
    pub name: &'static str,
    pub role: Role,
    /// BRIN code of the account's institution.
    pub institution: Option<&'static str>,
}

/// One account per role; Horizon College and DaVinci College each have an informatiemanager.
pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "beheer@stip.demo",
        password: "demo-beheerder",
        name: "Bea Beheer",
        role: Role::Beheerder,
        institution: None,
    },
    DemoAccount {
        email: "regiegroep@stip.demo",
        password: "demo-regiegroep",
        name: "Rik Regie",
        role: Role::Regiegroep,
        institution: None,
    },
    DemoAccount {
        email: "im@horizon.demo",
        password: "demo-horizon",
        name: "Hanna Horizon",
        role: Role::Informatiemanager,
        institution: Some("25LN"),
    },
    DemoAccount {
        email: "im@davinci.demo",
        password: "demo-davinci",
        name: "Daan DaVinci",
        role: Role::Informatiemanager,
        institution: Some("25LK"),
    },
    DemoAccount {
        email: "lezer@stip.demo",
        password: "demo-lezer-1",
        name: "Lotte Lezer",
        role: Role::Lezer,
        institution: None,
    },
];

/// The demo accounts' password hashes, made once per process (on all cores: argon2 is slow on
/// purpose), so loading demo data again — as every test does — costs no hashing.
static DEMO_HASHES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    std::thread::scope(|s| {
        let handles: Vec<_> = ACCOUNTS
            .iter()
            .map(|a| s.spawn(move || hash_password(a.password)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("hashing does not panic"))
            .collect()
    })
});

/// Loads the default agenda when there are no themes yet: a fresh installation starts with the
/// *Strategische agenda digitalisering mbo 2018–2022*.
pub async fn ensure_agenda(store: &Store) -> Result<bool, StoreError> {
    if store.themes().await?.is_empty() {
        store.load_agenda(&default_agenda()).await?;
        return Ok(true);
    }
    Ok(false)
}

/// Fills an empty database. `institutions` counts the seed's seven first.
pub async fn load(
    store: &Store,
    institutions: usize,
    per_institution: usize,
    seed: u64,
) -> Result<(), StoreError> {
    ensure_agenda(store).await?;
    let data = stip_core::demo::generate(institutions, per_institution, seed);
    store.load_demo(&data, "Demo").await?;
    let hashes = DEMO_HASHES.clone();
    for (account, hash) in ACCOUNTS.iter().zip(hashes) {
        let institution_id = match account.institution {
            Some(brin) => match BrinCode::parse(brin) {
                Ok(brin) => store.institution_by_brin(&brin).await.ok().map(|i| i.id),
                Err(_) => None,
            },
            None => None,
        };
        let role = if institution_id.is_none() && account.role == Role::Informatiemanager {
            Role::Lezer
        } else {
            account.role
        };
        let email = Email::parse(account.email)
            .map_err(|code| StoreError::Invalid(stip_core::Invalid::one("email", code)))?;
        let data = UserData {
            email: &email,
            name: account.name,
            role,
            institution_id,
            active: true,
        };
        store.create_user(&data, &hash).await?;
    }
    Ok(())
}

/// A survey for the demo: the seed's network survey, opened two weeks ago and open for two
/// more, answered by most institutions but not yet by Horizon College, so its
/// informatiemanager finds it on the home page.
pub async fn survey(store: &Store) -> Result<i64, StoreError> {
    use stip_core::survey::{self, Answer, Respondent, SurveyData};
    let template = survey::template("netwerkenquete-2020").expect("the seed's template");
    let today = crate::time::today();
    let data = SurveyData {
        title: template.title.into(),
        introduction: template.introduction.into(),
        anonymous: false,
        respondent: Respondent::Institution,
        opens_on: today - chrono::Days::new(14),
        closes_on: today + chrono::Days::new(14),
    };
    let id = store
        .create_survey(&data, &template.questions, None)
        .await?;
    store
        .open_survey(id, crate::auth::token::random_token)
        .await?;
    let s = store.survey(id).await?;
    let themes: Vec<String> = store
        .themes()
        .await?
        .into_iter()
        .map(|t| t.data.code)
        .collect();
    let institutions = store.institutions().await?;
    let mut rng = fastrand::Rng::with_seed(2020);
    let texts = [
        "We werken aan een gezamenlijke visie op leermiddelen en een eigen dossier voor studenten.",
        "Data-ondersteund onderwijs staat hoog: we bouwen een dashboard voor studievoortgang.",
        "Het thema LLO leeft: we maken ons onderwijs modulair voor volwassenen.",
        "Docentprofessionalisering: een programma digitale didactiek voor alle teams.",
    ];
    let roles = [
        "Informatiemanagement zit aan tafel bij het opstellen van het instellingsplan.",
        "We vertalen de thema's naar de projectportfolio en bewaken de samenhang.",
        "Vooral uitvoerend: we horen het vaak pas als de keuzes al gemaakt zijn.",
    ];
    for i in store.invitations(id).await? {
        let Some(inst) = institutions.iter().find(|x| x.id == i.institution_id) else {
            continue;
        };
        if inst.data.brin.as_str() == "25LN" || rng.u8(0..10) < 2 {
            continue;
        }
        let mut answers = survey::Answers::new();
        for q in &s.questions {
            let answer = match q.data.kind {
                survey::QuestionKind::Themes => {
                    let mut picked = themes.clone();
                    rng.shuffle(&mut picked);
                    picked.truncate(rng.usize(2..5));
                    Answer::Themes(picked)
                }
                survey::QuestionKind::Open if q.data.required && q.data.section.contains("rol") => {
                    Answer::Text(roles[rng.usize(0..roles.len())].into())
                }
                survey::QuestionKind::Open => Answer::Text(texts[rng.usize(0..texts.len())].into()),
                survey::QuestionKind::Single => {
                    Answer::Choice(q.data.options[rng.usize(0..q.data.options.len())].clone())
                }
                survey::QuestionKind::Multiple => Answer::Choices(
                    q.data
                        .options
                        .iter()
                        .filter(|_| rng.bool())
                        .cloned()
                        .collect(),
                ),
                survey::QuestionKind::Scale => Answer::Scale(rng.u8(2..=5)),
                survey::QuestionKind::Projects => continue,
            };
            answers.insert(q.id, answer);
        }
        store
            .submit_response(i.id, &survey::answers_json(&answers), false, None)
            .await?;
    }
    Ok(id)
}

/// A meeting for the demo: on data-supported education, in three weeks, with a case from Horizon
/// College, an agenda, an open action from the spring, and the network survey as its appendix.
pub async fn meeting(store: &Store, survey: i64) -> Result<i64, StoreError> {
    use stip_core::meeting::{ActionStatus, AgendaItem, FollowUp, MeetingData};
    let brin = BrinCode::parse("25LN")
        .map_err(|code| StoreError::Invalid(stip_core::Invalid::one("brin", code)))?;
    // A demo of fewer institutions (a benchmark's) may not have Horizon: then no case.
    let case = match store.institution_by_brin(&brin).await {
        Ok(horizon) => store
            .all_projects(&Default::default(), stip_core::access::ProjectScope::All)
            .await?
            .into_iter()
            .find(|p| p.institution_id == horizon.id)
            .map(|p| p.id),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let start = (crate::time::today() + chrono::Days::new(21))
        .and_hms_opt(12, 30, 0)
        .expect("a time")
        .and_utc();
    let item = |time: &str, title: &str, owner: &str| AgendaItem {
        time: time.into(),
        title: title.into(),
        owner: owner.into(),
    };
    let data = MeetingData {
        title: "Netwerkbijeenkomst data-ondersteund onderwijs".into(),
        starts_at: start,
        ends_at: start + chrono::Duration::hours(4),
        place: "Utrecht".into(),
        theme: Some("data-ondersteund-onderwijs".into()),
        case_project: case,
        presenter: "Hanna Horizon".into(),
        agenda: vec![
            item("13:30", "Welkom en open acties", "Rik Regie"),
            item("13:45", "Casus uit Horizon College", "Hanna Horizon"),
            item("14:45", "Resultaten van de netwerkenquête", "Regiegroep"),
            item("15:30", "Workshop per perspectief", "Regiegroep"),
        ],
        minutes: String::new(),
        appendices: vec![survey],
        decisions: Vec::new(),
        actions: vec![FollowUp {
            text: "Voorbeelden van dashboards verzamelen".into(),
            owner: "Regiegroep".into(),
            due_on: None,
            status: ActionStatus::Open,
        }],
    };
    store.create_meeting(&data, None).await
}

/// A workshop for the demo meeting, played through to its results: eight participants in the
/// four perspectives, the groups' answers to the questions, notes of each kind on a few themes,
/// and everyone's three dots.
pub async fn workshop(store: &Store, meeting: i64) -> Result<i64, StoreError> {
    use stip_core::workshop::{NoteKind, NoteTarget, Phase, WorkshopInput};
    let themes: Vec<String> = store
        .themes()
        .await?
        .into_iter()
        .map(|t| t.data.code)
        .collect();
    let data = WorkshopInput {
        title: "Proefsessie: welke thema's pakt het netwerk op?".into(),
        meeting: Some(meeting),
        ..WorkshopInput::default()
    }
    .check(&themes, |_| true)
    .map_err(StoreError::Invalid)?;
    let w = store.create_workshop(&data, None).await?;
    // Two participants from each of four institutions, so the comparing step has two duos.
    let institutions: Vec<i64> = store
        .institutions()
        .await?
        .into_iter()
        .take(4)
        .map(|i| i.id)
        .collect();
    let mut people = Vec::new();
    for (i, name) in [
        "Anna", "Bram", "Cas", "Dewi", "Eva", "Fatima", "Gijs", "Hanna",
    ]
    .into_iter()
    .enumerate()
    {
        let (_, hash) = crate::auth::token::new_workshop_token();
        people.push(
            store
                .join_workshop(
                    w.id,
                    name,
                    Some(i % 4),
                    None,
                    institutions.get(i / 2).copied(),
                    &hash,
                )
                .await?,
        );
    }
    // Phase 1: the groups answer the seed's questions, each from its perspective.
    let answers = [
        (
            0,
            0,
            "Het bestuur wil sturen op data, maar elke instelling beschrijft haar projecten anders",
        ),
        (
            1,
            0,
            "Roosteren en de studentadministratie kosten het meeste handwerk",
        ),
        (
            2,
            1,
            "Informatiemanagement bewaakt de samenhang tussen de systemen",
        ),
        (
            3,
            2,
            "Samen eisen stellen aan leveranciers van leermiddelen",
        ),
        (
            0,
            2,
            "Eén manier om projecten te beschrijven, zodat we ze kunnen vergelijken",
        ),
    ];
    for (who, question, text) in answers {
        let target = NoteTarget::Question(question);
        store.add_note(&w, &people[who], &target, text).await?;
    }
    // The duos lay their portfolios side by side and say what they could do together.
    let w = store.set_workshop_phase(w.id, Phase::Comparing).await?;
    for (group, (who, text)) in w.compare_groups.clone().unwrap_or_default().iter().zip([
        (0, "Samen één dashboard voor studievoortgang laten bouwen"),
        (
            4,
            "Elkaars aanbesteding van leermiddelen als voorbeeld gebruiken",
        ),
    ]) {
        store
            .add_together_note(w.id, people[who].id, group, text)
            .await?;
    }
    let w = store.set_workshop_phase(w.id, Phase::Ordering).await?;
    let notes = [
        (
            0,
            NoteKind::Conclusion,
            "data-ondersteund-onderwijs",
            "Iedere instelling bouwt nu zelf dashboards",
        ),
        (
            1,
            NoteKind::Why,
            "data-ondersteund-onderwijs",
            "Studiesucces vraagt eerder signaleren",
        ),
        (
            2,
            NoteKind::Approach,
            "data-ondersteund-onderwijs",
            "Eén gedeeld datamodel voor studievoortgang",
        ),
        (
            3,
            NoteKind::Example,
            "data-ondersteund-onderwijs",
            "Het dashboard van Horizon College",
        ),
        (
            4,
            NoteKind::Conclusion,
            "llo",
            "Flexibele modules passen niet in ons roostersysteem",
        ),
        (
            5,
            NoteKind::Approach,
            "llo",
            "Samen eisen stellen aan leveranciers",
        ),
        (
            6,
            NoteKind::Why,
            "eigen-dossier",
            "Studenten willen hun gegevens meenemen",
        ),
        (
            7,
            NoteKind::Example,
            "leermiddelen",
            "Gezamenlijke aanbesteding digitale leermiddelen",
        ),
    ];
    for (who, kind, theme, text) in notes {
        if themes.iter().any(|t| t == theme) {
            let target = NoteTarget::Theme {
                kind,
                theme: theme.into(),
            };
            store.add_note(&w, &people[who], &target, text).await?;
        }
    }
    store.set_workshop_phase(w.id, Phase::Voting).await?;
    // Three dots each: the meeting's own theme comes out on top.
    let picks = [
        "data-ondersteund-onderwijs",
        "llo",
        "leermiddelen",
        "data-ondersteund-onderwijs",
        "data-ondersteund-onderwijs",
        "eigen-dossier",
        "llo",
        "leermiddelen",
        "data-ondersteund-onderwijs",
        "data-ondersteund-onderwijs",
        "llo",
        "eigen-dossier",
        "leermiddelen",
        "data-ondersteund-onderwijs",
        "llo",
        "eigen-dossier",
        "data-ondersteund-onderwijs",
        "leermiddelen",
        "llo",
        "data-ondersteund-onderwijs",
        "onderwijslogistiek",
        "data-ondersteund-onderwijs",
        "leermiddelen",
        "llo",
    ];
    for (i, p) in people.iter().enumerate() {
        for (d, theme) in picks[i * 3..i * 3 + 3].iter().enumerate() {
            if themes.iter().any(|t| t == theme) {
                let _ = store.place_dot(p, &format!("demo-{i}-{d}"), theme).await?;
            }
        }
    }
    store.set_workshop_phase(w.id, Phase::Results).await?;
    Ok(w.id)
}

/// Positionings for the demo: every institution but Horizon College has plotted itself (so its
/// informatiemanager can try it, and the network's distributions are shown), each with a few
/// stakeholders.
pub async fn positions(store: &Store) -> Result<(), StoreError> {
    use stip_core::positioning::{Position, Stakeholder};
    let settings = store.positioning_settings().await?;
    let mut rng = fastrand::Rng::with_seed(16);
    let stakeholders = [
        (
            "College van bestuur",
            5,
            3,
            "Tevreden houden: elk kwartaal een korte notitie",
        ),
        (
            "Teamleiders onderwijs",
            3,
            5,
            "Nauw betrekken bij de roadmap",
        ),
        ("Functioneel beheer", 2, 4, "Informeren via het IM-overleg"),
        ("Ondernemingsraad", 3, 2, ""),
    ];
    for i in store.institutions().await? {
        if i.data.brin.as_str() == "25LN" {
            continue;
        }
        let score = |rng: &mut fastrand::Rng, lean: i64| (lean + rng.i64(-1..=1)).clamp(1, 5);
        let mut p = Position::default();
        p.axes
            .insert("strategisch_operationeel".into(), score(&mut rng, 3));
        p.axes.insert("ict_business".into(), score(&mut rng, 2));
        for a in &settings.aspects {
            if rng.u8(0..10) > 0 {
                p.aspects.insert(a.code.clone(), score(&mut rng, 3));
            }
        }
        let n = rng.usize(2..=stakeholders.len());
        p.stakeholders = stakeholders[..n]
            .iter()
            .map(|(name, power, interest, action)| Stakeholder {
                name: (*name).into(),
                power: *power,
                interest: *interest,
                note: String::new(),
                action: (*action).into(),
            })
            .collect();
        store.save_position(i.id, &p, None, "Demo").await?;
    }
    Ok(())
}
