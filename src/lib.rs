//! tejun compiles Markdown procedure manuals into a searchable, bilingual HTML manual.
//!
//! The pipeline runs one way: [`config`] → [`load`] → [`parse`] → [`variants`] → [`resolve`] →
//! [`render`] → [`output`]. Parsing builds the [`model`] once; every renderer reads
//! the same resolved model, and only `load` and `output` touch the filesystem.
//!
//! [`serve`] runs the same pipeline into memory for the writer's live preview, and
//! [`new`] writes a site to start from.

pub mod build;
pub mod config;
pub mod dates;
pub mod diagnostic;
pub mod embedded;
pub mod history;
pub mod includes;
pub mod links;
pub mod lint;
pub mod load;
pub mod model;
pub mod new;
pub mod output;
pub mod parse;
pub mod progress;
pub mod redact;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod source;
pub mod theme;
pub mod translations;
pub mod variants;

#[cfg(test)]
mod testing;
