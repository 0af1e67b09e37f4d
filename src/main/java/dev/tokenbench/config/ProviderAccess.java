package dev.tokenbench.config;

import java.util.List;

/**
 * The parts of a target that only some APIs use.
 *
 * @param auth         the auth scheme: null for the API's default (api key); {@code entra} (Azure: a Microsoft
 *                     Entra bearer token), {@code sigv4} (Bedrock: AWS default credentials chain, signed per
 *                     request), {@code bearer} (Vertex: an OAuth access token)
 * @param accessToken  a bearer token from ${env:…}/${file:…} (Azure Entra, Vertex), or null
 * @param tokenCommand a command that prints a bearer token (e.g. gcloud auth print-access-token), or empty
 * @param region       cloud region (Bedrock: us-east-1), or null
 * @param project      Google Cloud project (Vertex), or null
 * @param location     Google Cloud location (Vertex: us-central1, global), or null
 */
public record ProviderAccess(
        String auth,
        Secret accessToken,
        List<String> tokenCommand,
        String region,
        String project,
        String location) {

    public static final ProviderAccess NONE = new ProviderAccess(null, null, List.of(), null, null, null);
}
