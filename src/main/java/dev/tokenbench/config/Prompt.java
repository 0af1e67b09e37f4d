package dev.tokenbench.config;

/**
 * One prompt of a prompt set.
 *
 * @param system               system prompt, or null
 * @param expectedOutputTokens expected output length, or null; synthetic prompts set it to the requested length
 */
public record Prompt(String id, String system, String user, Integer expectedOutputTokens) {
}
