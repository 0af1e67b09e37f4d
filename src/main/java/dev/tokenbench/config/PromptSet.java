package dev.tokenbench.config;

import java.util.List;

/** @param source the file it came from, or {@code synthetic(...)}: shown in reports */
public record PromptSet(String name, String source, List<Prompt> prompts) {
}
