//! tejun compiles Markdown procedure manuals into a searchable, bilingual HTML manual.
//!
//! The pipeline runs one way: [`config`] → [`load`] → [`parse`] → [`resolve`] →
//! [`render`] → [`output`]. Parsing builds the [`model`] once; every renderer reads
//! the same resolved model, and only `load` and `output` touch the filesystem.

pub mod build;
pub mod config;
pub mod diagnostic;
pub mod lint;
pub mod load;
pub mod model;
pub mod output;
pub mod parse;
pub mod render;
pub mod resolve;
pub mod source;
pub mod theme;

#[cfg(test)]
mod testing;
