//! The Stip domain: the names the network uses, their rules and pure computations.
//! No IO lives here: the store persists these types, the web layer shows them.

pub mod access;
pub mod agenda;
pub mod agenda_version;
pub mod demo;
pub mod error;
pub mod exchange;
pub mod insight;
pub mod institution;
pub mod meeting;
pub mod merge;
pub mod mora;
pub mod number;
pub mod page;
pub mod pdf;
pub mod portfolio;
pub mod positioning;
pub mod prioritisation;
pub mod sso;
pub mod survey;
pub mod table;
pub mod user;
pub mod workgroup;
pub mod workshop;

pub use error::{ErrorCode, FieldError, Invalid};

/// The version of an editable record that an edit started from: a type of its own, so it can
/// never be passed where an id belongs (both are numbers) when saving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub i64);

impl Version {
    pub fn get(self) -> i64 {
        self.0
    }

    /// A version as a form sends it; anything else is version 0, which no record has, so the
    /// save is a conflict rather than an overwrite.
    pub fn from_form(raw: &str) -> Version {
        Version(raw.trim().parse().unwrap_or(0))
    }
}

/// Declares an enum whose variants are stored, sent and filtered by a short Dutch code.
#[macro_export]
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code used in URLs, the API and the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code.trim() { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = String::deserialize(d)?;
                $name::parse(&code).ok_or_else(|| serde::de::Error::custom(format!(
                    "unknown {} '{}'", stringify!($name), code)))
            }
        }
    };
}
