//! Request types of the `rewriter` service (velt-py `sdk.api.rewriter`).

use serde::{Deserialize, Serialize};

/// Runs a prompt over a text with an AI model.
///
/// velt-py: `sdk.api.rewriter.askAi(AskAiRequest(...))`, `POST /v2/rewriter/ask-ai`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AskAiRequest {
    /// Model name; its prefix picks the provider (`gpt-`, `o1-`.. OpenAI, `claude-` Anthropic, `gemini-` Gemini).
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Instruction telling the model what to do with the text.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// The text to process.
    /// Required by the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}
