package dev.tokenbench.config;

import java.util.List;

/**
 * @param source        the file it came from, or {@code synthetic(...)}: shown in reports
 * @param conversations how the prompts group into conversations, or null when each prompt stands alone
 */
public record PromptSet(String name, String source, List<Prompt> prompts, Conversations conversations) {

    /** Prompts that stand alone. */
    public PromptSet(String name, String source, List<Prompt> prompts) {
        this(name, source, prompts, null);
    }
}
